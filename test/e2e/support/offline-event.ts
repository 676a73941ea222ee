/**
 * The offline model's event (a single event or a simple DAILY/WEEKLY series, its EXDATEs and
 * exceptions, in wall-clock time) and what follows from it: instants, Thunderbird times, the
 * occurrences Thunderbird expands, its normalized form.
 */

import type { WeekDayName } from "../../../src/bluemind/types";
import { pseudoUtcToWall, utcToWall, wallToPseudoUtc, wallToUtc, type WallClock } from "../../../server/tz";
import type { TbTime } from "./calendar-chrome";
import { canonicalRule, dateString, descriptionText, utcString, wallString, type NormalEvent } from "./offline-normal";

export const DAY = 86_400_000;
export const MINUTE = 60_000;
const WEEKDAYS: readonly WeekDayName[] = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
/** Occurrence edits only pick among a series' first occurrences. */
const OCCURRENCE_HORIZON = 30;

// ------------------------------------------------------------------ the model

export interface ModelRule {
  freq: "DAILY" | "WEEKLY";
  interval: number;
  count: number | null;
  /** Last allowed start: an instant, or for all-day events the date as pseudo-UTC midnight. */
  until: number | null;
  byDay: WeekDayName | null;
}

export interface ModelException {
  ridWall: WallClock;
  title: string;
  start: WallClock;
  end: WallClock;
}

export interface ModelEvent {
  id: string;
  title: string;
  location: string;
  description: string;
  /** null: all-day (walls are dates at midnight). */
  zone: string | null;
  start: WallClock;
  /** Minutes for timed events, days for all-day ones. */
  length: number;
  rule: ModelRule | null;
  /** Keyed by the normalized recurrence id. */
  exdates: Map<string, WallClock>;
  exceptions: Map<string, ModelException>;
}

export interface Occurrence {
  key: string;
  wall: WallClock;
}

export const addMinutes = (w: WallClock, minutes: number): WallClock => pseudoUtcToWall(wallToPseudoUtc(w) + minutes * MINUTE);
export const addDays = (w: WallClock, days: number): WallClock => addMinutes(w, days * 1440);
export const weekday = (w: WallClock): WeekDayName => WEEKDAYS[new Date(wallToPseudoUtc(w)).getUTCDay()]!;

export function instantOf(ev: ModelEvent, w: WallClock): number {
  return ev.zone === null ? wallToPseudoUtc(w) : wallToUtc(ev.zone, w);
}

export function normalTime(ev: ModelEvent, w: WallClock): string {
  return ev.zone === null ? dateString(w) : utcString(wallToUtc(ev.zone, w));
}

export function tbTime(ev: ModelEvent, w: WallClock): TbTime {
  return ev.zone === null ? `DATE:${dateString(w)}` : `${ev.zone}:${wallString(w)}`;
}

export function endWall(ev: ModelEvent, start: WallClock, length: number): WallClock {
  if (ev.zone === null) return addDays(start, length);
  return utcToWall(ev.zone, wallToUtc(ev.zone, start) + length * MINUTE);
}

export function ruleParts(ev: ModelEvent): Record<string, string> | null {
  const r = ev.rule;
  if (!r) return null;
  const parts: Record<string, string> = { FREQ: r.freq, INTERVAL: String(r.interval) };
  if (r.count !== null) parts.COUNT = String(r.count);
  if (r.until !== null) parts.UNTIL = ev.zone === null ? dateString(pseudoUtcToWall(r.until)) : utcString(r.until);
  if (r.byDay) parts.BYDAY = r.byDay;
  return parts;
}

/** The series' first occurrences (excluded ones included), as Thunderbird expands them. */
export function occurrences(ev: ModelEvent): Occurrence[] {
  const r = ev.rule;
  if (!r) return [];
  const step = (r.freq === "DAILY" ? 1 : 7) * r.interval;
  const out: Occurrence[] = [];
  for (let k = 0; k < OCCURRENCE_HORIZON && (r.count === null || k < r.count); k++) {
    const wall = addDays(ev.start, k * step);
    if (r.until !== null && instantOf(ev, wall) > r.until) break;
    out.push({ key: normalTime(ev, wall), wall });
  }
  return out;
}

export function normalOf(ev: ModelEvent): NormalEvent {
  const parts = ruleParts(ev);
  return {
    uid: ev.id,
    title: ev.title,
    location: ev.location,
    description: descriptionText(ev.description),
    start: normalTime(ev, ev.start),
    end: normalTime(ev, endWall(ev, ev.start, ev.length)),
    rrule: parts ? canonicalRule(parts) : null,
    rdates: [],
    exdates: [...ev.exdates.keys()],
    exceptions: [...ev.exceptions].map(([rid, e]) => ({ rid, title: e.title, start: normalTime(ev, e.start), end: normalTime(ev, e.end) })),
  };
}
