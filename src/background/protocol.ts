/**
 * The messages between the options page and the background, and the view the page renders.
 * The page holds no state of its own: it renders the background's AccountView.
 */

import type { ErrorReport } from "../bluemind/errors";
import type { CalendarEntry } from "../sync/calendar-lists";

export interface CalendarRowView extends CalendarEntry {
  /** `_itemCount` total, known for calendars whose Synchronisation is on. */
  itemCount: number | null;
  sizeWarning: boolean;
}

export interface AccountStatus {
  lastRefresh: number | null;
  lastError: ErrorReport | null;
  busy: boolean;
}

export interface AccountView {
  signedIn: boolean;
  serverUrl: string | null;
  login: string | null;
  displayName: string | null;
  mine: CalendarRowView[];
  others: CalendarRowView[];
  status: AccountStatus;
  /** Prefill for the sign-in form (set by `npm start`, or the last account used). */
  signInDefaults: { serverUrl: string; login: string } | null;
  /** A notice after sign-out, e.g. the key could not be revoked on the server. */
  notice: ErrorReport | null;
}

export type Request =
  | { type: "getState" }
  | { type: "signIn"; serverUrl: string; login: string; password: string }
  | { type: "signOut" }
  | { type: "setSync"; containerUid: string; offlineSync: boolean }
  | { type: "syncNow" };

export type Response = { ok: true; state: AccountView } | { ok: false; state: AccountView; error: ErrorReport };

export interface StateChangedMessage {
  type: "stateChanged";
  state: AccountView;
}
