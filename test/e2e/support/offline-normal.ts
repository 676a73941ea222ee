/**
 * The one normalized form (UTC instants, DATE values for all-day events, a canonical RRULE) in
 * which the offline property test compares its model, the reference server's store and
 * Thunderbird's calendar, and the readers of the server's BlueMind JSON and of Thunderbird's items.
 */

import type { BmDateTime, RRule, VEventSeries } from "../../../src/bluemind/types";
import { htmlToText, looksLikeHtml } from "../../../src/convert/description";
import { toInstant } from "../../../server/bmdate";
import { pseudoUtcToWall, type WallClock } from "../../../server/tz";
import type { TbSeries } from "./calendar-chrome";

// ------------------------------------------------------------------ normalized form

export interface NormalException {
  rid: string;
  title: string;
  start: string;
  end: string;
}

/** One event as compared: instants in UTC ("20261012T073000Z"), all-day values as DATEs ("20261012"). */
export interface NormalEvent {
  uid: string;
  title: string;
  location: string;
  description: string;
  start: string;
  end: string;
  rrule: string | null;
  rdates: string[];
  exdates: string[];
  exceptions: NormalException[];
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
export const dateString = (w: WallClock): string => `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}`;
export const wallString = (w: WallClock): string => `${dateString(w)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
export const utcString = (ms: number): string => `${wallString(pseudoUtcToWall(ms))}Z`;

/** BlueMind keeps HTML descriptions; iCalendar's DESCRIPTION (what Thunderbird holds) is their text. */
export function descriptionText(value: string | null | undefined): string {
  const s = value ?? "";
  return looksLikeHtml(s) ? htmlToText(s) : s;
}

const RULE_PARTS = [
  "FREQ",
  "INTERVAL",
  "COUNT",
  "UNTIL",
  "BYSECOND",
  "BYMINUTE",
  "BYHOUR",
  "BYDAY",
  "BYMONTHDAY",
  "BYYEARDAY",
  "BYWEEKNO",
  "BYMONTH",
  "BYSETPOS",
  "WKST",
];

/** "FREQ=WEEKLY;BYDAY=MO;COUNT=5" in any part order, INTERVAL defaulting to 1 -> canonical order. */
export function canonicalRule(parts: Record<string, string>): string {
  const all = { INTERVAL: "1", ...parts };
  const unknown = Object.keys(all).filter((k) => !RULE_PARTS.includes(k));
  if (unknown.length) throw new Error(`unexpected RRULE parts ${unknown.join(",")}`);
  return RULE_PARTS.filter((k) => all[k as keyof typeof all] !== undefined)
    .map((k) => `${k}=${all[k as keyof typeof all]}`)
    .join(";");
}

export function parseRuleString(rule: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of rule
    .trim()
    .replace(/^RRULE:/i, "")
    .split(";")) {
    const [key, value] = part.split("=");
    if (key && value !== undefined) parts[key.toUpperCase()] = value;
  }
  return parts;
}

export function sortNormal(events: NormalEvent[]): NormalEvent[] {
  return events
    .map((e) => ({
      ...e,
      rdates: [...e.rdates].sort(),
      exdates: [...e.exdates].sort(),
      exceptions: [...e.exceptions].sort((a, b) => a.rid.localeCompare(b.rid)),
    }))
    .sort((a, b) => a.uid.localeCompare(b.uid));
}

/** Up to `max` differences between two normalized calendars, readable in a test failure. */
export function describeDifferences(left: NormalEvent[], right: NormalEvent[], names: [string, string], max = 5): string[] {
  const out: string[] = [];
  const l = new Map(left.map((e) => [e.uid, e]));
  const r = new Map(right.map((e) => [e.uid, e]));
  for (const uid of new Set([...l.keys(), ...r.keys()])) {
    const a = l.get(uid);
    const b = r.get(uid);
    if (!a || !b) {
      out.push(`${uid}: only in ${a ? names[0] : names[1]} (${JSON.stringify(a ?? b)})`);
    } else {
      for (const key of Object.keys(a) as (keyof NormalEvent)[]) {
        if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
          out.push(`${uid} "${a.title}" ${key}: ${names[0]} ${JSON.stringify(a[key])} / ${names[1]} ${JSON.stringify(b[key])}`);
        }
      }
    }
    if (out.length >= max) break;
  }
  return out;
}

// ------------------------------------------------------------------ server store -> normalized form

/** Reads BlueMind's JSON directly (not through the add-on's converter), so a converter bug shows. */
function bmValue(d: BmDateTime): string {
  return d.precision === "Date" ? d.iso8601.slice(0, 10).replace(/-/g, "") : utcString(toInstant(d));
}

function bmRule(r: RRule): string {
  const parts: Record<string, string> = { FREQ: r.frequency };
  if (r.interval != null) parts.INTERVAL = String(r.interval);
  if (r.count != null) parts.COUNT = String(r.count);
  if (r.until) parts.UNTIL = bmValue(r.until);
  // The number lists: each RRULE part is the field's name in capitals (bySetPos: BYSETPOS).
  for (const field of ["bySecond", "byMinute", "byHour", "byMonthDay", "byYearDay", "byWeekNo", "byMonth", "bySetPos"] as const) {
    const list = r[field];
    if (list && list.length) parts[field.toUpperCase()] = list.join(",");
  }
  if (r.byDay && r.byDay.length) parts.BYDAY = r.byDay.map((d) => `${d.offset ? d.offset : ""}${d.day}`).join(",");
  return canonicalRule(parts);
}

export function normalFromSeries(series: VEventSeries): NormalEvent {
  const main = series.main;
  if (!main) throw new Error(`${series.icsUid}: a series without its main event`);
  return {
    uid: series.icsUid,
    title: main.summary ?? "",
    location: main.location ?? "",
    description: descriptionText(main.description),
    start: bmValue(main.dtstart),
    end: main.dtend ? bmValue(main.dtend) : "",
    rrule: main.rrule ? bmRule(main.rrule) : null,
    rdates: (main.rdate ?? []).map(bmValue),
    exdates: (main.exdate ?? []).map(bmValue),
    exceptions: series.occurrences.map((o) => ({
      rid: bmValue(o.recurid),
      title: o.summary ?? "",
      start: bmValue(o.dtstart),
      end: o.dtend ? bmValue(o.dtend) : "",
    })),
  };
}

// ------------------------------------------------------------------ Thunderbird -> normalized form

export function normalFromThunderbird(item: TbSeries): NormalEvent {
  if (item.rules.some((r) => r.negative) || item.rules.length > 1) {
    throw new Error(`${item.id}: unexpected recurrence rules ${JSON.stringify(item.rules)}`);
  }
  const rule = item.rules[0];
  return {
    uid: item.id,
    title: item.title ?? "",
    location: item.location ?? "",
    description: item.description ?? "",
    start: item.start,
    end: item.end,
    rrule: rule ? canonicalRule(parseRuleString(rule.ical)) : null,
    rdates: item.dates.filter((d) => !d.negative).map((d) => d.date),
    exdates: item.dates.filter((d) => d.negative).map((d) => d.date),
    exceptions: item.exceptions.map((e) => ({ rid: e.rid, title: e.title ?? "", start: e.start, end: e.end })),
  };
}
