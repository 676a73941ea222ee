/**
 * The dates one RRULE gives in a range, exactly as Thunderbird's CalRecurrenceRule.getOccurrences
 * gives them, but iterated on wall-clock (floating) times. Bundled by build.mjs for the
 * experiment (global `BmRuleDates`), where online-reads.js expands an online-only calendar's
 * series with it (occurrences.js).
 *
 * Why: Thunderbird iterates a rule in the series' zone. Every step of ical.js's RecurIterator
 * compares the moving time with DTSTART, the previous step and UNTIL, and each compare of a
 * zoned time asks the zone for its UTC offset (ICAL.Timezone.utcOffset, tens of µs): for a
 * month of a 10,000-event calendar that was half of the 1.3–1.7 s the expansion took, all on
 * the main thread (issue 11, measured). The wall-clock sequence does not depend on the zone, as
 * long as every date is at least a day from the next (a daily or coarser rule with no
 * BYHOUR, BYMINUTE or BYSECOND): instants then order as the wall clocks do, so the same dates
 * come out. Only the dates within two days (more than any two zones' offsets differ) of UNTIL
 * or of the range's ends are compared in the zone, with Thunderbird's own comparisons.
 * Anything else (sub-daily rules, all-day, UTC or floating starts) returns null: the caller
 * uses Thunderbird's own iteration, which is cheap or exact there.
 */
import type ICAL from "ical.js";
import { utcMsToWall, wallAsUtcMs } from "../convert/iso";

type Ical = typeof ICAL;

const BAND_SECONDS = 2 * 86_400;
const DAILY_OR_COARSER = new Set(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]);
const SUB_DAILY_PARTS = ["BYHOUR", "BYMINUTE", "BYSECOND"] as const;

/** Seconds of a time's wall clock, read as if it were UTC: comparable across zones to within 26 h. */
function wallSeconds(t: ICAL.Time): number {
  return wallAsUtcMs(t) / 1000;
}

function sameClock(ical: Ical, t: ICAL.Time, zone: ICAL.Timezone): ICAL.Time {
  return new ical.Time({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second, isDate: false }, zone);
}

/** Whether ruleDates can expand this rule from this start (else null is returned). */
export function wallClockExpandable(ical: Ical, recur: ICAL.Recur, start: ICAL.Time): boolean {
  const zone = start.zone;
  if (start.isDate || !zone || zone === ical.Timezone.utcTimezone || zone === ical.Timezone.localTimezone) {
    return false;
  }
  if (!DAILY_OR_COARSER.has(recur.freq)) return false;
  return !SUB_DAILY_PARTS.some((part) => recur.parts[part]?.length);
}

/**
 * The rule's dates from `start` that fall in [rangeStart, rangeEnd), as new times in start's
 * zone, in order: CalRecurrenceRule.getOccurrences(start, rangeStart, rangeEnd, 0). Null when the
 * rule is not one wallClockExpandable accepts.
 */
export function ruleDates(ical: Ical, recur: ICAL.Recur, start: ICAL.Time, rangeStart: ICAL.Time, rangeEnd: ICAL.Time): ICAL.Time[] | null {
  if (!wallClockExpandable(ical, recur, start)) return null;
  const zone = start.zone;
  const from = rangeStart.clone();
  from.isDate = false;
  const to = rangeEnd.clone();
  to.isDate = false;
  if (start.compare(to) >= 0) return [];

  const until = recur.until;
  const fromWall = wallSeconds(from);
  const toWall = wallSeconds(to);
  const untilWall = until ? wallSeconds(until) : 0;

  const dates: ICAL.Time[] = [];
  for (const wall of wallClockDates(ical, recur, start)) {
    let zoned: ICAL.Time | null = null;
    if (until) {
      // ical.js ends the iteration at the first date after UNTIL.
      if (wall - untilWall > BAND_SECONDS) break;
      if (wall - untilWall > -BAND_SECONDS) {
        zoned = zonedAt(ical, wall, zone);
        if (zoned.compare(until) > 0) break;
      }
    }
    if (wall < fromWall - BAND_SECONDS) continue;
    if (wall >= toWall + BAND_SECONDS) break;
    zoned ??= zonedAt(ical, wall, zone);
    if (zoned.compare(from) < 0) continue;
    if (zoned.compare(to) >= 0) break;
    dates.push(zoned);
  }
  return dates;
}

const DAY_SECONDS = 86_400;
const ICAL_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/** The time in `zone` whose wall clock reads `seconds` (wallSeconds' inverse). */
function zonedAt(ical: Ical, seconds: number, zone: ICAL.Timezone): ICAL.Time {
  return new ical.Time({ ...utcMsToWall(seconds * 1000), isDate: false }, zone);
}

/**
 * The rule's dates from start as wall-clock seconds, in order, with COUNT applied but not UNTIL:
 * by arithmetic for the simple rules (simpleSteps), else by ical.js's iterator on a floating start.
 */
function* wallClockDates(ical: Ical, recur: ICAL.Recur, start: ICAL.Time): Generator<number> {
  const steps = simpleSteps(recur, start);
  if (!steps) {
    const unbounded = recur.clone();
    unbounded.until = null;
    const iterator = unbounded.iterator(sameClock(ical, start, ical.Timezone.localTimezone));
    for (let next = iterator.next(); next; next = iterator.next()) yield wallSeconds(next);
    return;
  }
  const count = recur.count ?? Infinity;
  let emitted = 0;
  for (const seconds of steps) {
    if (emitted >= count) return;
    emitted++;
    yield seconds;
  }
}

/**
 * The wall-clock seconds of a simple rule's dates, or null when the rule is not simple. Why: ical.js's
 * RecurIterator costs ~25 µs a step even on floating times (measured in Node), and a month's
 * query steps through every series from its start. Simple: DAILY, WEEKLY, or MONTHLY on a day
 * ≤ 28, with INTERVAL, COUNT and UNTIL, and as only BY part a WEEKLY BYDAY list without ordinals
 * that holds DTSTART's weekday, or a MONTHLY BYMONTHDAY that is DTSTART's day. Each of these
 * repeats its DTSTART's period exactly, so the dates are DTSTART plus whole days or months.
 */
function simpleSteps(recur: ICAL.Recur, start: ICAL.Time): Iterable<number> | null {
  const parts = Object.values(recur.parts).filter((values) => values?.length);
  const interval = recur.interval || 1;
  if (!Number.isInteger(interval) || interval < 1) return null;
  const base = wallSeconds(start);
  const weekday = new Date(base * 1000).getUTCDay();
  if (recur.freq === "DAILY" && !parts.length) return periodic(base, interval * DAY_SECONDS, [0]);
  if (recur.freq === "WEEKLY") {
    if (!parts.length) return periodic(base, interval * 7 * DAY_SECONDS, [0]);
    const byDay = recur.parts.BYDAY;
    if (parts.length !== 1 || !byDay) return null;
    const days = byDay.map((value) => ICAL_DAYS.indexOf(String(value).toUpperCase()));
    if (days.some((day) => day < 0) || !days.includes(weekday)) return null;
    const weekStart = ((recur.wkst || 2) - 1) % 7; // ical.js: SUNDAY = 1
    const fromWeekStart = (day: number) => (day - weekStart + 7) % 7;
    const startOffset = fromWeekStart(weekday);
    // Offsets from DTSTART, in week order; the first week's days before DTSTART are not dates.
    const offsets = [...new Set(days.map(fromWeekStart))].sort((a, b) => a - b).map((o) => (o - startOffset) * DAY_SECONDS);
    return periodic(base, interval * 7 * DAY_SECONDS, offsets);
  }
  if (recur.freq === "MONTHLY" && start.day <= 28) {
    const byMonthDay = recur.parts.BYMONTHDAY;
    const onStartDay = parts.length === 1 && byMonthDay?.length === 1 && byMonthDay[0] === start.day;
    if (parts.length && !onStartDay) return null;
    return monthly(start, interval);
  }
  return null;
}

function* periodic(base: number, period: number, offsets: number[]): Generator<number> {
  for (let k = 0; ; k++) {
    for (const offset of offsets) {
      const at = base + k * period + offset;
      if (at >= base) yield at;
    }
  }
}

function* monthly(start: ICAL.Time, interval: number): Generator<number> {
  for (let k = 0; ; k++) {
    yield Date.UTC(start.year, start.month - 1 + k * interval, start.day, start.hour, start.minute, start.second) / 1000;
  }
}
