/**
 * Small pieces of a meeting both sides of BlueMind's scheduling need (the calendar hook in
 * scheduling.ts, the LMTP filter in imip-delivery.ts): a series flattened into its events,
 * attendee identity (same `dir`, or same address), the instance of a series at a recurrence
 * id, and the significant-change test (`VEventUtil.eventChanges`; docs/bluemind-rules.md,
 * "Significant changes").
 */
import type { Attendee, BmDateTime, VEvent, VEventOccurrence, VEventSeries } from "../src/bluemind/types";
import { bmDate, bmDateTime, parseBmDate, toInstant } from "./bmdate";
import { utcToWall } from "./tz";

export type AnyEvent = VEvent | VEventOccurrence;

export function isOccurrence(e: AnyEvent): e is VEventOccurrence {
  return (e as VEventOccurrence).recurid != null;
}

/** VEventSeries.flatten: the main event (if any), then the exceptions. */
export function flatten(s: VEventSeries | null | undefined): AnyEvent[] {
  if (!s) return [];
  return [...(s.main ? [s.main] : []), ...(s.occurrences ?? [])];
}

const lower = (v: string | null | undefined): string => (v ?? "").trim().toLowerCase();

/** BlueMind's attendee equality: the same `dir`, or the same address. */
export function sameAttendee(a: Attendee, b: Attendee): boolean {
  if (a.dir && b.dir && a.dir === b.dir) return true;
  return !!a.mailto && lower(a.mailto) === lower(b.mailto);
}

export function findAttendee(list: Attendee[] | null | undefined, who: Attendee): Attendee | undefined {
  return (list ?? []).find((a) => sameAttendee(a, who));
}

/** Attendees of `a` that `b` lacks (VEvent.diff). */
export function attendeesMissingFrom(a: Attendee[] | null | undefined, b: Attendee[] | null | undefined): Attendee[] {
  return (a ?? []).filter((x) => !findAttendee(b, x));
}

/** Attendees in both (VEvent.same), as `a` has them. */
export function attendeesInBoth(a: Attendee[] | null | undefined, b: Attendee[] | null | undefined): Attendee[] {
  return (a ?? []).filter((x) => findAttendee(b, x));
}

/** The event of `other` matching `e`: main for main, the exception with the same recurrence id. */
export function correspondingEvent(other: VEventSeries | null | undefined, e: AnyEvent): AnyEvent | null {
  if (!other) return null;
  if (isOccurrence(e)) {
    const tz = e.recurid.timezone ?? "UTC";
    const at = toInstant(e.recurid, tz);
    return (other.occurrences ?? []).find((o) => toInstant(o.recurid, tz) === at) ?? null;
  }
  return other.main ?? null;
}

/** The same date `deltaMs` later, in the same zone and precision. */
export function shifted(d: BmDateTime, deltaMs: number): BmDateTime {
  const p = parseBmDate(d);
  const tz = d.timezone ?? "UTC";
  if (p.isDate) {
    const day = new Date(Date.UTC(p.wall.year, p.wall.month - 1, p.wall.day) + deltaMs);
    return bmDate(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate());
  }
  return bmDateTime(tz, utcToWall(tz, toInstant(d, tz) + deltaMs));
}

/** VEventOccurrence.fromEvent: the instance of `main` at `recurid`, as an exception of its own. */
export function occurrenceOf(main: VEvent, recurid: BmDateTime): VEventOccurrence {
  const tz = main.dtstart.timezone ?? "UTC";
  const delta = toInstant(recurid, tz) - toInstant(main.dtstart, tz);
  const copy = structuredClone(main);
  return {
    ...copy,
    dtstart: structuredClone(recurid),
    dtend: main.dtend ? shifted(main.dtend, delta) : null,
    rrule: null,
    exdate: null,
    rdate: null,
    recurid: structuredClone(recurid),
  };
}

/** A value with null, "", empty lists and empty objects removed, keys sorted: what "equal" means below. */
function normal(v: unknown): unknown {
  if (v === null || v === undefined || v === "") return undefined;
  if (Array.isArray(v)) {
    const items = v.map(normal).filter((x) => x !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normal((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(normal(a)) === JSON.stringify(normal(b));

function sameDate(a: BmDateTime | null | undefined, b: BmDateTime | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const tz = a.timezone ?? b.timezone ?? "UTC";
  return parseBmDate(a).isDate === parseBmDate(b).isDate && toInstant(a, tz) === toInstant(b, tz);
}

export type ChangeKind =
  | "EVENT"
  | "URL"
  | "CONFERENCE"
  | "SUMMARY"
  | "RRULE"
  | "PRIORITY"
  | "LOCATION"
  | "DESCRIPTION"
  | "DTSTART"
  | "DTEND"
  | "TRANSPARENCY"
  | "CLASSIFICATION"
  | "ATTACHMENTS"
  | "ATTENDEES";

/**
 * VEventUtil.eventChanges. Alarms, `properties` (X-MOZ-LASTACK, snooze), categories, status
 * and attendees' answers are not looked at; a different SEQUENCE alone counts (kind EVENT).
 */
export function eventChanges(before: AnyEvent | null, after: AnyEvent | null): ChangeKind[] {
  if (!before || !after) return before === after ? [] : ["EVENT"];
  const kinds: ChangeKind[] = [];
  if ((before.sequence ?? 0) !== (after.sequence ?? 0)) kinds.push("EVENT");
  if (!same(before.url, after.url)) kinds.push("URL");
  if (!same(before.conference, after.conference)) kinds.push("CONFERENCE");
  if (!same(before.summary, after.summary)) kinds.push("SUMMARY");
  if (!same(before.rrule, after.rrule)) kinds.push("RRULE");
  if (!same(before.priority, after.priority)) kinds.push("PRIORITY");
  if (!same(before.location, after.location)) kinds.push("LOCATION");
  if (!same(before.description, after.description)) kinds.push("DESCRIPTION");
  if (!sameDate(before.dtstart, after.dtstart)) kinds.push("DTSTART");
  if (!sameDate(before.dtend, after.dtend)) kinds.push("DTEND");
  if (!same(before.transparency, after.transparency)) kinds.push("TRANSPARENCY");
  if (!same(before.classification, after.classification)) kinds.push("CLASSIFICATION");
  if (!same(before.attachments, after.attachments)) kinds.push("ATTACHMENTS");
  const people = (e: AnyEvent) => (e.attendees ?? []).map((a) => lower(a.mailto) || a.dir || "").sort();
  if (!same(people(before), people(after))) kinds.push("ATTENDEES");
  return kinds;
}

/** "Significant" (VEventUtil.eventChanged): any change but ATTENDEES alone. */
export function significantChange(before: AnyEvent | null, after: AnyEvent | null): boolean {
  return eventChanges(before, after).some((k) => k !== "ATTENDEES");
}
