/**
 * VCALENDAR text -> VEventSeries: groups the VEVENTs of one UID into main + exceptions,
 * ignores the master Thunderbird invents for lone exceptions (X-MOZ-FAKED-MASTER), and,
 * given `base`, restores what iCalendar could not carry (carry-over.ts).
 */
import ICAL from "ical.js";
import type { VEvent, VEventOccurrence, VEventSeries } from "../bluemind/types";
import { carryOver } from "./carry-over";
import { readZones, type ReadZones } from "./datetime";
import { ensureDesign } from "./design";
import { readVEvent } from "./vevent-read";
import { FAKED_MASTER } from "./xprops";
import { seriesToIcs } from "./series-write";
import { checkSeries } from "./validate";

function parseRoots(ics: string): ICAL.Component[] {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(ics);
  } catch (e) {
    throw new Error(`convert: not valid iCalendar: ${(e as Error).message}`);
  }
  const list = Array.isArray(jcal) && Array.isArray(jcal[0]) ? (jcal as unknown[][]) : [jcal as unknown[]];
  return list.map((j) => new ICAL.Component(j));
}

interface Parsed {
  vevents: ICAL.Component[];
  zones: ReadZones;
}

function parse(ics: string): Parsed {
  ensureDesign();
  const roots = parseRoots(ics);
  const vevents: ICAL.Component[] = [];
  const vtz: ICAL.Component[] = [];
  for (const r of roots) {
    if (r.name === "vevent") vevents.push(r);
    else {
      vevents.push(...r.getAllSubcomponents("vevent"));
      vtz.push(...r.getAllSubcomponents("vtimezone"));
    }
  }
  return { vevents, zones: readZones(vtz) };
}

function uidOf(c: ICAL.Component): string {
  const v = c.getFirstPropertyValue("uid");
  return v == null ? "" : String(v);
}

function build(uid: string, comps: ICAL.Component[], zones: ReadZones): VEventSeries {
  let main: VEvent | null = null;
  const occurrences: VEventOccurrence[] = [];
  for (const c of comps) {
    const faked = String(c.getFirstPropertyValue(FAKED_MASTER) ?? "") === "1";
    if (faked && !c.hasProperty("recurrence-id")) continue;
    const { event, recurid } = readVEvent(c, zones);
    if (recurid) occurrences.push({ ...event, recurid });
    else if (!main) main = event;
  }
  return { main, occurrences, counters: [], properties: {}, icsUid: uid };
}

/** Reads back what seriesToIcs wrote for `base`: the yardstick carry-over compares against. */
function echo(base: VEventSeries): VEventSeries {
  const p = parse(seriesToIcs(base, { dtstamp: new Date(0) }));
  return build(base.icsUid, p.vevents, p.zones);
}

export function icsToSeries(ics: string, base?: VEventSeries | null): VEventSeries {
  if (base) checkSeries(base);
  const { vevents, zones } = parse(ics);
  if (vevents.length === 0) throw new Error("convert: no VEVENT in the iCalendar data");
  const uid = uidOf(vevents[0]!) || base?.icsUid || "";
  if (!uid) throw new Error("convert: VEVENT has no UID");
  const mine = vevents.filter((c) => (uidOf(c) || uid) === uid);
  if (mine.length !== vevents.length) throw new Error("convert: icsToSeries got VEVENTs of several UIDs; use icsToSeriesList");
  const parsed = build(uid, mine, zones);
  if (!base) return parsed;
  if (base.icsUid && base.icsUid !== uid) throw new Error(`convert: base is event ${base.icsUid}, the ICS is ${uid}`);
  return carryOver(parsed, base, echo);
}

/** Every event of a VCALENDAR (e.g. an import), one series per UID, in order of appearance. */
export function icsToSeriesList(ics: string): VEventSeries[] {
  const { vevents, zones } = parse(ics);
  const groups = new Map<string, ICAL.Component[]>();
  for (const c of vevents) {
    const uid = uidOf(c);
    if (!uid) throw new Error("convert: VEVENT has no UID");
    let g = groups.get(uid);
    if (!g) groups.set(uid, (g = []));
    g.push(c);
  }
  return [...groups].map(([uid, comps]) => build(uid, comps, zones));
}
