/**
 * Following BlueMind by itself: the poll's cheap question, "did anything the lists show move?",
 * asked with two requests (owner-subscriptions `_changeset` since the version of the last
 * refresh, which moves on an (un)subscription, a Synchronisation switch or a rename; then
 * `_mget` of the calendars shown, for a colour or a right changed). Only when something moved
 * are the lists read again and Thunderbird reconciled. Why apart: the poll's cost (2 requests
 * when nothing changed) is decided here and nowhere else.
 */

import { getContainers, ownerSubscriptionsChangeset } from "../bluemind/containers";
import type { BlueMindHttp } from "../bluemind/http";
import { calendarsForThunderbird, stillDescribes, type AccountLists } from "../sync/calendar-lists";
import type { StoredAccount } from "./account-store";

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
