/**
 * VCALENDAR text -> VEventSeries: groups the VEVENTs of one UID into main + exceptions,
 * ignores the master Thunderbird invents for lone exceptions (X-MOZ-FAKED-MASTER), and,
 * given `base`, restores what iCalendar could not carry (carry-over.ts). Reading a whole file is
 * tolerant, as BlueMind's import is: a VEVENT without UID gets one, a broken VEVENT is skipped and
 * reported, and the others are kept.
 */
import ICAL from "ical.js";
import type { VEvent, VEventOccurrence, VEventSeries } from "../bluemind/types";
import { carryOver } from "./carry-over";
import { ensureDesign } from "./design";
import { ConvertError } from "./errors";
import { lineValue, repairIcs, splitIcs } from "./ics-repair";
import { readContext, type ReadContext, type Warn } from "./read-zones";
import { seriesToIcs } from "./series-write";
import { checkSeries } from "./validate";
import { readVEvent } from "./vevent-read";
import { FAKED_MASTER } from "./xprops";

export interface ReadOptions {
  /** Receives every warning (a guessed zone, an ignored value, a skipped VEVENT). Default: console.warn. */
  warn?: Warn;
  /** Makes the UID of a VEVENT that has none (BlueMind gives such events a random UUID). */
  newUid?: () => string;
}

/** A VEVENT that could not be read. `index` counts the file's VEVENTs from 0. */
export interface SkippedEvent {
  index: number;
  uid: string | null;
  summary: string | null;
  reason: string;
}

export interface CalendarRead {
  series: VEventSeries[];
  skipped: SkippedEvent[];
  warnings: string[];
}

/** One VEVENT as found in the file: its component, or why it could not even be parsed. */
type Found = { comp: ICAL.Component } | { broken: SkippedEvent };

interface Parsed {
  found: Found[];
  ctx: ReadContext;
}

function toComponents(jcal: unknown): ICAL.Component[] {
  const list = Array.isArray(jcal) && Array.isArray(jcal[0]) ? (jcal as unknown[][]) : [jcal as unknown[]];
  return list.map((j) => new ICAL.Component(j));
}

function tryParse(text: string): ICAL.Component[] | Error {
  try {
    const jcal: unknown = ICAL.parse(text);
    if (!Array.isArray(jcal) || jcal.length === 0) return new Error("no iCalendar component");
    return toComponents(jcal);
  } catch (e) {
    return e as Error;
  }
}

/** Whole text first; repaired text next; component by component last. */
function parse(ics: string, edit: boolean, warn: Warn): Parsed {
  ensureDesign();
  let roots = tryParse(ics);
  if (roots instanceof Error) {
    const first = roots;
    roots = tryParse(repairIcs(ics));
    if (!(roots instanceof Error)) warn(`convert: damaged iCalendar repaired (${first.message})`);
    else return parsePieces(ics, edit, warn, first);
  }
  const found: Found[] = [];
  const vtz: ICAL.Component[] = [];
  let calendarZone: string | null = null;
  for (const r of roots) {
    if (r.name === "vevent") found.push({ comp: r });
    else {
      for (const c of r.getAllSubcomponents("vevent")) found.push({ comp: c });
      vtz.push(...r.getAllSubcomponents("vtimezone"));
      const x = r.getFirstProperty("x-wr-timezone");
      if (x && calendarZone === null)
        calendarZone = String((x.toJSON() as [name: string, params: object, type: string, ...values: string[]])[3] ?? "").trim() || null;
    }
  }
  return { found, ctx: readContext(vtz, calendarZone, edit, warn) };
}

function parsePieces(ics: string, edit: boolean, warn: Warn, error: Error): Parsed {
  const pieces = splitIcs(ics);
  if (!pieces.blocks.some((b) => b.name === "VEVENT") && !/BEGIN:VCALENDAR/i.test(ics)) {
    throw new ConvertError(`convert: not valid iCalendar: ${error.message}`);
  }
  warn(`convert: damaged iCalendar read event by event (${error.message})`);
  const found: Found[] = [];
  const vtz: ICAL.Component[] = [];
  let index = 0;
  for (const block of pieces.blocks) {
    if (block.name !== "VEVENT" && block.name !== "VTIMEZONE") continue;
    const parsed = tryParse(`BEGIN:VCALENDAR\r\n${block.lines.join("\r\n")}\r\nEND:VCALENDAR\r\n`);
    const comp = parsed instanceof Error ? null : (parsed[0]?.getFirstSubcomponent(block.name.toLowerCase()) ?? null);
    if (block.name === "VTIMEZONE") {
      if (comp) vtz.push(comp);
      else warn(`convert: a VTIMEZONE (${lineValue(block.lines, "TZID") ?? "no TZID"}) is not valid iCalendar and is ignored`);
      continue;
    }
    if (comp) found.push({ comp });
    else {
      const reason = `not valid iCalendar: ${parsed instanceof Error ? parsed.message : "empty"}`;
      found.push({ broken: { index, uid: lineValue(block.lines, "UID"), summary: lineValue(block.lines, "SUMMARY"), reason } });
    }
    index++;
  }
  return { found, ctx: readContext(vtz, lineValue(pieces.calendarLines, "X-WR-TIMEZONE"), edit, warn) };
}

function safeString(c: ICAL.Component, name: string): string | null {
  try {
    const v = c.getFirstPropertyValue(name);
    return v == null || v === "" ? null : String(v);
  } catch {
    return null;
  }
}

/** v4 UUID from crypto when the platform has it (all that run this code do), else Math.random. */
function randomUid(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  const hex = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16]!, 16) & 3) | 8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface Group {
  uid: string;
  main: VEvent | null;
  /** SEQUENCE and DTSTAMP of `main`'s VEVENT, to choose between two masters of one UID. */
  mainRank: Rank | null;
  occurrences: VEventOccurrence[];
}

interface Rank {
  sequence: number;
  stamp: number;
}

function rankOf(c: ICAL.Component, event: VEvent): Rank {
  let stamp = -Infinity;
  try {
    const v = c.getFirstPropertyValue("dtstamp");
    if (v instanceof ICAL.Time) stamp = v.toUnixTime();
  } catch {
    // an unreadable DTSTAMP ranks lowest
  }
  return { sequence: event.sequence ?? 0, stamp };
}

/**
 * Of two masters with one UID, the current one (RFC 5546 §2.1.5): the higher SEQUENCE, then the
 * later DTSTAMP; on a full tie the later in the file, as BlueMind's import (which always keeps the
 * last master it meets, VEventServiceHelper.normalizeEvent).
 */
const supersedes = (a: Rank, b: Rank): boolean => a.sequence > b.sequence || (a.sequence === b.sequence && a.stamp >= b.stamp);

/** Reads every VEVENT; each one without a UID gets its own new one. */
function readGroups(p: Parsed, newUid: () => string, fallbackUid?: string): { groups: Group[]; skipped: SkippedEvent[] } {
  const groups = new Map<string, Group>();
  const skipped: SkippedEvent[] = [];
  p.found.forEach((f, index) => {
    if ("broken" in f) return skipped.push({ ...f.broken, index });
    const c = f.comp;
    const given = safeString(c, "uid");
    if (safeString(c, FAKED_MASTER) === "1" && !c.hasProperty("recurrence-id")) return;
    let event: ReturnType<typeof readVEvent>;
    try {
      event = readVEvent(c, p.ctx);
    } catch (e) {
      return skipped.push({ index, uid: given, summary: safeString(c, "summary"), reason: (e as Error).message });
    }
    let uid = given ?? fallbackUid;
    if (!uid) {
      uid = newUid();
      p.ctx.warn(`convert: VEVENT #${index} has no UID; given ${uid}`);
    }
    let g = groups.get(uid);
    if (!g) groups.set(uid, (g = { uid, main: null, mainRank: null, occurrences: [] }));
    if (event.recurid) g.occurrences.push({ ...event.event, recurid: event.recurid });
    else {
      const rank = rankOf(c, event.event);
      if (!g.main || !g.mainRank) {
        g.main = event.event;
        g.mainRank = rank;
        return;
      }
      const replace = supersedes(rank, g.mainRank);
      if (replace) {
        g.main = event.event;
        g.mainRank = rank;
      }
      p.ctx.warn(
        `convert: UID ${uid} has two VEVENTs without RECURRENCE-ID; ${replace ? `VEVENT #${index}` : "the earlier one"} is kept ` +
          "(the higher SEQUENCE, then the later DTSTAMP, as RFC 5546)",
      );
    }
  });
  return { groups: [...groups.values()], skipped };
}

function toSeries(g: Group): VEventSeries {
  return { main: g.main, occurrences: g.occurrences, counters: [], properties: {}, icsUid: g.uid };
}

const consoleWarn: Warn = (m) => console.warn(`[bluemind-calendar-sync] ${m}`);

/** Reads back what seriesToIcs wrote for `base`: the yardstick carry-over compares against. */
function echo(base: VEventSeries): VEventSeries {
  const p = parse(seriesToIcs(base, { dtstamp: new Date(0) }), true, () => undefined);
  const { groups } = readGroups(p, randomUid, base.icsUid);
  return groups[0] ? toSeries(groups[0]) : { main: null, occurrences: [], counters: [], properties: {}, icsUid: base.icsUid };
}

/**
 * One UID's VEVENTs (Thunderbird's item, an invitation) as a series. With `base` (an edit of a
 * BlueMind event) every VEVENT must be readable; without, a broken exception is skipped with a warning.
 */
export function icsToSeries(ics: string, base?: VEventSeries | null, options?: ReadOptions): VEventSeries {
  const warn = options?.warn ?? consoleWarn;
  if (base) checkSeries(base);
  const p = parse(ics, !!base, warn);
  if (p.found.length === 0) throw new ConvertError("convert: no VEVENT in the iCalendar data");
  const firstUid = p.found.map((f) => ("comp" in f ? safeString(f.comp, "uid") : f.broken.uid)).find((u) => u);
  const uid = firstUid ?? base?.icsUid ?? (options?.newUid ?? randomUid)();
  const { groups, skipped } = readGroups(p, () => uid, uid);
  if (groups.length > 1) throw new ConvertError("convert: icsToSeries got VEVENTs of several UIDs; use readIcsCalendar");
  const bad = skipped[0];
  if (bad && (base || !groups[0])) throw new ConvertError(`convert: VEVENT ${bad.uid ?? uid}: ${bad.reason}`);
  for (const s of skipped) warn(`convert: an exception of ${uid} skipped: ${s.reason}`);
  const parsed = toSeries(groups[0]!);
  if (!base) return parsed;
  if (base.icsUid && base.icsUid !== uid) throw new ConvertError(`convert: base is event ${base.icsUid}, the ICS is ${uid}`);
  return carryOver(parsed, base, echo);
}

/**
 * Every event of a VCALENDAR (an import), one series per UID in order of appearance, plus the
 * VEVENTs that could not be read and why, and every warning. Throws only for text that is no
 * iCalendar at all.
 */
export function readIcsCalendar(ics: string, options?: ReadOptions): CalendarRead {
  const warnings: string[] = [];
  const outer = options?.warn ?? consoleWarn;
  const warn: Warn = (m) => {
    warnings.push(m);
    outer(m);
  };
  const p = parse(ics, false, warn);
  const { groups, skipped } = readGroups(p, options?.newUid ?? randomUid);
  for (const s of skipped) warn(`convert: VEVENT #${s.index}${s.uid ? ` (UID ${s.uid})` : ""} skipped: ${s.reason}`);
  return { series: groups.map(toSeries), skipped, warnings };
}

/** The good events of a VCALENDAR (readIcsCalendar without the report). */
export function icsToSeriesList(ics: string, options?: ReadOptions): VEventSeries[] {
  return readIcsCalendar(ics, options).series;
}
