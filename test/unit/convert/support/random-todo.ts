/**
 * Seeded random VTodos for the task round-trip property test, drawn from the same pools as the
 * events' (random.ts), passed through BlueMind's sanitizer as the server would store them; and
 * the normalisation under which todoToIcs -> icsToTodo must give them back (the events' one,
 * normalize.ts, plus what is particular to tasks: COMPLETED is UTC, percent an integer).
 */
import type { VTodo } from "../../../../src/bluemind/todo-types";
import type { BmDateTime, VEvent } from "../../../../src/bluemind/types";
import { sanitizeTodo } from "../../../../src/convert/vtodo-sanitize";
import { normDate, normEvent } from "./normalize";
import { alarm, attachments, attendee, dateAt, html, mail, Rng, rrule, tags, words, ZONES } from "./random";

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;

export function randomTodo(r: Rng): VTodo {
  const zone = r.pick(ZONES);
  const startMs = Date.UTC(1995, 0, 1) + Math.floor((r.next() * 40 * YEAR) / 60_000) * 60_000;
  const hasStart = r.bool(0.6);
  const hasDue = r.bool(0.7);
  const dueZone = zone === "Date" ? "Date" : r.bool(0.1) ? r.pick(ZONES.filter((z) => z !== "Date")) : zone;
  const dtstart = hasStart ? dateAt(zone, startMs) : null;
  const due = hasDue ? dateAt(dueZone, startMs + r.int(1, 20) * (zone === "Date" ? DAY : 3_600_000)) : null;
  const status = r.maybe(() => r.pick(["NeedsAction", "InProcess", "Completed", "Cancelled"] as const), 0.8);
  const recurs = (hasStart || hasDue) && r.bool(0.3);
  const anchorZone = hasStart ? zone : dueZone;
  const anotherDay = (): BmDateTime => dateAt(anchorZone, startMs + r.int(1, 300) * DAY);
  const properties: Record<string, string> = {};
  if (r.bool(0.2)) properties["X-MOZ-LASTACK"] = "20240105T101500Z";
  const todo: VTodo = {
    uid: `${r.int(1, 1e9).toString(16)}-${r.pick(["bm", "tb", "task@example.com"])}-${r.int(1, 1e6)}`,
    dtstart,
    due,
    completed:
      status === "Completed" && r.bool(0.8) ? dateAt(r.pick(ZONES.filter((z) => z !== "Date")), startMs + r.int(1, 30) * DAY) : null,
    percent: r.maybe(() => r.pick([0, 25, 50, 100, r.int(-20, 130)]), 0.7),
    summary: r.maybe(() => words(r), 0.9),
    classification: r.maybe(() => r.pick(["Public", "Private", "Confidential"] as const), 0.4),
    location: r.maybe(() => words(r), 0.3),
    description: r.maybe(() => (r.bool(0.4) ? html(r) : words(r, 8)), 0.5),
    priority: r.maybe(() => r.int(-2, 12), 0.4),
    alarm: hasStart || hasDue ? r.maybe(() => Array.from({ length: r.int(1, 2) }, () => alarm(r)), 0.4) : null,
    status,
    attendees: r.bool(0.3) ? Array.from({ length: r.int(1, 3) }, () => attendee(r)) : [],
    organizer: r.maybe(() => ({ uri: null, commonName: r.maybe(() => words(r, 2)), mailto: mail(r), dir: null }), 0.3),
    categories: r.bool(0.3) ? tags(r) : [],
    exdate: recurs ? r.maybe(() => Array.from({ length: r.int(1, 3) }, anotherDay), 0.5) : null,
    rdate: recurs ? r.maybe(() => [anotherDay()], 0.2) : null,
    rrule: recurs ? rrule(r, anchorZone, startMs) : null,
    url: r.maybe(() => `https://example.com/t/${r.int(1, 1e6)}`, 0.2),
    attachments: r.bool(0.1) ? attachments(r) : [],
    properties,
    sequence: r.maybe(() => r.int(0, 9), 0.3),
  };
  // As BlueMind stores it (the clock only matters for a Completed task without a date).
  return sanitizeTodo(todo, Date.UTC(2026, 11, 1, 10, 30), () => "generated-uid");
}

/** The instant of a DateTime, in UTC (COMPLETED is always written in UTC). */
function utc(d: BmDateTime): BmDateTime {
  const n = normDate(d);
  if (n.precision === "Date") return { iso8601: `${n.iso8601}T00:00:00.000Z`, timezone: "UTC", precision: "DateTime" };
  const ms = Date.parse(n.timezone == null ? `${n.iso8601}Z` : n.iso8601);
  return { iso8601: new Date(ms).toISOString(), timezone: "UTC", precision: "DateTime" };
}

/** What todoToIcs -> icsToTodo gives back for `t` (see the file comment). */
export function normalizeTodo(t: VTodo): VTodo {
  const anchor = t.dtstart ?? t.due ?? null;
  // The events' normalisation of the shared fields; a task's dates are its own.
  const asEvent = { ...t, dtstart: anchor ?? { iso8601: "2000-01-01", timezone: null, precision: "Date" } } as VEvent;
  const shared: Partial<VEvent> & Omit<VEvent, "dtstart" | "dtend" | "transparency"> = { ...normEvent(asEvent, false) };
  delete shared.dtstart;
  delete shared.dtend;
  delete shared.transparency;
  return {
    uid: t.uid,
    dtstart: t.dtstart ? normDate(t.dtstart) : null,
    due: t.due ? normDate(t.due) : null,
    completed: t.completed ? utc(t.completed) : null,
    percent: t.percent ?? null,
    ...shared,
    conference: null,
    conferenceId: null,
    exdate: anchor ? shared.exdate : null,
    rdate: anchor ? shared.rdate : null,
    rrule: anchor ? shared.rrule : null,
  };
}
