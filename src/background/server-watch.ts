/**
 * Following BlueMind: the full read (queued switches sent first, else BlueMind's old value
 * would win; then the lists and counts read, Thunderbird reconciled and the status line set),
 * made at sign-in, on "Synchroniser maintenant" and when a poll finds that something moved;
 * and the poll's cheap question, "did anything the lists show move?", asked with two requests
 * (owner-subscriptions `_changeset` since the version of the last read, which moves on an
 * (un)subscription, a Synchronisation switch or a rename; then `_mget` of the calendars shown,
 * for a colour or a right changed). Why apart: the poll's cost (2 requests when nothing
 * changed) and what a read does, in which order, are decided here and nowhere else.
 */

import { getContainers, ownerSubscriptionsChangeset } from "../bluemind/containers";
import type { BlueMindHttp } from "../bluemind/http";
import { calendarsForThunderbird, stillDescribes, type AccountLists } from "../sync/calendar-lists";
import type { AccountSession } from "./account-session";
import type { StoredAccount } from "./account-store";
import type { CalendarMirror } from "./calendar-mirror";
import type { StatusLine } from "./status-line";
import type { SyncSwitches } from "./sync-switches";

export interface WatchedParts {
  session: AccountSession;
  switches: SyncSwitches;
  mirror: CalendarMirror;
  status: StatusLine;
}

export class ServerWatch {
  constructor(private readonly parts: WatchedParts) {}

  /** Reads BlueMind again and has Thunderbird follow it. A failure is recorded and rethrown. */
  async refresh(): Promise<void> {
    const { session, switches, mirror, status } = this.parts;
    try {
      const { account, http } = await session.open();
      const switchedOn = await switches.sendQueued(account, http);
      await mirror.readLists(http, account, switchedOn);
      status.listsRead();
      await mirror.reconcile(account);
      await status.refreshed();
    } catch (error) {
      await status.failed(error);
      throw error;
    }
  }

  /** The poll's cheap requests: whether the lists must be read again. A failure is recorded and rethrown. */
  async somethingMoved(): Promise<boolean> {
    const { session, switches, mirror, status } = this.parts;
    try {
      const since = mirror.subscriptionsVersion;
      if (since === null || switches.queued.size > 0) {
        return true;
      }
      const { account, http } = await session.open();
      return await listsMoved(http, account, since, mirror.lists);
    } catch (error) {
      await status.failed(error);
      throw error;
    }
  }
}

export async function listsMoved(http: BlueMindHttp, account: StoredAccount, since: number, lists: AccountLists): Promise<boolean> {
  const changes = await ownerSubscriptionsChangeset(http, account.domainUid, account.userUid, since);
  const moved = changes.version !== since || changes.created.length + changes.updated.length + changes.deleted.length > 0;
  return moved || !(await calendarsUnchanged(http, lists));
}

/** Names, colours and rights of the calendars shown are still what the last refresh read. */
async function calendarsUnchanged(http: BlueMindHttp, lists: AccountLists): Promise<boolean> {
  const shown = calendarsForThunderbird(lists);
  const descriptors = await getContainers(
    http,
    shown.map((entry) => entry.uid),
  );
  const byUid = new Map(descriptors.map((descriptor) => [descriptor.uid, descriptor]));
  return shown.every((entry) => stillDescribes(entry, byUid.get(entry.uid)));
}
