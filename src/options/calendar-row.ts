/**
 * One calendar row of the options page. A row is created once per calendar and then updated
 * in place, so the Synchronisation switch keeps keyboard focus while sync progress and status
 * change around it. Every server-provided string is set as text, never as HTML.
 */

import type { CalendarRowView } from "../background/protocol";
import { shownName } from "../sync/calendar-lists";

export interface RowText {
  t(key: string, substitutions?: (string | number)[]): string;
  count(value: number): string;
  activity(row: CalendarRowView): string | null;
  /** Thunderbird is online (not in Work offline, network up). */
  online(): boolean;
}

function span(className: string, text: string): HTMLSpanElement {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

function note(className: string, text: string): HTMLParagraphElement {
  const element = document.createElement("p");
  element.className = className;
  element.setAttribute("role", "note");
  element.textContent = text;
  return element;
}

/** The row's skeleton; `onToggle` receives the switch when the user flips it. */
export function createRow(uid: string, text: RowText, onToggle: (uid: string, input: HTMLInputElement) => void): HTMLLIElement {
  const item = document.createElement("li");
  item.className = "calendar-row";
  item.dataset["uid"] = uid;

  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.setAttribute("aria-hidden", "true");

  const switchLabel = document.createElement("label");
  switchLabel.className = "switch";
  const input = document.createElement("input");
  input.type = "checkbox";
  input.className = "sync-switch";
  input.setAttribute("role", "switch");
  input.addEventListener("change", () => onToggle(uid, input));
  switchLabel.append(input, span("switch-text", text.t("syncSwitchLabel")));

  const details = document.createElement("div");
  details.className = "details";
  const notes = document.createElement("div");
  notes.className = "notes";
  item.append(swatch, span("name", ""), switchLabel, details, notes);
  return item;
}

export function updateRow(item: HTMLLIElement, row: CalendarRowView, isOther: boolean, pending: boolean | undefined, text: RowText): void {
  const swatch = item.querySelector<HTMLElement>(".swatch");
  if (swatch) {
    swatch.classList.toggle("unset", !row.color);
    swatch.style.backgroundColor = row.color ?? "";
  }
  const tasks = row.containerType === "todolist";
  const shown = shownName(row.name, text.t("myTasksName"));
  const name = item.querySelector(".name");
  if (name && name.textContent !== shown) {
    name.textContent = shown;
  }

  const input = item.querySelector<HTMLInputElement>("input.sync-switch");
  if (input) {
    input.checked = pending ?? (row.offlineSync && !row.waitingForOfflineEdits);
    input.disabled = pending !== undefined || !row.canRead;
    input.setAttribute("aria-label", text.t("syncSwitchAria", [shown]));
  }

  const details: HTMLElement[] = [];
  if (isOther) {
    details.push(span("mark owner", text.t("sharedBy", [row.ownerDisplayName])));
  }
  if (!row.canRead) {
    details.push(span("mark not-readable", text.t("notReadableMark")));
  } else if (!row.subscribed) {
    details.push(span("mark not-subscribed", text.t("notSubscribedMark")));
  } else {
    const mode =
      !row.offlineSync && !text.online() ? text.t("modeOnlineUnavailable") : text.t(row.offlineSync ? "modeCached" : "modeOnline");
    details.push(span("mark mode", mode));
  }
  if (row.readOnly) {
    details.push(span("mark read-only", text.t("readOnlyMark")));
  }
  if (row.itemCount !== null) {
    const count =
      row.itemCount === 1
        ? text.t(tasks ? "taskCountOne" : "itemCountOne")
        : text.t(tasks ? "taskCountMark" : "itemCountMark", [text.count(row.itemCount)]);
    details.push(span("mark count", count));
  }
  const activity = text.activity(row);
  if (activity) {
    details.push(span("mark activity", activity));
  }
  item.querySelector(".details")?.replaceChildren(...details);

  const notes: HTMLElement[] = [];
  if (row.waitingForOfflineEdits) {
    notes.push(note("waiting-note", text.t("waitingForOfflineEdits")));
  }
  if (row.canRead && !row.subscribed && !row.toggleQueued) {
    notes.push(note("subscribe-note", text.t(tasks ? "notSubscribedNoteTodo" : "notSubscribedNote")));
  }
  if (row.toggleQueued) {
    notes.push(note("queued-note", text.t("toggleQueued")));
  }
  if (row.sizeWarning && row.itemCount !== null) {
    notes.push(note("size-warning", text.t(tasks ? "tooFatTasks" : "tooFat", [text.count(row.itemCount)])));
  }
  item.querySelector(".notes")?.replaceChildren(...notes);
}
