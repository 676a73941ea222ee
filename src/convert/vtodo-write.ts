/**
 * BlueMind VTodo -> VTODO, so a BlueMind task can live in a Thunderbird task calendar. The
 * date/zone, description, people, alarm and rule writers are the events' own (datetime.ts,
 * description.ts, people.ts, alarms.ts, rrule.ts); what is particular to tasks is here: DUE takes
 * DTSTART's value type, COMPLETED is always UTC (RFC 5545 §3.8.2.1), the VTODO status words, and
 * reminders of a task without a start are anchored on its due date (see MAPPING.md, "Tasks").
 */
import ICAL from "ical.js";
import type { VTodo } from "../bluemind/todo-types";
import type { BmDateTime, EventStatus } from "../bluemind/types";
import { writeAlarm } from "./alarms";
import { addTimeProperty, shapeOf, withWriteWarnings, type ZoneSet } from "./datetime";
import { writeDescription } from "./description";
import { ensureDesign } from "./design";
import { CLASS_OUT, X_STATUS } from "./enums";
import { icsText } from "./ics-text";
import { writeAttendee, writeOrganizer } from "./people";
import { rruleToRecur } from "./rrule";
import { PRODID, type IcsOptions } from "./series-write";
import { cleanText } from "./text";
import { vtimezoneFor } from "./vtimezone";
import { isKeptXProp } from "./xprops";

/** The VTODO words for BlueMind's statuses; Confirmed and Tentative are not VTODO words (X-BM-STATUS). */
export const TODO_STATUS_OUT: Partial<Record<EventStatus, string>> = {
  NeedsAction: "NEEDS-ACTION",
  InProcess: "IN-PROCESS",
  Completed: "COMPLETED",
  Cancelled: "CANCELLED",
};

function writeTime(c: ICAL.Component, name: string, t: BmDateTime, zones: ZoneSet, like?: BmDateTime | null): void {
  const own = shapeOf(t);
  const base = like ? shapeOf(like) : own;
  // DUE must have DTSTART's value type (date or date-time); a zone of its own is kept.
  const shape = (base.kind === "date") !== (own.kind === "date") ? base : own;
  addTimeProperty(c, name, t, zones, shape);
}

function writeTodo(t: VTodo, zones: ZoneSet, dtstamp: ICAL.Time): ICAL.Component {
  if (typeof t.uid !== "string" || t.uid === "") throw new Error("convert: task has no uid");
  const c = new ICAL.Component("vtodo");
  c.addPropertyWithValue("uid", t.uid);
  c.addPropertyWithValue("dtstamp", dtstamp);
  if (t.dtstart) addTimeProperty(c, "dtstart", t.dtstart, zones);
  if (t.due) writeTime(c, "due", t.due, zones, t.dtstart);
  if (t.completed) addTimeProperty(c, "completed", t.completed, zones, { kind: "utc" });
  if (t.percent != null) c.addPropertyWithValue("percent-complete", t.percent);

  if (t.summary != null) c.addPropertyWithValue("summary", cleanText(t.summary));
  if (t.description != null) writeDescription(c, cleanText(t.description));
  if (t.location != null) c.addPropertyWithValue("location", cleanText(t.location));
  if (t.url != null && t.url !== "") c.addPropertyWithValue("url", t.url);
  const cls = t.classification ? CLASS_OUT[t.classification] : undefined;
  if (cls) c.addPropertyWithValue("class", cls);
  if (t.status) {
    const s = TODO_STATUS_OUT[t.status];
    c.addPropertyWithValue(s ? "status" : X_STATUS, s ?? t.status);
  }
  if (t.priority != null) c.addPropertyWithValue("priority", t.priority);
  if (t.sequence != null) c.addPropertyWithValue("sequence", t.sequence);

  const labels = (t.categories ?? [])
    .map((tag) => (typeof tag.label === "string" ? cleanText(tag.label).trim() : ""))
    .filter((l) => l !== "");
  if (labels.length) {
    const p = new ICAL.Property("categories");
    p.setValues(labels);
    c.addProperty(p);
  }
  if (t.organizer) writeOrganizer(c, t.organizer);
  for (const a of t.attendees ?? []) writeAttendee(c, a);

  const anchor = t.dtstart ?? t.due ?? null;
  if (t.rrule && anchor) c.addPropertyWithValue("rrule", rruleToRecur(t.rrule, shapeOf(anchor)));
  for (const d of t.rdate ?? []) if (anchor) addTimeProperty(c, "rdate", d, zones, shapeOf(anchor));
  for (const d of t.exdate ?? []) if (anchor) addTimeProperty(c, "exdate", d, zones, shapeOf(anchor));

  for (const att of t.attachments ?? []) {
    if (!att.publicUrl) continue;
    const p = new ICAL.Property("attach");
    p.setValue(att.publicUrl);
    if (att.name) p.setParameter("x-file-name", att.name);
    if (att.cid) p.setParameter("x-cid", att.cid);
    c.addProperty(p);
  }
  for (const [k, v] of Object.entries(t.properties ?? {})) {
    if (isKeptXProp(k) && typeof v === "string") c.addPropertyWithValue(k.toLowerCase(), v);
  }
  for (const a of t.alarm ?? []) {
    writeAlarm(c, a);
    if (!t.dtstart && t.due) {
      // No start to count from: the reminder is "before the task is due" (RELATED=END).
      c.getAllSubcomponents("valarm").at(-1)?.getFirstProperty("trigger")?.setParameter("related", "END");
    }
  }
  return c;
}

function calendarOf(todos: ICAL.Component[], zones: ZoneSet): string {
  const cal = new ICAL.Component("vcalendar");
  cal.addPropertyWithValue("prodid", PRODID);
  cal.addPropertyWithValue("version", "2.0");
  for (const tzid of [...zones].sort()) {
    const vtz = vtimezoneFor(tzid);
    if (vtz) cal.addSubcomponent(vtz);
  }
  for (const t of todos) cal.addSubcomponent(t);
  return icsText(cal) + "\r\n";
}

/** Several tasks as one VCALENDAR (a sync block), each VTIMEZONE once. */
export function todoListToIcs(list: VTodo[], options?: IcsOptions): string {
  ensureDesign();
  return withWriteWarnings(options?.warn, () => {
    const zones: ZoneSet = new Set();
    const stamp = ICAL.Time.fromJSDate(options?.dtstamp ?? new Date(), true);
    return calendarOf(
      list.map((t) => writeTodo(t, zones, stamp)),
      zones,
    );
  });
}

export function todoToIcs(todo: VTodo, options?: IcsOptions): string {
  return todoListToIcs([todo], options);
}
