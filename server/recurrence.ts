/**
 * Occurrence expansion of a VEventSeries, used to decide whether a series overlaps a search
 * window. RRULEs are iterated by ical.js on floating wall-clock times in the event's zone,
 * then converted to instants here (DST-correct); EXDATEs, overrides and RDATEs applied.
 */
import ICAL from "ical.js";
import type { BmDateTime, RRule, VEvent, VEventSeries } from "../src/bluemind/types";
import { parseBmDate, toInstant, wallOf } from "./bmdate";
import { pseudoUtcToWall, wallToPseudoUtc, wallToUtc, type WallClock } from "./tz";

export interface Instance {
  start: number;
  end: number;
}

const MAX_ITERATIONS = 50_000;
const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

function untilString(until: BmDateTime, zone: string, isDate: boolean): string {
  const w = wallOf(until, zone);
  const p = parseBmDate(until);
  if (isDate) return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}`;
  // A date-only UNTIL on a timed series includes that whole day.
  const t = p.isDate ? { ...w, hour: 23, minute: 59, second: 59 } : w;
  return `${pad(t.year, 4)}${pad(t.month)}${pad(t.day)}T${pad(t.hour)}${pad(t.minute)}${pad(t.second)}`;
}

/** RFC 5545 RRULE text for a BlueMind RRule (UNTIL written as floating time in `zone`). */
export function rruleString(r: RRule, zone: string, isDate: boolean): string {
  const parts = [`FREQ=${r.frequency}`];
  if (r.interval && r.interval > 1) parts.push(`INTERVAL=${r.interval}`);
  if (r.count != null) parts.push(`COUNT=${r.count}`);
  if (r.until) parts.push(`UNTIL=${untilString(r.until, zone, isDate)}`);
  const list = (k: string, v: number[] | null | undefined): void => {
    if (v && v.length) parts.push(`${k}=${v.join(",")}`);
  };
  list("BYSECOND", r.bySecond);
  list("BYMINUTE", r.byMinute);
  list("BYHOUR", r.byHour);
  if (r.byDay && r.byDay.length) parts.push(`BYDAY=${r.byDay.map((d) => (d.offset ? `${d.offset}${d.day}` : d.day)).join(",")}`);
  list("BYMONTHDAY", r.byMonthDay);
  list("BYYEARDAY", r.byYearDay);
  list("BYWEEKNO", r.byWeekNo);
  list("BYMONTH", r.byMonth);
  list("BYSETPOS", r.bySetPos);
  return parts.join(";");
}

/** Start/end of one VEvent (not expanded); floating values read in `floatingTz`. */
export function eventSpan(e: VEvent, floatingTz: string): Instance {
  const start = toInstant(e.dtstart, floatingTz);
  if (e.dtend) return { start, end: toInstant(e.dtend, floatingTz) };
  const isDate = parseBmDate(e.dtstart).isDate;
  return { start, end: isDate ? start + 86_400_000 : start };
}

/**
 * Every instance of a series in chronological order of the main rule, then the overrides.
 * `stopAfter`: stop iterating the rule once an occurrence starts at or after this instant.
 */
export function* seriesInstances(
  series: VEventSeries,
  floatingTz: string,
  stopAfter = Infinity,
  /** Instances ending well before this instant may be skipped without conversion. */
  skipBefore = -Infinity,
): Generator<Instance> {
  const overrides = series.occurrences ?? [];
  const main = series.main;
  if (main) {
    const p = parseBmDate(main.dtstart);
    const zone = p.isDate ? floatingTz : (p.timezone ?? floatingTz);
    const startWall = wallOf(main.dtstart, floatingTz);
    const endWall = main.dtend ? wallOf(main.dtend, floatingTz) : null;
    // Duration as wall-clock difference, so a 09:30-09:45 meeting stays 15 min across DST.
    const durWall = endWall ? wallToPseudoUtc(endWall) - wallToPseudoUtc(startWall) : p.isDate ? 86_400_000 : 0;
    const instanceOf = (w: WallClock): Instance => ({
      start: wallToUtc(zone, w),
      end: wallToUtc(zone, pseudoUtcToWall(wallToPseudoUtc(w) + durWall)),
    });
    const excluded = new Set<number>();
    for (const ex of main.exdate ?? []) excluded.add(toInstant(ex, zone));
    for (const o of overrides) excluded.add(toInstant(o.recurid, zone));
    const rdates = (main.rdate ?? []).map((r) => toInstant(r, zone));
    const span = eventSpan(main, floatingTz);
    if (!main.rrule) {
      if (!excluded.has(span.start)) yield span;
    } else {
      const rule = ICAL.Recur.fromString(rruleString(main.rrule, zone, p.isDate));
      const dt = ICAL.Time.fromData({ ...startWall, isDate: p.isDate });
      const it = rule.iterator(dt);
      for (let i = 0; i < MAX_ITERATIONS; i++) {
        const next = it.next();
        if (!next) break;
        const w = { year: next.year, month: next.month, day: next.day, hour: next.hour, minute: next.minute, second: next.second };
        // Wall clock is within ±1 day of the instant: cheap pre-filter before tz conversion.
        if (wallToPseudoUtc(w) + durWall < skipBefore - 86_400_000) continue;
        const inst = instanceOf(w);
        if (inst.start >= stopAfter) break;
        if (!excluded.has(inst.start)) yield inst;
      }
    }
    for (const r of rdates) {
      if (!excluded.has(r)) yield { start: r, end: r + (span.end - span.start) };
    }
  }
  for (const o of overrides) yield eventSpan(o, floatingTz);
}

/** A search window as instants (open sides infinite), and the zone its floating values are read in. */
export function searchWindow(
  dateMin: BmDateTime | null | undefined,
  dateMax: BmDateTime | null | undefined,
): { floatingTz: string; min: number; max: number } {
  const floatingTz = dateMin?.timezone ?? dateMax?.timezone ?? "UTC";
  return {
    floatingTz,
    min: dateMin ? toInstant(dateMin, floatingTz) : -Infinity,
    max: dateMax ? toInstant(dateMax, floatingTz) : Infinity,
  };
}

/**
 * BlueMind's window test, applied to every instance: an instance matches when
 * `end >= dateMin` and `start < dateMax` (VEventIndexStore's gte/lt bounds).
 */
export function seriesOverlaps(
  series: VEventSeries,
  dateMin: BmDateTime | null | undefined,
  dateMax: BmDateTime | null | undefined,
): boolean {
  if (!dateMin && !dateMax) return true;
  const { floatingTz, min, max } = searchWindow(dateMin, dateMax);
  for (const inst of seriesInstances(series, floatingTz, max, min)) {
    if (inst.end >= min && inst.start < max) return true;
  }
  return false;
}
