/**
 * BlueMind RRule <-> iCalendar RRULE, through ical.js's Recur. Every BY* part, COUNT, INTERVAL
 * and UNTIL is carried; UNTIL takes the value type RFC 5545 requires for the DTSTART it goes
 * with, and is read back in DTSTART's own zone.
 */
import ICAL from "ical.js";
import type { BmDateTime, Frequency, RRule, WeekDay, WeekDayName } from "../bluemind/types";
import { expressLike, type Shape, untilTime } from "./datetime";
import { type ReadContext, readTime } from "./read-zones";

const FREQUENCIES: readonly Frequency[] = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"];
const DAYS: readonly WeekDayName[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** BlueMind list field <-> RRULE part. */
const NUMBER_PARTS = [
  ["bySecond", "BYSECOND"],
  ["byMinute", "BYMINUTE"],
  ["byHour", "BYHOUR"],
  ["byMonthDay", "BYMONTHDAY"],
  ["byYearDay", "BYYEARDAY"],
  ["byWeekNo", "BYWEEKNO"],
  ["byMonth", "BYMONTH"],
  ["bySetPos", "BYSETPOS"],
] as const;

export function rruleToRecur(r: RRule, dtstart: Shape): ICAL.Recur {
  const parts: Record<string, (string | number)[]> = {};
  for (const [field, part] of NUMBER_PARTS) {
    const v = r[field];
    if (v && v.length) parts[part] = [...v];
  }
  if (r.byDay && r.byDay.length) parts.BYDAY = r.byDay.map((d) => (d.offset ? `${d.offset}${d.day}` : d.day));
  const data: Record<string, unknown> = { freq: r.frequency, parts };
  if (r.count != null) data.count = r.count;
  if (r.interval != null) data.interval = r.interval;
  if (r.until) data.until = untilTime(r.until, dtstart);
  return ICAL.Recur.fromData(data);
}

function numbers(v: unknown): number[] | null {
  if (v == null) return null;
  const arr = (Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isFinite(n));
  return arr.length ? arr : null;
}

function weekDay(s: string): WeekDay | null {
  const m = /^([+-]?\d{1,2})?([A-Za-z]{2})$/.exec(s.trim());
  if (!m) return null;
  const day = m[2]!.toUpperCase() as WeekDayName;
  if (!DAYS.includes(day)) return null;
  return { day, offset: m[1] ? Number(m[1]) : 0 };
}

/**
 * Reads an RRULE property. `raw` is ical.js's parsed value (jCal), read for INTERVAL because
 * ical.js's Recur object cannot tell "INTERVAL=1" from no INTERVAL.
 */
export function readRrule(prop: ICAL.Property, dtstart: BmDateTime, ctx: ReadContext): RRule | null {
  let recur: ICAL.Recur | null;
  try {
    recur = prop.getFirstValue() as ICAL.Recur | null;
  } catch (e) {
    ctx.warn(`convert: RRULE ignored: ${(e as Error).message}`);
    return null;
  }
  if (!recur || !recur.freq) return null;
  const freq = recur.freq.toUpperCase() as Frequency;
  if (!FREQUENCIES.includes(freq)) return null;
  const raw = (prop.toJSON() as unknown[])[3] as { interval?: unknown } | undefined;
  const parts = recur.parts as Record<string, unknown>;
  const r: RRule = {
    frequency: freq,
    count: recur.count ?? null,
    until: null,
    interval: raw && raw.interval != null ? Number(raw.interval) : null,
    bySecond: null,
    byMinute: null,
    byHour: null,
    byDay: null,
    byMonthDay: null,
    byYearDay: null,
    byWeekNo: null,
    byMonth: null,
    bySetPos: null,
  };
  for (const [field, part] of NUMBER_PARTS) r[field] = numbers(parts[part]);
  const byDay = parts.BYDAY;
  if (byDay != null) {
    const days = (Array.isArray(byDay) ? byDay : [byDay]).map((d) => weekDay(String(d))).filter((d): d is WeekDay => d !== null);
    r.byDay = days.length ? days : null;
  }
  if (recur.until) r.until = expressLike(readTime(recur.until, null, ctx), dtstart);
  return r;
}
