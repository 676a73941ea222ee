/**
 * Reading iCalendar date-times into BmDateTime, with BlueMind's import rules for zones: a TZID is
 * read by its name (IANA, legacy link, Windows or Lotus name: zone-resolve.ts); a TZID no name
 * resolves is read from its VTIMEZONE, matched to the IANA zone with the same rules (zone-match.ts);
 * floating times take the calendar's X-WR-TIMEZONE. Only a VTIMEZONE no zone matches gives UTC,
 * and every such guess is reported through the reader's `warn`.
 */
import ICAL from "ical.js";
import type { BmDateTime } from "../bluemind/types";
import { clockFor } from "./datetime";
import { formatDate, formatDateTime, utcMsToWall, type Wall } from "./iso";
import { vtimezoneClock } from "./vtimezone";
import { matchVtimezone, sameOffsets } from "./zone-match";
import { resolveZoneName } from "./zone-resolve";
import { cleanTzid, instantToWall, wallToInstant, type ZoneClock } from "./zones";

export type Warn = (message: string) => void;

/** How the values of one TZID are read; `keep: false` converts them to UTC. */
interface ZoneUse {
  tzid: string;
  clock: ZoneClock;
  keep: boolean;
}

/** Per-document reading context. */
export interface ReadContext {
  vtimezones: Map<string, ICAL.Component>;
  resolved: Map<string, ZoneUse | null>;
  /** The calendar's X-WR-TIMEZONE, as written; applied to floating date-times. */
  calendarZone: string | null;
  calendarUse?: ZoneUse | null;
  /** The ICS is an edit of an event this converter wrote (see description.ts). */
  edit: boolean;
  warn: Warn;
}

export function readContext(vtzs: ICAL.Component[], calendarZone: string | null, edit: boolean, warn: Warn): ReadContext {
  const vtimezones = new Map<string, ICAL.Component>();
  for (const vtz of vtzs) {
    let id: unknown;
    try {
      id = vtz.getFirstPropertyValue("tzid");
    } catch {
      continue;
    }
    if (typeof id === "string" && !vtimezones.has(id)) vtimezones.set(id, vtz);
  }
  return { vtimezones, resolved: new Map(), calendarZone, edit, warn };
}

const UTC_CLOCK: ZoneClock = { offsetAt: () => 0 };
const q = (s: string): string => JSON.stringify(s);

function zoneUse(tzid: string): ZoneUse | null {
  if (tzid === "UTC") return { tzid, clock: UTC_CLOCK, keep: true };
  const clock = clockFor(tzid);
  return clock ? { tzid, clock, keep: true } : null;
}

/** X-WR-TIMEZONE, resolved once per document. */
function calendarUse(ctx: ReadContext): ZoneUse | null {
  if (ctx.calendarUse !== undefined) return ctx.calendarUse;
  let use: ZoneUse | null = null;
  if (ctx.calendarZone) {
    const r = resolveZoneName(ctx.calendarZone);
    use = r ? zoneUse(r.tzid) : null;
    if (!use) ctx.warn(`convert: X-WR-TIMEZONE ${q(ctx.calendarZone)} is no zone we know; floating times stay floating`);
  }
  ctx.calendarUse = use;
  return use;
}

function resolveTzid(raw: string, year: number, ctx: ReadContext): ZoneUse | null {
  if (ctx.resolved.has(raw)) return ctx.resolved.get(raw)!;
  const vtz = ctx.vtimezones.get(raw) ?? ctx.vtimezones.get(cleanTzid(raw)) ?? null;
  const named = resolveZoneName(raw);
  let use = named ? zoneUse(named.tzid) : null;
  if (use && vtz && named && named.how !== "iana" && named.how !== "alias" && !sameOffsets(use.clock, vtimezoneClock(vtz), year)) {
    // A Windows/Lotus/UTC-ish name whose VTIMEZONE says otherwise (e.g. a wrong table entry): trust the rules.
    ctx.warn(`convert: TZID ${q(raw)} reads as ${named.tzid}, but its VTIMEZONE has other offsets; matching the VTIMEZONE instead`);
    use = null;
  }
  if (!use && vtz) {
    const match = matchVtimezone(vtz, year, raw);
    use = match ? zoneUse(match) : null;
    if (!use) {
      ctx.warn(`convert: no IANA zone has the rules of the VTIMEZONE ${q(raw)}; its times are stored in UTC (same instants)`);
      use = { tzid: "UTC", clock: vtimezoneClock(vtz), keep: false };
    }
  }
  if (!use) {
    const cal = calendarUse(ctx);
    if (cal) ctx.warn(`convert: unknown TZID ${q(raw)} without a VTIMEZONE; read in the calendar's X-WR-TIMEZONE ${cal.tzid}`);
    else ctx.warn(`convert: unknown TZID ${q(raw)} without a VTIMEZONE; read as floating time (nothing tells its offset)`);
    use = cal;
  }
  ctx.resolved.set(raw, use);
  return use;
}

function wallOf(t: ICAL.Time): Wall {
  return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
}

function isUtcTime(t: ICAL.Time): boolean {
  return t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === "UTC";
}

/** Reads one value of a date/date-time property (its TZID parameter given) as a BmDateTime. */
export function readTime(t: ICAL.Time, tzidParam: string | null, ctx: ReadContext): BmDateTime {
  const w = wallOf(t);
  if (t.isDate) return { iso8601: formatDate(w), timezone: null, precision: "Date" };
  if (isUtcTime(t)) return { iso8601: formatDateTime(w, 0), timezone: "UTC", precision: "DateTime" };
  const use = tzidParam ? resolveTzid(tzidParam, w.year, ctx) : calendarUse(ctx);
  if (!use) return { iso8601: formatDateTime(w, null), timezone: null, precision: "DateTime" };
  const ms = wallToInstant(use.clock, w);
  if (!use.keep || use.tzid === "UTC") return { iso8601: formatDateTime(utcMsToWall(ms), 0), timezone: "UTC", precision: "DateTime" };
  const { wall, offset } = instantToWall(use.clock, ms);
  return { iso8601: formatDateTime(wall, offset), timezone: use.tzid, precision: "DateTime" };
}
