/**
 * Tells each BlueMind calendar in Thunderbird who its user is for scheduling, so every
 * invitation is sent by exactly one party. BlueMind mails invitations, updates, cancellations
 * and answers only for meetings in their owner's default calendar (`serverSends`: the
 * provider's canNotify is true there, Thunderbird sends nothing); for any other calendar
 * Thunderbird must send them itself through the user's mail identity (`userEmail` picks it).
 * A meeting is organised in the calendar owner's name (`ownerEmail`, `ownerName`: the
 * calendar's organizerId/organizerCN), because BlueMind tells the organizer's copy from an
 * attendee's by comparing the organizer with the calendar's owner. Owners' addresses come
 * from the directory, once per owner.
 */

import type { Directory } from "../bluemind/directory";
import { calendarUri } from "../sync/calendar-identity";
import type { SchedulingInfo } from "../thunderbird/provider-contract";
import type { AccountView, CalendarRowView } from "./protocol";

export interface SchedulingSetupDeps {
  directory(): Promise<Directory | null>;
  /** Tells Thunderbird; answers how many of these calendars it has. */
  apply(infos: SchedulingInfo[]): Promise<number>;
  log?(message: string): void;
}

/** The calendars Thunderbird shows, as the reconciliation picks them. */
function shown(view: AccountView): CalendarRowView[] {
  return [...view.mine, ...view.others].filter((row) => row.subscribed && row.canRead);
}

/**
 * Returns `update(view)`: call it whenever the account's view changes (cheap when nothing
 * did: one experiment call, which only writes properties that differ).
 */
export function createSchedulingSetup(deps: SchedulingSetupDeps): (view: AccountView) => void {
  const emails = new Map<string, Promise<string | null>>();
  let running: Promise<void> | null = null;
  let again: AccountView | null = null;
  /** What was last told to Thunderbird: the view changes often (sync progress) without touching this. */
  let told = "";

  const emailOf = (directory: Directory, uid: string): Promise<string | null> => {
    let email = emails.get(uid);
    if (!email) {
      email = directory.byEntryUid(uid).then((entry) => entry?.email ?? null);
      // A failure is not remembered: the next change asks again.
      email.catch(() => emails.delete(uid));
      emails.set(uid, email);
    }
    return email;
  };

  async function run(view: AccountView): Promise<void> {
    if (!view.signedIn || !view.serverUrl) {
      emails.clear();
      told = "";
      return;
    }
    // A calendar switched between cached and online-only is re-created by Thunderbird, without
    // our properties: the switch is part of what must be told again.
    const signature = JSON.stringify([view.serverUrl, shown(view).map((r) => [r.uid, r.ownerUid, r.ownerDisplayName, r.offlineSync])]);
    if (signature === told) {
      return;
    }
    const directory = await deps.directory();
    if (!directory) {
      return;
    }
    const userEmail = await emailOf(directory, directory.userUid);
    const infos: SchedulingInfo[] = [];
    for (const row of shown(view)) {
      infos.push({
        uri: calendarUri(view.serverUrl, row.uid),
        serverSends: row.defaultContainer,
        ownerEmail: row.ownerUid === directory.userUid ? userEmail : await emailOf(directory, row.ownerUid).catch(() => null),
        ownerName: row.ownerDisplayName || null,
        userEmail,
      });
    }
    // Calendars not created yet (the view may come before the reconciliation): tell again later.
    if ((await deps.apply(infos)) === infos.length) {
      told = signature;
    }
  }

  const update = (view: AccountView): void => {
    if (running) {
      again = view;
      return;
    }
    running = run(view)
      .catch((error: unknown) => deps.log?.(`scheduling set-up: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
        const next = again;
        again = null;
        if (next) {
          // The view changed meanwhile: bring Thunderbird to the latest one.
          update(next);
        }
      });
  };
  return update;
}
