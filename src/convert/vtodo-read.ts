/**
 * VTODO -> BlueMind VTodo, for a task edited in Thunderbird. The value readers are the events'
 * (vevent-read.ts, read-zones.ts, description.ts, people.ts, alarms.ts, rrule.ts); what is
 * particular to tasks is here. BlueMind's VTodo has no recurrence exceptions: an occurrence
 * Thunderbird marked Completed or Cancelled (a RECURRENCE-ID override) becomes an EXDATE of the
 * series, any other override is not kept (MAPPING.md, "Tasks"). With `base`, what iCalendar cannot
 * carry is restored from it, as for events (carry-over.ts).
 */
import ICAL from "ical.js";
import type { VTodo } from "../bluemind/todo-types";
import type { BmDateTime, VAlarm } from "../bluemind/types";
import { readAlarm } from "./alarms";
import { mergeEvent } from "./carry-over";
import { roughInstant, sameMoment } from "./datetime";
import { readDescription } from "./description";
import { ensureDesign } from "./design";
import { readClass, readStatus, X_STATUS } from "./enums";
import { ConvertError } from "./errors";
import { readAttendee, readOrganizer } from "./people";
import { readContext, type ReadContext, type Warn } from "./read-zones";
import { readRrule } from "./rrule";
import { attachmentsOf, categoriesOf, endFromDuration, num, str, timeOf, timesOf, value } from "./vevent-read";
import { todoToIcs } from "./vtodo-write";
import { isKeptXProp } from "./xprops";

export interface TodoReadOptions {
  warn?: Warn;
}

const consoleWarn: Warn = (m) => console.warn(`[bluemind-calendar-sync] ${m}`);

function parse(ics: string, edit: boolean, warn: Warn): { todos: ICAL.Component[]; ctx: ReadContext } {
  ensureDesign();
  let jcal: unknown;
  try {
    jcal = ICAL.parse(ics);
  } catch (e) {
    throw new ConvertError(`convert: not valid iCalendar: ${(e as Error).message}`);
  }
  const roots = (Array.isArray(jcal) && Array.isArray(jcal[0]) ? (jcal as unknown[][]) : [jcal as unknown[]]).map(
    (j) => new ICAL.Component(j),
  );
  const todos: ICAL.Component[] = [];
  const vtz: ICAL.Component[] = [];
  for (const r of roots) {
    if (r.name === "vtodo") todos.push(r);
    todos.push(...r.getAllSubcomponents("vtodo"));
    vtz.push(...r.getAllSubcomponents("vtimezone"));
  }
  return { todos, ctx: readContext(vtz, null, edit, warn) };
}

function alarmsOf(c: ICAL.Component, dtstart: BmDateTime | null, due: BmDateTime | null, ctx: ReadContext): VAlarm[] | null {
  const out: VAlarm[] = [];
  const at = (t: BmDateTime | null): number | null => (t ? roughInstant(t) / 1000 : null);
  // BlueMind counts a trigger from the start; a task without one counts it from its due date.
  const anchors = dtstart ? { start: at(dtstart), end: at(due) } : { start: at(due), end: at(due) };
  for (const a of c.getAllSubcomponents("valarm")) {
    try {
      const r = readAlarm(a, anchors);
      if (r) out.push(r);
    } catch (e) {
      ctx.warn(`convert: a VALARM of task ${String(c.getFirstPropertyValue("uid") ?? "")} ignored: ${(e as Error).message}`);
    }
  }
  return out.length ? out : null;
}

function readVTodo(c: ICAL.Component, uid: string, ctx: ReadContext): VTodo {
  const dtstart = timeOf(c, "dtstart", ctx);
  let due = timeOf(c, "due", ctx);
  if (!due && dtstart) {
    const d = value(c, "duration", ctx);
    if (d instanceof ICAL.Duration) due = endFromDuration(dtstart, d);
  }
  const anchor = dtstart ?? due;
  const rruleProp = c.getFirstProperty("rrule");
  const exdate = timesOf(c, "exdate", ctx);
  const rdate = timesOf(c, "rdate", ctx);
  const properties: Record<string, string> = {};
  for (const pj of c.jCal[1] as [string, ...unknown[]][]) {
    const name = pj[0].toUpperCase();
    if (isKeptXProp(name)) properties[name] = String(value(c, pj[0], ctx) ?? "");
  }
  const cls = str(c, "class", ctx);
  const organizer = c.getFirstProperty("organizer");
  const percent = num(c, "percent-complete", ctx);
  return {
    uid,
    dtstart,
    due,
    completed: timeOf(c, "completed", ctx),
    percent: percent == null ? null : Math.round(percent),
    summary: str(c, "summary", ctx),
    classification: cls ? readClass(cls) : null,
    location: str(c, "location", ctx),
    description: readDescription(c, { edit: ctx.edit }),
    priority: num(c, "priority", ctx),
    alarm: alarmsOf(c, dtstart, due, ctx),
    status: readStatus(str(c, "status", ctx), str(c, X_STATUS, ctx)),
    attendees: c
      .getAllProperties("attendee")
      .map(readAttendee)
      .filter((a) => a.mailto || a.uri),
    organizer: organizer ? readOrganizer(organizer) : null,
    categories: categoriesOf(c),
    exdate: exdate.length ? exdate : null,
    rdate: rdate.length ? rdate : null,
    rrule: rruleProp && anchor ? readRrule(rruleProp, anchor, ctx) : null,
    url: str(c, "url", ctx) || null,
    conference: null,
    conferenceId: null,
    conferenceConfiguration: {},
    attachments: attachmentsOf(c),
    properties,
    sequence: num(c, "sequence", ctx),
    draft: false,
  };
}

/** An occurrence done or dropped in Thunderbird: its start no longer needs doing. */
function folded(master: VTodo, overrides: ICAL.Component[], ctx: ReadContext): VTodo {
  const exdate = [...(master.exdate ?? [])];
  for (const o of overrides) {
    const recurid = timeOf(o, "recurrence-id", ctx);
    const status = readStatus(str(o, "status", ctx), null);
    if (!recurid) continue;
    if (status === "Completed" || status === "Cancelled") {
      if (!exdate.some((d) => sameMoment(d, recurid))) exdate.push(recurid);
    } else {
      ctx.warn(`convert: a changed occurrence of task ${master.uid} is not kept (BlueMind tasks have no exceptions)`);
    }
  }
  return { ...master, exdate: exdate.length ? exdate : null };
}

function readOne(ics: string, edit: boolean, warn: Warn, fallbackUid?: string): VTodo {
  const { todos, ctx } = parse(ics, edit, warn);
  if (todos.length === 0) throw new ConvertError("convert: no VTODO in the iCalendar data");
  const uid = String(todos[0]!.getFirstPropertyValue("uid") ?? "") || fallbackUid || "";
  if (!uid) throw new ConvertError("convert: VTODO has no UID");
  const mine = todos.filter((c) => (String(c.getFirstPropertyValue("uid") ?? "") || uid) === uid);
  if (mine.length !== todos.length) throw new ConvertError("convert: icsToTodo got VTODOs of several UIDs");
  const master = mine.find((c) => !c.hasProperty("recurrence-id"));
  if (!master) throw new ConvertError(`convert: task ${uid} has only changed occurrences`);
  return folded(
    readVTodo(master, uid, ctx),
    mine.filter((c) => c !== master),
    ctx,
  );
}

/**
 * One task (Thunderbird's item) as a VTodo. With `base` (the task as BlueMind last sent it),
 * every field that reads back as `base` would have been written is taken from `base` verbatim.
 */
export function icsToTodo(ics: string, base?: VTodo | null, options?: TodoReadOptions): VTodo {
  const warn = options?.warn ?? consoleWarn;
  const parsed = readOne(ics, !!base, warn, base?.uid);
  if (!base) return parsed;
  if (base.uid && base.uid !== parsed.uid) throw new ConvertError(`convert: base is task ${base.uid}, the ICS is ${parsed.uid}`);
  const echo = readOne(todoToIcs(base, { dtstamp: new Date(0) }), true, () => undefined, base.uid);
  return { ...mergeEvent(parsed, echo, base, base.categories ?? []), uid: parsed.uid };
}
