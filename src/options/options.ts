/**
 * The options page: a thin view over the background's AccountView. It mirrors BlueMind's
 * "Mes calendriers" / "Autres calendriers" with a Synchronisation switch per calendar; a
 * switch is only a request: it shows the new state once BlueMind accepted it, and returns
 * to the previous one with a message otherwise. Server strings are always set as text.
 */

import type { ErrorReport } from "../bluemind/errors";
import type { AccountView, CalendarRowView, Request, Response, StateChangedMessage } from "../background/protocol";

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

function textSpan(className: string, text: string): HTMLSpanElement {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}

function formatCount(count: number): string {
  return new Intl.NumberFormat(uiLanguage).format(count);
}

/** The last state received from the background. */
let lastState: AccountView | null = null;

/** Switches waiting for BlueMind's answer: their row keeps the requested position meanwhile. */
const pendingToggles = new Map<string, boolean>();

function renderRow(row: CalendarRowView, isOther: boolean): HTMLLIElement {
  const item = document.createElement("li");
  item.className = "calendar-row";
  item.dataset["uid"] = row.uid;

  const swatch = document.createElement("span");
  swatch.className = "swatch";
  if (row.color) {
    swatch.style.backgroundColor = row.color;
  } else {
    swatch.classList.add("unset");
  }
  swatch.setAttribute("aria-hidden", "true");
  item.append(swatch, textSpan("name", row.name));

  const switchLabel = document.createElement("label");
  switchLabel.className = "switch";
  const input = document.createElement("input");
  input.type = "checkbox";
  input.className = "sync-switch";
  input.setAttribute("role", "switch");
  const pending = pendingToggles.get(row.uid);
  input.checked = pending ?? row.offlineSync;
  input.disabled = pending !== undefined || !row.canRead;
  input.setAttribute("aria-label", t("syncSwitchAria", [row.name]));
  input.addEventListener("change", () => void toggle(row, input));
  switchLabel.append(input, textSpan("switch-text", t("syncSwitchLabel")));
  item.append(switchLabel);

  const details = document.createElement("div");
  details.className = "details";
  if (isOther) {
    details.append(textSpan("mark owner", t("sharedBy", [row.ownerDisplayName])));
  }
  if (!row.canRead) {
    details.append(textSpan("mark not-readable", t("notReadableMark")));
  } else if (!row.subscribed) {
    details.append(textSpan("mark not-subscribed", t("notSubscribedMark")));
  } else {
    details.append(textSpan("mark mode", t(row.offlineSync ? "modeCached" : "modeOnline")));
  }
  if (row.readOnly) {
    details.append(textSpan("mark read-only", t("readOnlyMark")));
  }
  item.append(details);

  if (row.sizeWarning && row.itemCount !== null) {
    const warning = document.createElement("p");
    warning.className = "size-warning";
    warning.setAttribute("role", "note");
    warning.textContent = t("tooFat", [formatCount(row.itemCount)]);
    item.append(warning);
  }
  return item;
}

function renderList(list: HTMLElement, rows: CalendarRowView[], isOther: boolean): void {
  if (rows.length === 0) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = t("listEmpty");
    list.replaceChildren(empty);
    return;
  }
  list.replaceChildren(...rows.map((row) => renderRow(row, isOther)));
}

function renderStatus(state: AccountView): string {
  if (state.status.busy) {
    return t("statusBusy");
  }
  const parts: string[] = [];
  parts.push(
    state.status.lastRefresh === null
      ? t("statusNever")
      : t("statusLastRefresh", [new Date(state.status.lastRefresh).toLocaleString(uiLanguage)]),
  );
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
  byId("notice").textContent = state.notice ? t("signOutNotice", [errorText(state.notice)]) : "";

  if (!state.signedIn) {
    if (!prefilled && state.signInDefaults) {
      const server = byId<HTMLInputElement>("server-url");
      const login = byId<HTMLInputElement>("login");
      if (server.value === "") server.value = state.signInDefaults.serverUrl;
      if (login.value === "") login.value = state.signInDefaults.login;
      prefilled = true;
    }
    byId<HTMLButtonElement>("sign-in-button").disabled = state.status.busy;
    return;
  }
  byId("account-line").textContent = t("accountLine", [state.serverUrl ?? "", state.displayName ?? "", state.login ?? ""]);
  byId("status").textContent = renderStatus(state);
  byId<HTMLButtonElement>("sync-now").disabled = state.status.busy;
  byId<HTMLButtonElement>("sign-out").disabled = state.status.busy;
  renderList(byId("mine-list"), state.mine, false);
  renderList(byId("others-list"), state.others, true);
}

async function toggle(row: CalendarRowView, input: HTMLInputElement): Promise<void> {
  const wanted = input.checked;
  pendingToggles.set(row.uid, wanted);
  input.disabled = true;
  byId("action-error").textContent = "";
  let response: Response | null = null;
  try {
    response = await send({ type: "setSync", containerUid: row.uid, offlineSync: wanted });
  } catch (error) {
    response = null;
  }
  pendingToggles.delete(row.uid);
  if (!response || !response.ok) {
    const reason = response && !response.ok ? response.error : { kind: "unexpected" as const, detail: "" };
    byId("action-error").textContent = t("toggleFailed", [row.name, errorText(reason)]);
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

async function signIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const error = byId("sign-in-error");
  error.textContent = "";
  const password = byId<HTMLInputElement>("password");
  const response = await send({
    type: "signIn",
    serverUrl: byId<HTMLInputElement>("server-url").value,
    login: byId<HTMLInputElement>("login").value,
    password: password.value,
  });
  password.value = "";
  if (!response.ok) {
    error.textContent = errorText(response.error);
  }
  render(response.state);
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
  byId("sync-now").addEventListener("click", () => void runAction({ type: "syncNow" }));
  byId("sign-out").addEventListener("click", () => void runAction({ type: "signOut" }));
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
