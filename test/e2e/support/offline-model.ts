/**
 * The model behind the offline property test (offline-property.test.ts): a seeded generator
 * of calendar operations (create, modify, delete, occurrence edits) and the state they must
 * produce, computed in Node without Thunderbird or the add-on, so that "the server and
 * Thunderbird lost the same edit" cannot pass. Also the one normalized form (UTC instants,
 * DATE values for all-day events, a canonical RRULE) in which the model, the reference
 * server's store and Thunderbird's calendar are compared.
 *
 * The model only generates what has one well-defined outcome: recurring events are DAILY or
 * WEEKLY on DTSTART's weekday with COUNT, UNTIL or no end; a whole series is moved only while
 * it has no exceptions or EXDATEs (Thunderbird shifts those by the UTC difference, which is not
 * a wall-clock shift across DST); timed events start between 07:00 and 19:45, far from DST gaps.
 */

import type { BmDateTime, RRule, VEventOccurrence, VEventSeries, WeekDayName } from "../../../src/bluemind/types";
import { htmlToText, looksLikeHtml } from "../../../src/convert/description";
import { bmDate, bmDateTime, toInstant, wallOf } from "../../../server/bmdate";
import { mulberry32, vevent } from "../../../server/event-builders";
import { pseudoUtcToWall, utcToWall, wallToPseudoUtc, wallToUtc, type WallClock } from "../../../server/tz";
import type { TbOperation, TbSeries, TbTime } from "./calendar-chrome";

const DAY = 86_400_000;
const MINUTE = 60_000;
const WEEKDAYS: readonly WeekDayName[] = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const ZONES = ["UTC", "Europe/Paris", "America/New_York"] as const;
/** Occurrence edits only pick among a series' first occurrences. */
const OCCURRENCE_HORIZON = 30;

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
const dateString = (w: WallClock): string => `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}`;
const wallString = (w: WallClock): string => `${dateString(w)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
export const utcString = (ms: number): string => `${wallString(pseudoUtcToWall(ms))}Z`;

/** BlueMind keeps HTML descriptions; iCalendar's DESCRIPTION (what Thunderbird holds) is their text. */
export function descriptionText(value: string | null | undefined): string {
  const s = value ?? "";
  return looksLikeHtml(s) ? htmlToText(s) : s;
}

const RULE_PARTS = ["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"];

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
  for (const part of rule.trim().replace(/^RRULE:/i, "").split(";")) {
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
  const lists: [string, number[] | null | undefined][] = [
    ["BYSECOND", r.bySecond],
    ["BYMINUTE", r.byMinute],
    ["BYHOUR", r.byHour],
    ["BYMONTHDAY", r.byMonthDay],
    ["BYYEARDAY", r.byYearDay],
    ["BYWEEKNO", r.byWeekNo],
    ["BYMONTH", r.byMonth],
    ["BYSETPOS", r.bySetPos],
  ];
  for (const [key, list] of lists) if (list && list.length) parts[key] = list.join(",");
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
    exceptions: series.occurrences.map((o) => ({ rid: bmValue(o.recurid), title: o.summary ?? "", start: bmValue(o.dtstart), end: o.dtend ? bmValue(o.dtend) : "" })),
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

/** What an operation was chosen to do, for the printed mix. */
export type OperationLabel =
  | "create single"
  | "create all-day"
  | "create recurring"
  | "create recurring all-day"
  | "modify title"
  | "modify time"
  | "modify location"
  | "modify description"
  | "delete"
  | "modify occurrence"
  | "delete occurrence";

// ------------------------------------------------------------------ the model

interface ModelRule {
  freq: "DAILY" | "WEEKLY";
  interval: number;
  count: number | null;
  /** Last allowed start: an instant, or for all-day events the date as pseudo-UTC midnight. */
  until: number | null;
  byDay: WeekDayName | null;
}

interface ModelException {
  ridWall: WallClock;
  title: string;
  start: WallClock;
  end: WallClock;
}

interface ModelEvent {
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

interface Occurrence {
  key: string;
  wall: WallClock;
}

const addMinutes = (w: WallClock, minutes: number): WallClock => pseudoUtcToWall(wallToPseudoUtc(w) + minutes * MINUTE);
const addDays = (w: WallClock, days: number): WallClock => addMinutes(w, days * 1440);
const weekday = (w: WallClock): WeekDayName => WEEKDAYS[new Date(wallToPseudoUtc(w)).getUTCDay()]!;

function instantOf(ev: ModelEvent, w: WallClock): number {
  return ev.zone === null ? wallToPseudoUtc(w) : wallToUtc(ev.zone, w);
}

function normalTime(ev: ModelEvent, w: WallClock): string {
  return ev.zone === null ? dateString(w) : utcString(wallToUtc(ev.zone, w));
}

function tbTime(ev: ModelEvent, w: WallClock): TbTime {
  return ev.zone === null ? `DATE:${dateString(w)}` : `${ev.zone}:${wallString(w)}`;
}

function endWall(ev: ModelEvent, start: WallClock, length: number): WallClock {
  if (ev.zone === null) return addDays(start, length);
  return utcToWall(ev.zone, wallToUtc(ev.zone, start) + length * MINUTE);
}

function ruleParts(ev: ModelEvent): Record<string, string> | null {
  const r = ev.rule;
  if (!r) return null;
  const parts: Record<string, string> = { FREQ: r.freq, INTERVAL: String(r.interval) };
  if (r.count !== null) parts.COUNT = String(r.count);
  if (r.until !== null) parts.UNTIL = ev.zone === null ? dateString(pseudoUtcToWall(r.until)) : utcString(r.until);
  if (r.byDay) parts.BYDAY = r.byDay;
  return parts;
}

/** The series' first occurrences (excluded ones included), as Thunderbird expands them. */
function occurrences(ev: ModelEvent): Occurrence[] {
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

function normalOf(ev: ModelEvent): NormalEvent {
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

/** The model's event for a series already on the server (the demo fixtures). */
function modelFromSeries(series: VEventSeries): ModelEvent {
  const main = series.main;
  if (!main) throw new Error(`${series.icsUid}: no main event`);
  const allDay = main.dtstart.precision === "Date";
  const zone = allDay ? null : (main.dtstart.timezone ?? "UTC");
  const wallIn = (d: BmDateTime): WallClock => (allDay || zone === null ? wallOf(d) : utcToWall(zone, toInstant(d)));
  const start = wallIn(main.dtstart);
  const end = main.dtend ? wallIn(main.dtend) : start;
  const ev: ModelEvent = {
    id: series.icsUid,
    title: main.summary ?? "",
    location: main.location ?? "",
    description: main.description ?? "",
    zone,
    start,
    length: allDay
      ? Math.round((wallToPseudoUtc(end) - wallToPseudoUtc(start)) / DAY)
      : Math.round((toInstant(main.dtend ?? main.dtstart) - toInstant(main.dtstart)) / MINUTE),
    rule: null,
    exdates: new Map(),
    exceptions: new Map(),
  };
  const r = main.rrule;
  if (r) {
    const byDay = r.byDay ?? [];
    const simple =
      (r.frequency === "DAILY" || r.frequency === "WEEKLY") &&
      [r.bySecond, r.byMinute, r.byHour, r.byMonthDay, r.byYearDay, r.byWeekNo, r.byMonth, r.bySetPos].every((l) => !l || l.length === 0) &&
      (byDay.length === 0 || (byDay.length === 1 && byDay[0]!.offset === 0 && byDay[0]!.day === weekday(start)));
    if (!simple) throw new Error(`${series.icsUid}: a recurrence the model does not expand`);
    ev.rule = {
      freq: r.frequency as "DAILY" | "WEEKLY",
      interval: r.interval ?? 1,
      count: r.count ?? null,
      until: r.until ? (allDay ? wallToPseudoUtc(wallOf(r.until)) : toInstant(r.until)) : null,
      byDay: byDay[0]?.day ?? null,
    };
  }
  for (const d of main.exdate ?? []) ev.exdates.set(normalTime(ev, wallIn(d)), wallIn(d));
  for (const o of series.occurrences) {
    const ridWall = wallIn(o.recurid);
    ev.exceptions.set(normalTime(ev, ridWall), { ridWall, title: o.summary ?? "", start: wallIn(o.dtstart), end: wallIn(o.dtend ?? o.dtstart) });
  }
  return ev;
}

/** BlueMind JSON for an event the test seeds on the server before Thunderbird first syncs. */
function seriesOf(ev: ModelEvent): VEventSeries {
  const at = (w: WallClock): BmDateTime => (ev.zone === null ? bmDate(w.year, w.month, w.day) : bmDateTime(ev.zone, w));
  const r = ev.rule;
  const main = vevent({
    dtstart: at(ev.start),
    dtend: at(endWall(ev, ev.start, ev.length)),
    summary: ev.title,
    location: ev.location || null,
    description: ev.description || null,
    exdate: [...ev.exdates.values()].map(at),
    rrule: r
      ? {
          frequency: r.freq,
          interval: r.interval,
          count: r.count,
          until: r.until === null ? null : at(ev.zone === null ? pseudoUtcToWall(r.until) : utcToWall(ev.zone, r.until)),
          byDay: r.byDay ? [{ day: r.byDay, offset: 0 }] : null,
        }
      : null,
  });
  const occurrences: VEventOccurrence[] = [...ev.exceptions.values()].map((e) => ({
    ...vevent({ dtstart: at(e.start), dtend: at(e.end), summary: e.title }),
    recurid: at(e.ridWall),
  }));
  return { main, occurrences, counters: [], properties: {}, icsUid: ev.id };
}

// ------------------------------------------------------------------ random values

const WORDS = [
  "Réunion", "budget", "équipe", "client", "revue", "point", "projet", "démo", "café", "sprint", "planning",
  "Noël", "été", "à", "l'agence", "(visio)", "—", "déjeuner", "formation", "naïve", "Œuvre", "«urgent»",
  "ça", "Zürich", "São Paulo", "a,b", "x;y", "back\\slash", "\"citation\"", "50%", "#42", "ÉTÉ", "日本",
];

class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    const value = list[this.int(0, list.length - 1)];
    if (value === undefined) throw new Error("pick from an empty list");
    return value;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  words(min: number, max: number): string {
    return Array.from({ length: this.int(min, max) }, () => this.pick(WORDS)).join(" ");
  }

  uuid(): string {
    const hex = (n: number): string => Array.from({ length: n }, () => this.int(0, 15).toString(16)).join("");
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${this.pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
  }
}

// ------------------------------------------------------------------ the world: model + generator

type Kind = "create" | "modify title" | "modify time" | "modify location" | "modify description" | "delete" | "modify occurrence" | "delete occurrence";

/** The mix of operations (weights, out of 100). */
export const OPERATION_WEIGHTS: readonly (readonly [Kind, number])[] = [
  ["create", 24],
  ["modify title", 11],
  ["modify time", 10],
  ["modify location", 6],
  ["modify description", 6],
  ["delete", 10],
  ["modify occurrence", 19],
  ["delete occurrence", 14],
];

export class OfflineWorld {
  private readonly random: Random;
  private readonly events = new Map<string, ModelEvent>();
  /** First day new events may start on (pseudo-UTC midnight). */
  private readonly firstDay: number;
  readonly counts = new Map<OperationLabel, number>();
  /** Events that were on the server before going offline. */
  private readonly fromServer = new Set<string>();
  /** Operations that changed or deleted one of those. */
  onServerEvents = 0;

  /** `anchor`: the reference server's demo "now"; new events land from 30 days before to 60 after. */
  constructor(seed: number, anchor: number) {
    this.random = new Random(seed);
    this.firstDay = Math.floor(anchor / DAY) * DAY - 30 * DAY;
  }

  get size(): number {
    return this.events.size;
  }

  /** Takes the server's events as they are (the demo fixtures). */
  adopt(series: VEventSeries[]): void {
    for (const s of series) {
      const ev = modelFromSeries(s);
      this.events.set(ev.id, ev);
      this.fromServer.add(ev.id);
    }
  }

  /** Makes `n` more events (some with exceptions and EXDATEs) to seed on the server. */
  seedServerEvents(n: number): VEventSeries[] {
    const out: VEventSeries[] = [];
    for (let i = 0; i < n; i++) {
      const ev = this.newEvent(this.random.chance(0.5)).event;
      const occ = occurrences(ev);
      if (occ.length >= 3 && this.random.chance(0.5)) {
        ev.exdates.set(occ[1]!.key, occ[1]!.wall);
        const moved = ev.zone === null ? occ[2]!.wall : addMinutes(occ[2]!.wall, 60);
        ev.exceptions.set(occ[2]!.key, { ridWall: occ[2]!.wall, title: `${ev.title} (moved)`, start: moved, end: endWall(ev, moved, ev.length) });
      }
      this.events.set(ev.id, ev);
      this.fromServer.add(ev.id);
      out.push(seriesOf(ev));
    }
    return out;
  }

  /** What the calendar must hold now. */
  expected(): NormalEvent[] {
    return sortNormal([...this.events.values()].map(normalOf));
  }

  /** The next `n` operations; the model already reflects them when this returns. */
  generate(n: number): TbOperation[] {
    const ops: TbOperation[] = [];
    for (let i = 0; i < n; i++) {
      const [label, op] = this.nextOperation();
      this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
      if (op.kind !== "create" && this.fromServer.has(op.id)) this.onServerEvents++;
      ops.push(op);
    }
    return ops;
  }

  private nextOperation(): [OperationLabel, TbOperation] {
    const kind = this.random.weighted(OPERATION_WEIGHTS);
    const all = [...this.events.values()];
    const recurring = all.filter((e) => this.liveOccurrences(e).length > 0);
    const movable = all.filter((e) => e.exceptions.size === 0 && e.exdates.size === 0);
    switch (kind) {
      case "modify title":
      case "modify location":
      case "modify description":
        if (all.length) return this.modifyText(kind, this.random.pick(all));
        break;
      case "modify time":
        if (movable.length) return this.modifyTime(this.random.pick(movable));
        break;
      case "delete":
        if (all.length) {
          const ev = this.random.pick(all);
          this.events.delete(ev.id);
          return ["delete", { kind: "delete", id: ev.id }];
        }
        break;
      case "modify occurrence":
        if (recurring.length) return this.modifyOccurrence(this.random.pick(recurring));
        break;
      case "delete occurrence":
        if (recurring.length) return this.deleteOccurrence(this.random.pick(recurring));
        break;
      case "create":
        break;
    }
    return this.create(kind === "modify occurrence" || kind === "delete occurrence");
  }

  private randomTitle(): string {
    return this.random.words(1, 4);
  }

  private randomDescription(): string {
    const lines = this.random.int(1, 3);
    return Array.from({ length: lines }, () => this.random.words(2, 8)).join("\n");
  }

  private randomStart(allDay: boolean): WallClock {
    const day = pseudoUtcToWall(this.firstDay + this.random.int(0, 90) * DAY);
    return allDay ? day : { ...day, hour: this.random.int(7, 19), minute: this.random.pick([0, 15, 30, 45]) };
  }

  private randomLength(allDay: boolean): number {
    return allDay ? this.random.int(1, 3) : 15 * this.random.int(1, 16);
  }

  private newEvent(recurring: boolean): { event: ModelEvent; label: OperationLabel } {
    const allDay = this.random.chance(0.25);
    const ev: ModelEvent = {
      id: this.random.uuid(),
      title: this.randomTitle(),
      location: this.random.chance(0.5) ? this.random.words(1, 3) : "",
      description: this.random.chance(0.5) ? this.randomDescription() : "",
      zone: allDay ? null : this.random.pick(ZONES),
      start: this.randomStart(allDay),
      length: this.randomLength(allDay),
      rule: null,
      exdates: new Map(),
      exceptions: new Map(),
    };
    if (recurring) {
      const freq = this.random.pick(["DAILY", "WEEKLY"] as const);
      ev.rule = { freq, interval: this.random.int(1, 2), count: null, until: null, byDay: freq === "WEEKLY" ? weekday(ev.start) : null };
      const end = this.random.weighted([["count", 60], ["until", 25], ["never", 15]] as const);
      if (end === "count") ev.rule.count = this.random.int(2, 10);
      if (end === "until") {
        const last = occurrences(ev)[this.random.int(1, 8)];
        ev.rule.until = last ? instantOf(ev, last.wall) : null;
      }
    }
    const label: OperationLabel = recurring ? (allDay ? "create recurring all-day" : "create recurring") : allDay ? "create all-day" : "create single";
    return { event: ev, label };
  }

  private create(recurring: boolean): [OperationLabel, TbOperation] {
    const { event: ev, label } = this.newEvent(recurring || this.random.chance(0.35));
    this.events.set(ev.id, ev);
    const parts = ruleParts(ev);
    return [
      label,
      {
        kind: "create",
        id: ev.id,
        title: ev.title,
        location: ev.location,
        description: ev.description,
        start: tbTime(ev, ev.start),
        end: tbTime(ev, endWall(ev, ev.start, ev.length)),
        rrule: parts ? canonicalRule(parts) : null,
      },
    ];
  }

  private modifyText(kind: "modify title" | "modify location" | "modify description", ev: ModelEvent): [OperationLabel, TbOperation] {
    if (kind === "modify title") {
      ev.title = this.randomTitle();
      return [kind, { kind: "modify", id: ev.id, title: ev.title }];
    }
    if (kind === "modify location") {
      ev.location = this.random.chance(0.15) ? "" : this.random.words(1, 3);
      return [kind, { kind: "modify", id: ev.id, location: ev.location }];
    }
    ev.description = this.random.chance(0.15) ? "" : this.randomDescription();
    return [kind, { kind: "modify", id: ev.id, description: ev.description }];
  }

  /** A new time for a single event; a series moves by whole steps of its rule, keeping its weekday. */
  private modifyTime(ev: ModelEvent): [OperationLabel, TbOperation] {
    const allDay = ev.zone === null;
    const oldStart = instantOf(ev, ev.start);
    if (!ev.rule) {
      ev.start = this.randomStart(allDay);
    } else {
      const days = ev.rule.freq === "WEEKLY" ? 7 * this.random.int(-2, 2) : this.random.int(-3, 3);
      const day = addDays(ev.start, days);
      ev.start = allDay ? day : { ...day, hour: this.random.int(7, 19), minute: this.random.pick([0, 15, 30, 45]) };
      // Thunderbird moves UNTIL by the same (UTC) difference.
      if (ev.rule.until !== null) ev.rule.until += instantOf(ev, ev.start) - oldStart;
    }
    ev.length = this.randomLength(allDay);
    return ["modify time", { kind: "modify", id: ev.id, start: tbTime(ev, ev.start), end: tbTime(ev, endWall(ev, ev.start, ev.length)) }];
  }

  private liveOccurrences(ev: ModelEvent): Occurrence[] {
    return occurrences(ev).filter((o) => !ev.exdates.has(o.key));
  }

  private modifyOccurrence(ev: ModelEvent): [OperationLabel, TbOperation] {
    const occ = this.random.pick(this.liveOccurrences(ev));
    const current = ev.exceptions.get(occ.key) ?? { ridWall: occ.wall, title: ev.title, start: occ.wall, end: endWall(ev, occ.wall, ev.length) };
    const change = this.random.weighted([["title", 50], ["time", 30], ["both", 20]] as const);
    const next: ModelException = { ...current };
    if (change !== "time") next.title = this.randomTitle();
    // The title is always written: an occurrence whose title was never set follows later
    // retitles of its series in Thunderbird's memory, but not once reloaded from storage.
    const op: TbOperation = { kind: "modifyOccurrence", id: ev.id, rid: tbTime(ev, occ.wall), title: next.title };
    if (change !== "title") {
      const allDay = ev.zone === null;
      next.start = allDay ? addDays(occ.wall, this.random.int(-2, 2)) : { ...occ.wall, hour: this.random.int(7, 19), minute: this.random.pick([0, 15, 30, 45]) };
      next.end = endWall(ev, next.start, allDay ? this.random.int(1, 2) : 15 * this.random.int(1, 16));
      op.start = tbTime(ev, next.start);
      op.end = tbTime(ev, next.end);
    }
    ev.exceptions.set(occ.key, next);
    return ["modify occurrence", op];
  }

  private deleteOccurrence(ev: ModelEvent): [OperationLabel, TbOperation] {
    const occ = this.random.pick(this.liveOccurrences(ev));
    ev.exceptions.delete(occ.key);
    ev.exdates.set(occ.key, occ.wall);
    return ["delete occurrence", { kind: "deleteOccurrence", id: ev.id, rid: tbTime(ev, occ.wall) }];
  }
}
