/**
 * BmDateTime <-> iCalendar date/date-time values (DTSTART, DTEND, EXDATE, RDATE, RECURRENCE-ID,
 * UNTIL). Decides how each value is written (DATE, UTC, floating, or TZID + VTIMEZONE) and
 * reads TZID values back as the zone id plus the offset the zone really has at that instant.
 */
import ICAL from "ical.js";
import type { BmDateTime } from "../bluemind/types";
import { formatDate, formatDateTime, parseIso, type ParsedIso, type Wall, utcMsToWall, wallAsUtcMs } from "./iso";
import { hasVtimezone, vtimezoneClock, vtimezoneFor } from "./vtimezone";
import { cleanTzid, instantToWall, intlClock, isUtcZone, wallToInstant, type ZoneClock } from "./zones";

/** How a value is (or is to be) written in iCalendar. */
export type Shape =
  | { kind: "date" }
  | { kind: "utc" }
  | { kind: "floating" }
  | { kind: "zoned"; tzid: string; clock: ZoneClock };

const DATE: Shape = { kind: "date" };
const UTC: Shape = { kind: "utc" };
const FLOATING: Shape = { kind: "floating" };

/** Clock for a zone we can also write a VTIMEZONE for; Intl first, the table's rules otherwise. */
function writableClock(tzid: string): ZoneClock | null {
  if (!hasVtimezone(tzid)) return null;
  const intl = intlClock(tzid);
  if (intl) return intl;
  const vtz = vtimezoneFor(tzid);
  return vtz ? vtimezoneClock(vtz) : null;
}

/**
 * How a BmDateTime is written: Date => DATE; "UTC" => UTC; null zone => floating; a zone of the
 * table => TZID; any other zone => UTC (the instant is kept, the zone is lost; documented).
 */
export function shapeOf(bm: BmDateTime): Shape {
  if (bm.precision === "Date") return DATE;
  const tz = bm.timezone;
  if (tz == null || tz === "") return FLOATING;
  if (isUtcZone(tz)) return UTC;
  const clock = writableClock(tz);
  return clock ? { kind: "zoned", tzid: tz, clock } : UTC;
}

/**
 * The instant of a DateTime value. The iso8601 offset is authoritative when present (BlueMind
 * converts iso8601 to the zone by instant, too); without one, the wall clock is read in `tz`.
 */
function instantOf(p: ParsedIso, tz: string | null): number | null {
  if (p.offset !== null) return wallAsUtcMs(p.wall) - p.offset * 1000;
  if (tz == null || tz === "") return null;
  if (isUtcZone(tz)) return wallAsUtcMs(p.wall);
  const clock = intlClock(tz) ?? writableClock(tz);
  return clock ? wallToInstant(clock, p.wall) : wallAsUtcMs(p.wall);
}

/** Wall clock of `bm` expressed in `target` (which may differ from bm's own shape). */
function wallIn(bm: BmDateTime, target: Shape): Wall {
  const p = parseIso(bm.iso8601);
  if (target.kind === "date") {
    if (p.isDate || bm.precision === "Date") return { ...p.wall, hour: 0, minute: 0, second: 0 };
    // A date-time written where a date is needed: its date in its own zone.
    return { ...wallIn(bm, shapeOf(bm)), hour: 0, minute: 0, second: 0 };
  }
  if (p.isDate || bm.precision === "Date") return { ...p.wall, hour: 0, minute: 0, second: 0 };
  if (target.kind === "floating") return p.wall;
  const ms = instantOf(p, bm.timezone) ?? (target.kind === "zoned" ? wallToInstant(target.clock, p.wall) : wallAsUtcMs(p.wall));
  if (target.kind === "utc") return utcMsToWall(ms);
  // Zoned: keep the written wall clock when its offset is the zone's, else convert the instant.
  if (p.offset !== null && target.clock.offsetAt(ms) === p.offset) return p.wall;
  if (p.offset === null && bm.timezone === target.tzid) return p.wall;
  return instantToWall(target.clock, ms).wall;
}

function icalTime(w: Wall, shape: Shape): ICAL.Time {
  if (shape.kind === "date") return ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, isDate: true });
  const t = ICAL.Time.fromData({ ...w, isDate: false });
  if (shape.kind === "utc") t.zone = ICAL.Timezone.utcTimezone;
  return t;
}

/** Collects the TZIDs a calendar uses, to emit their VTIMEZONEs once. */
export type ZoneSet = Set<string>;

/** Sets one date/date-time property on `comp`; `like` forces the value type/zone (e.g. DTSTART's). */
export function addTimeProperty(comp: ICAL.Component, name: string, bm: BmDateTime, zones: ZoneSet, like?: Shape): ICAL.Property {
  const shape = like ?? shapeOf(bm);
  const prop = new ICAL.Property(name);
  prop.setValue(icalTime(wallIn(bm, shape), shape));
  if (shape.kind === "zoned") {
    prop.setParameter("tzid", shape.tzid);
    zones.add(shape.tzid);
  }
  comp.addProperty(prop);
  return prop;
}

/** UNTIL: DATE when DTSTART is a date, UTC for zoned/UTC starts, floating for floating starts. */
export function untilTime(until: BmDateTime, dtstart: Shape): ICAL.Time {
  if (dtstart.kind === "date") return icalTime(wallIn(until, DATE), DATE);
  if (until.precision === "Date") {
    // An inclusive last day under a timed start: the end of that day, in DTSTART's zone.
    const w = { ...parseIso(until.iso8601).wall, hour: 23, minute: 59, second: 59 };
    if (dtstart.kind === "floating") return icalTime(w, FLOATING);
    const ms = dtstart.kind === "zoned" ? wallToInstant(dtstart.clock, w) : wallAsUtcMs(w);
    return icalTime(utcMsToWall(ms), UTC);
  }
  if (dtstart.kind === "floating") return icalTime(wallIn(until, FLOATING), FLOATING);
  return icalTime(wallIn(until, UTC), UTC);
}

// ---------------------------------------------------------------- reading

/** Per-document reading context: the VTIMEZONEs the ICS carried, and clocks resolved so far. */
export interface ReadZones {
  vtimezones: Map<string, ICAL.Component>;
  resolved: Map<string, { tzid: string; clock: ZoneClock; keep: boolean } | null>;
}

export function readZones(vtzs: ICAL.Component[]): ReadZones {
  const vtimezones = new Map<string, ICAL.Component>();
  for (const vtz of vtzs) {
    const id = vtz.getFirstPropertyValue("tzid");
    if (typeof id === "string") vtimezones.set(id, vtz);
  }
  return { vtimezones, resolved: new Map() };
}

/**
 * Resolves a TZID: an IANA zone (Intl, else the table) is kept as BlueMind's timezone; a zone
 * known only from the ICS's own VTIMEZONE (e.g. "W. Europe Standard Time") is converted to UTC.
 */
function resolveTzid(raw: string, ctx: ReadZones): { tzid: string; clock: ZoneClock; keep: boolean } | null {
  if (ctx.resolved.has(raw)) return ctx.resolved.get(raw)!;
  const tzid = cleanTzid(raw);
  let r: { tzid: string; clock: ZoneClock; keep: boolean } | null = null;
  const intl = intlClock(tzid);
  if (intl) r = { tzid, clock: intl, keep: true };
  else if (hasVtimezone(tzid)) r = { tzid, clock: writableClock(tzid)!, keep: true };
  else {
    const vtz = ctx.vtimezones.get(raw);
    if (vtz) r = { tzid, clock: vtimezoneClock(vtz), keep: false };
  }
  ctx.resolved.set(raw, r);
  return r;
}

function wallOf(t: ICAL.Time): Wall {
  return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
}

function isUtcTime(t: ICAL.Time): boolean {
  return t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === "UTC";
}

/** Reads one value of a date/date-time property (its TZID parameter given) as a BmDateTime. */
export function readTime(t: ICAL.Time, tzidParam: string | null, ctx: ReadZones): BmDateTime {
  const w = wallOf(t);
  if (t.isDate) return { iso8601: formatDate(w), timezone: null, precision: "Date" };
  if (isUtcTime(t)) return { iso8601: formatDateTime(w, 0), timezone: "UTC", precision: "DateTime" };
  if (tzidParam) {
    if (isUtcZone(cleanTzid(tzidParam))) return { iso8601: formatDateTime(w, 0), timezone: "UTC", precision: "DateTime" };
    const z = resolveTzid(tzidParam, ctx);
    if (z) {
      const ms = wallToInstant(z.clock, w);
      if (!z.keep) return { iso8601: formatDateTime(utcMsToWall(ms), 0), timezone: "UTC", precision: "DateTime" };
      const { wall, offset } = instantToWall(z.clock, ms);
      return { iso8601: formatDateTime(wall, offset), timezone: z.tzid, precision: "DateTime" };
    }
    // Unknown zone and no VTIMEZONE: nothing tells the offset, keep the wall clock (floating).
  }
  return { iso8601: formatDateTime(w, null), timezone: null, precision: "DateTime" };
}

/** A clock for a zone id (Intl, else the table), or null for UTC/unknown zones. */
export function clockFor(tz: string): ZoneClock | null {
  if (isUtcZone(tz)) return null;
  return intlClock(tz) ?? writableClock(tz);
}

/** Re-expresses an instant-bearing BmDateTime in the zone/precision of `like` (for UNTIL). */
export function expressLike(bm: BmDateTime, like: BmDateTime): BmDateTime {
  if (like.precision === "Date") {
    return { iso8601: formatDate(wallIn(bm, DATE)), timezone: null, precision: "Date" };
  }
  if (bm.precision === "Date") return bm;
  const p = parseIso(bm.iso8601);
  const tz = like.timezone;
  if (tz == null || tz === "") {
    if (p.offset === null) return { iso8601: formatDateTime(p.wall, null), timezone: null, precision: "DateTime" };
    return { iso8601: formatDateTime(utcMsToWall(wallAsUtcMs(p.wall) - p.offset * 1000), 0), timezone: "UTC", precision: "DateTime" };
  }
  const ms = instantOf(p, bm.timezone ?? tz) ?? wallAsUtcMs(p.wall);
  if (isUtcZone(tz)) return { iso8601: formatDateTime(utcMsToWall(ms), 0), timezone: "UTC", precision: "DateTime" };
  const clock = intlClock(tz) ?? writableClock(tz);
  if (!clock) return { iso8601: formatDateTime(utcMsToWall(ms), 0), timezone: "UTC", precision: "DateTime" };
  const { wall, offset } = instantToWall(clock, ms);
  return { iso8601: formatDateTime(wall, offset), timezone: tz, precision: "DateTime" };
}

/** Epoch ms of a BmDateTime (dates and floating values read as UTC); for comparisons only. */
export function roughInstant(bm: BmDateTime): number {
  const p = parseIso(bm.iso8601);
  if (bm.precision === "Date" || p.isDate) return wallAsUtcMs(p.wall);
  return instantOf(p, bm.timezone) ?? wallAsUtcMs(p.wall);
}

/** The same point in time (or the same day, for dates)? Used to pair values with `base`. */
export function sameMoment(a: BmDateTime, b: BmDateTime): boolean {
  if ((a.precision === "Date") !== (b.precision === "Date")) return false;
  if (a.precision === "Date") return formatDate(parseIso(a.iso8601).wall) === formatDate(parseIso(b.iso8601).wall);
  const fa = (a.timezone ?? null) === null;
  const fb = (b.timezone ?? null) === null;
  if (fa !== fb) return false;
  if (fa) return formatDateTime(parseIso(a.iso8601).wall, null) === formatDateTime(parseIso(b.iso8601).wall, null);
  return roughInstant(a) === roughInstant(b);
}
