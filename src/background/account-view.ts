/**
 * The options page's whole state as one plain object (AccountView), built from what the
 * account service holds. Why apart: it is the page's model, a pure function of that state, so
 * what a row says (its switch, count, warning, activity, "waiting for offline edits") is
 * decided in one place that reads without the service's requests around it.
 */

import type { ErrorReport } from "../bluemind/errors";
import type { AccountLists, CalendarEntry } from "../sync/calendar-lists";
import { needsSizeWarning } from "../sync/size-warning";
import type { SignInDefaults, StoredAccount, StoredStatus } from "./account-store";
import type { CalendarActivity } from "./calendar-activity";
import type { ServerPolicy } from "./managed-settings";
import type { AccountView, CalendarRowView } from "./protocol";

export interface AccountViewInput {
  account: StoredAccount | null;
  lists: AccountLists;
  counts: ReadonlyMap<string, number | null>;
  /** Switches flipped while BlueMind could not be reached, not sent yet. */
  queued: ReadonlyMap<string, boolean>;
  /** Calendars whose switch-off waits for their offline edits. */
  waitingForEdits: ReadonlySet<string>;
  activity: CalendarActivity;
  status: StoredStatus;
  busy: boolean;
  signInDefaults: SignInDefaults | null;
  serverPolicy: ServerPolicy | null;
  notice: ErrorReport | null;
  userKeyKept: boolean;
  pollMinutes: number;
  keptForEdits: readonly string[];
}

export function buildAccountView(input: AccountViewInput): AccountView {
  const row = (entry: CalendarEntry): CalendarRowView => {
    const itemCount = input.counts.get(entry.uid) ?? null;
    const queued = input.queued.get(entry.uid);
    const offlineSync = queued ?? entry.offlineSync;
    return {
      ...entry,
      offlineSync,
      itemCount,
      sizeWarning: needsSizeWarning(offlineSync, itemCount),
      activity: input.activity.of(entry.uid),
      waitingForOfflineEdits: input.waitingForEdits.has(entry.uid),
      toggleQueued: queued !== undefined,
    };
  };
  const { account, lists } = input;
  return {
    signedIn: account !== null,
    serverUrl: account?.serverUrl ?? null,
    login: account?.login ?? null,
    displayName: account?.displayName ?? null,
    keySource: account ? (account.keySource ?? "addon") : null,
    mine: lists.mine.map(row),
    others: lists.others.map(row),
    myTodoLists: lists.myTodoLists.map(row),
    otherTodoLists: lists.otherTodoLists.map(row),
    status: { ...input.status, busy: input.busy },
    signInDefaults: input.signInDefaults,
    serverPolicy: input.serverPolicy,
    notice: input.notice,
    userKeyKept: input.userKeyKept,
    conflicts: input.activity.conflicts,
    pollMinutes: input.pollMinutes,
    keptForEdits: [...input.keptForEdits],
  };
}
