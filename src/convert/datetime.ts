/**
 * BmDateTime -> iCalendar date/date-time values (DTSTART, DTEND, EXDATE, RDATE, RECURRENCE-ID,
 * UNTIL): decides how each value is written (DATE, UTC, floating, or TZID + VTIMEZONE). Also the
 * instant arithmetic shared with reading (read-zones.ts reads TZID values back).
 */
import ICAL from "ical.js";
import type { BmDateTime } from "../bluemind/types";
import { formatDate, formatDateTime, parseIso, type ParsedIso, type Wall, utcMsToWall, wallAsUtcMs } from "./iso";
import { hasVtimezone, vtimezoneClock, vtimezoneFor } from "./vtimezone";
import { resolveZoneName } from "./zone-resolve";
import { instantToWall, intlClock, isUtcZone, wallToInstant, type ZoneClock } from "./zones";

/** How a value is (or is to be) written in iCalendar. */
export type Shape = { kind: "date" } | { kind: "utc" } | { kind: "floating" } | { kind: "zoned"; tzid: string; clock: ZoneClock };

const DATE: Shape = { kind: "date" };
const UTC: Shape = { kind: "utc" };
const FLOATING: Shape = { kind: "floating" };

interface WritableZone {
  tzid: string;
  clock: ZoneClock;
}

const writable = new Map<string, WritableZone | null>();

/**
 * The TZID to write for a BlueMind zone, and its clock: the zone itself when the table has it, else
 * what its name resolves to (a legacy link, a Windows name BlueMind kept), else any zone Intl knows
 * (its VTIMEZONE then comes from Intl). Null for UTC and for names nothing knows.
 */
function writableZone(tz: string): WritableZone | null {
  const hit = writable.get(tz);
  if (hit !== undefined) return hit;
  const r = resolveZoneName(tz);
  const tzid = r && r.tzid !== "UTC" ? r.tzid : null;
  let z: WritableZone | null = null;
  if (tzid) {
    const intl = intlClock(tzid);
    const vtz = intl ? null : hasVtimezone(tzid) ? vtimezoneFor(tzid) : null;
    const clock = intl ?? (vtz ? vtimezoneClock(vtz) : null);
    if (clock) z = { tzid, clock };
  }
  writable.set(tz, z);
  return z;
}

const warnedZones = new Set<string>();
let writeWarn: ((message: string) => void) | null = null;

/** Runs a write with `warn` receiving its warnings (default: console.warn, once per zone name). */
export function withWriteWarnings<T>(warn: ((message: string) => void) | undefined, f: () => T): T {
  const prev = writeWarn;
  writeWarn = warn ?? null;
  try {
    return f();
  } finally {
    writeWarn = prev;
  }
}

function onUnknownZone(tz: string): void {
  const message = `convert: unknown time zone ${JSON.stringify(tz)}; its times are written in UTC (same instants)`;
  if (writeWarn) return writeWarn(message);
  if (warnedZones.has(tz)) return;
  warnedZones.add(tz);
  console.warn(`[bluemind-calendar-sync] ${message}`);
}

/**
 * How a BmDateTime is written: Date => DATE; "UTC" => UTC; null zone => floating; a known zone =>
 * TZID (see writableZone); a zone nothing knows => UTC, with a warning (the instant is kept).
 */
export function shapeOf(bm: BmDateTime): Shape {
  if (bm.precision === "Date") return DATE;
  const tz = bm.timezone;
  if (tz == null || tz === "") return FLOATING;
  if (isUtcZone(tz)) return UTC;
  const z = writableZone(tz);
  if (z) return { kind: "zoned", tzid: z.tzid, clock: z.clock };
  if (resolveZoneName(tz)?.tzid !== "UTC") onUnknownZone(tz);
  return UTC;
}

/**
 * The instant of a DateTime value. The iso8601 offset is authoritative when present (BlueMind
 * converts iso8601 to the zone by instant, too); without one, the wall clock is read in `tz`.
 */
function instantOf(p: ParsedIso, tz: string | null): number | null {
  if (p.offset !== null) return wallAsUtcMs(p.wall) - p.offset * 1000;
  if (tz == null || tz === "") return null;
  const clock = clockFor(tz);
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
  if (p.offset === null && bm.timezone != null && writableZone(bm.timezone)?.tzid === target.tzid) return p.wall;
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

/** A clock for a zone id (Intl, else the table, by name resolution), or null for UTC/unknown zones. */
export function clockFor(tz: string): ZoneClock | null {
  if (isUtcZone(tz)) return null;
  return writableZone(tz)?.clock ?? null;
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
  const clock = clockFor(tz);
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
