/**
 * The options page: a thin view over the background's AccountView. It mirrors BlueMind's
 * "Mes calendriers" / "Autres calendriers" and "Mes listes de tâches" / "Autres listes de
 * tâches", with a Synchronisation switch per calendar or todo list; a
 * switch is only a request: it shows the new state once BlueMind accepted it, and returns
 * to the previous one with a message otherwise. Server strings are always set as text.
 */

import type { ErrorReport } from "../bluemind/errors";
import type { AccountView, CalendarRowView, Request, Response, StateChangedMessage } from "../background/protocol";
import { shownName } from "../sync/calendar-lists";
import { createRow, updateRow, type RowText } from "./calendar-row";

const uiLanguage = messenger.i18n.getUILanguage();

function t(key: string, substitutions: (string | number)[] = []): string {
  return messenger.i18n.getMessage(key, substitutions.map(String)) || key;
}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`options.html lacks #${id}`);
  }
  return element as T;
}

function errorText(error: ErrorReport): string {
  return t(`error_${error.kind}`);
}

async function send(request: Request): Promise<Response> {
  return (await messenger.runtime.sendMessage(request)) as Response;
}

function localizeStatic(): void {
  for (const element of document.querySelectorAll<HTMLElement>("[data-i18n]")) {
    element.textContent = t(element.dataset["i18n"] ?? "");
  }
  document.documentElement.lang = uiLanguage;
  document.documentElement.dir = messenger.i18n.getMessage("@@bidi_dir") || "ltr";
}

function formatCount(count: number): string {
  return new Intl.NumberFormat(uiLanguage).format(count);
}

/** The last state received from the background. */
let lastState: AccountView | null = null;

/** Switches waiting for BlueMind's answer: their row keeps the requested position meanwhile. */
const pendingToggles = new Map<string, boolean>();

function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(uiLanguage);
}

function activityText(row: CalendarRowView): string | null {
  const { activity } = row;
  if (activity.syncing) {
    return activity.progress && activity.progress.total > 0
      ? t(row.containerType === "todolist" ? "activityProgressTasks" : "activityProgress", [
          formatCount(activity.progress.done),
          formatCount(activity.progress.total),
        ])
      : t("activitySyncing");
  }
  if (activity.error) {
    return t("activityError", [errorText(activity.error)]);
  }
  if (activity.lastSync !== null) {
    // An online-only calendar keeps no copy: its time is that of the last live read.
    return t(row.offlineSync ? "activityLastSync" : "activityLastRead", [formatTime(activity.lastSync)]);
  }
  return null;
}

function renderConflicts(state: AccountView): void {
  byId("conflicts").hidden = state.conflicts.length === 0;
  byId("conflict-list").replaceChildren(
    ...state.conflicts.map((conflict) => {
      const item = document.createElement("li");
      item.textContent =
        conflict.kind === "deleted"
          ? t("conflictDeleted", [conflict.summary, conflict.calendarName])
          : t("conflictModified", [
              conflict.summary,
              conflict.calendarName,
              conflict.serverUpdatedBy ?? "?",
              conflict.serverUpdated === null ? "?" : formatTime(conflict.serverUpdated),
            ]);
      return item;
    }),
  );
}

const rowText: RowText = { t, count: formatCount, activity: activityText, online: () => navigator.onLine };

/** Updates the list in place: rows are kept (and keep focus), only their content changes. */
function renderList(list: HTMLElement, rows: CalendarRowView[], isOther: boolean, todo = false): void {
  if (rows.length === 0) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = t(todo ? "listEmptyTodo" : "listEmpty");
    list.replaceChildren(empty);
    return;
  }
  const existing = new Map<string, HTMLLIElement>();
  for (const child of list.querySelectorAll<HTMLLIElement>(":scope > li.calendar-row")) {
    existing.set(child.dataset["uid"] ?? "", child);
  }
  const items = rows.map((row) => {
    const item = existing.get(row.uid) ?? createRow(row.uid, rowText, (uid, input) => void toggle(uid, input));
    updateRow(item, row, isOther, pendingToggles.get(row.uid), rowText);
    return item;
  });
  const current = [...list.children];
  if (current.length !== items.length || items.some((item, index) => current[index] !== item)) {
    list.replaceChildren(...items);
  }
}

/** Calendars BlueMind no longer gives that Thunderbird keeps for their unsent edits. */
function renderKept(names: string[]): void {
  const list = byId("kept-list");
  list.hidden = names.length === 0;
  list.replaceChildren(
    ...names.map((name) => {
      const item = document.createElement("li");
      item.textContent = t("keptForEdits", [name]);
      return item;
    }),
  );
}

function renderStatus(state: AccountView): string {
  if (state.status.busy) {
    return t("statusBusy");
  }
  const parts: string[] = [];
  parts.push(state.status.lastRefresh === null ? t("statusNever") : t("statusLastRefresh", [formatTime(state.status.lastRefresh)]));
  if (state.status.lastError) {
    parts.push(t("statusLastError", [errorText(state.status.lastError)]));
  }
  return parts.join(" ");
}

let prefilled = false;

function render(state: AccountView): void {
  lastState = state;
  byId("sign-in").hidden = state.signedIn;
  byId("account").hidden = !state.signedIn;
  byId("notice").textContent = state.notice
    ? t("signOutNotice", [errorText(state.notice)])
    : state.userKeyKept && !state.signedIn
      ? t("userKeyKeptNotice")
      : "";
  renderKept(state.keptForEdits);

  if (!state.signedIn) {
    const server = byId<HTMLInputElement>("server-url");
    if (!prefilled && (state.signInDefaults || state.serverPolicy)) {
      const login = byId<HTMLInputElement>("login");
      // The administrator's address comes before the last one used.
      if (server.value === "") server.value = state.serverPolicy?.serverUrl ?? state.signInDefaults?.serverUrl ?? "";
      if (login.value === "" && state.signInDefaults) login.value = state.signInDefaults.login;
      prefilled = true;
    }
    // Locked by the administrator: always their address, and not editable.
    const locked = state.serverPolicy?.locked === true;
    if (state.serverPolicy && locked) server.value = state.serverPolicy.serverUrl;
    server.disabled = locked;
    byId("server-url-locked").hidden = !locked;
    for (const id of ["sign-in-button", "api-key-button", "browser-sign-in-button"]) {
      byId<HTMLButtonElement>(id).disabled = state.status.busy || signingIn;
    }
    return;
  }
  byId("user-key-note").hidden = state.keySource !== "user";
  byId("offline-note").hidden = navigator.onLine;
  byId("account-line").textContent = t("accountLine", [state.serverUrl ?? "", state.displayName ?? "", state.login ?? ""]);
  byId("status").textContent = renderStatus(state);
  byId<HTMLButtonElement>("sync-now").disabled = state.status.busy;
  const poll = byId<HTMLInputElement>("poll-minutes");
  if (document.activeElement !== poll) {
    poll.value = String(state.pollMinutes);
  }
  byId<HTMLButtonElement>("sign-out").disabled = state.status.busy;
  renderList(byId("mine-list"), state.mine, false);
  renderList(byId("others-list"), state.others, true);
  renderList(byId("my-todo-list"), state.myTodoLists, false, true);
  renderList(byId("other-todo-list"), state.otherTodoLists, true, true);
  renderConflicts(state);
}

function rowOf(uid: string): CalendarRowView | undefined {
  return lastState
    ? [...lastState.mine, ...lastState.others, ...lastState.myTodoLists, ...lastState.otherTodoLists].find((row) => row.uid === uid)
    : undefined;
}

async function toggle(uid: string, input: HTMLInputElement): Promise<void> {
  const row = rowOf(uid);
  if (!row) {
    return;
  }
  const wanted = input.checked;
  pendingToggles.set(row.uid, wanted);
  input.disabled = true;
  byId("action-error").textContent = "";
  let response: Response | null = null;
  try {
    response = await send({ type: "setSync", containerUid: row.uid, offlineSync: wanted });
  } catch {
    response = null;
  }
  pendingToggles.delete(row.uid);
  if (!response || !response.ok) {
    const reason = response && !response.ok ? response.error : { kind: "unexpected" as const, detail: "" };
    byId("action-error").textContent = t("toggleFailed", [shownName(row.name, t("myTasksName")), errorText(reason)]);
  }
  // The background's state is the truth: on refusal it still holds the previous position.
  const state = response?.state ?? lastState;
  if (state) {
    render(state);
  } else {
    input.checked = !wanted;
    input.disabled = false;
  }
}

/** A sign-in is under way (the browser one can take minutes): no second one meanwhile. */
let signingIn = false;

/** The three ways in share the server address, the error line and the busy state. */
async function signInWith(request: Request, onDone: () => void = () => undefined): Promise<void> {
  const error = byId("sign-in-error");
  error.textContent = "";
  signingIn = true;
  if (lastState) render(lastState);
  let response: Response;
  try {
    response = await send(request);
  } finally {
    signingIn = false;
    onDone();
  }
  if (!response.ok) {
    error.textContent = errorText(response.error);
  }
  render(response.state);
}

const serverUrl = (): string => byId<HTMLInputElement>("server-url").value;

function signIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const password = byId<HTMLInputElement>("password");
  const request: Request = {
    type: "signIn",
    serverUrl: serverUrl(),
    login: byId<HTMLInputElement>("login").value,
    password: password.value,
  };
  password.value = "";
  return signInWith(request);
}

function signInWithKey(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const key = byId<HTMLInputElement>("api-key");
  const request: Request = { type: "signInWithKey", serverUrl: serverUrl(), apiKey: key.value };
  key.value = "";
  return signInWith(request);
}

function signInWithBrowser(): Promise<void> {
  const status = byId("browser-sign-in-status");
  status.textContent = t("browserSignInWaiting");
  return signInWith({ type: "signInWithBrowser", serverUrl: serverUrl() }, () => {
    status.textContent = "";
  });
}

async function runAction(request: Request): Promise<void> {
  byId("action-error").textContent = "";
  const response = await send(request);
  if (!response.ok) {
    byId("action-error").textContent = errorText(response.error);
  }
  render(response.state);
}

async function main(): Promise<void> {
  localizeStatic();
  byId<HTMLFormElement>("sign-in-form").addEventListener("submit", (event) => void signIn(event));
  byId<HTMLFormElement>("api-key-form").addEventListener("submit", (event) => void signInWithKey(event));
  byId("browser-sign-in-button").addEventListener("click", () => void signInWithBrowser());
  byId("sync-now").addEventListener("click", () => void runAction({ type: "syncNow" }));
  byId("sign-out").addEventListener("click", () => void runAction({ type: "signOut" }));
  byId<HTMLInputElement>("poll-minutes").addEventListener("change", (event) => {
    const minutes = Number((event.target as HTMLInputElement).value);
    void runAction({ type: "setPollInterval", minutes });
  });
  // Thunderbird going offline or back online changes what the rows mean: render again.
  for (const event of ["online", "offline"]) {
    window.addEventListener(event, () => lastState && render(lastState));
  }
  messenger.runtime.onMessage.addListener((message: unknown) => {
    const changed = message as StateChangedMessage;
    if (changed?.type === "stateChanged") {
      render(changed.state);
    }
    return undefined;
  });
  const response = await send({ type: "getState" });
  render(response.state);
  document.body.dataset["ready"] = "true";
}

void main();
