/**
 * The messages between the options page and the background, and the view the page renders.
 * The page holds no state of its own: it renders the background's AccountView.
 */

import type { ErrorReport } from "../bluemind/errors";
import type { CalendarEntry } from "../sync/calendar-lists";
import type { CalendarActivityView, ConflictView } from "./calendar-activity";
import type { KeySource, SignInDefaults, StoredStatus } from "./account-store";
import type { ServerPolicy } from "./managed-settings";

export interface CalendarRowView extends CalendarEntry {
  /** `_itemCount` total, known for the calendars the user can read. */
  itemCount: number | null;
  sizeWarning: boolean;
  activity: CalendarActivityView;
  /** Synchronisation was switched off, but offline edits must reach BlueMind first. */
  waitingForOfflineEdits: boolean;
  /** The switch was flipped while BlueMind could not be reached: sent when it can be (offlineSync shows the wish). */
  toggleQueued: boolean;
}

export interface AccountStatus extends StoredStatus {
  /** An operation of the account service is running. */
  busy: boolean;
}

export interface AccountView {
  signedIn: boolean;
  serverUrl: string | null;
  login: string | null;
  displayName: string | null;
  /** Who made the key in use: a key the user made is not revoked at sign-out. */
  keySource: KeySource | null;
  mine: CalendarRowView[];
  others: CalendarRowView[];
  /** « Mes listes de tâches » / « Autres listes de tâches », built as the calendars' lists. */
  myTodoLists: CalendarRowView[];
  otherTodoLists: CalendarRowView[];
  status: AccountStatus;
  signInDefaults: SignInDefaults | null;
  /** The server address preset, and maybe locked, by the administrator (enterprise policy). */
  serverPolicy: ServerPolicy | null;
  /** A notice after sign-out, e.g. the key could not be revoked on the server. */
  notice: ErrorReport | null;
  /** Signed out of a key the user made in BlueMind: it still exists there, for them to delete. */
  userKeyKept: boolean;
  /** Recent edits that replaced a newer server version (the conflict rule), newest first. */
  conflicts: ConflictView[];
  /** Minutes between two checks of BlueMind. */
  pollMinutes: number;
  /**
   * Names of calendars BlueMind no longer gives (deleted, unsubscribed, rights removed) that
   * Thunderbird keeps because they hold offline edits BlueMind could not receive.
   */
  keptForEdits: string[];
}

export type Request =
  | { type: "getState" }
  | { type: "signIn"; serverUrl: string; login: string; password: string }
  | { type: "signInWithKey"; serverUrl: string; apiKey: string }
  | { type: "signInWithBrowser"; serverUrl: string }
  | { type: "signOut" }
  | { type: "setSync"; containerUid: string; offlineSync: boolean }
  | { type: "syncNow" }
  | { type: "setPollInterval"; minutes: number };

export type Response = { ok: true; state: AccountView } | { ok: false; state: AccountView; error: ErrorReport };

export interface StateChangedMessage {
  type: "stateChanged";
  state: AccountView;
}
