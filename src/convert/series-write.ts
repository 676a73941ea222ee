/**
 * VEventSeries -> VCALENDAR text: the main VEVENT, one VEVENT per exception (RECURRENCE-ID
 * written like the main DTSTART), and one VTIMEZONE per TZID used. A series with `main: null`
 * gives only exceptions; Thunderbird then makes up a master of its own.
 */
import ICAL from "ical.js";
import type { VEventSeries } from "../bluemind/types";
import { shapeOf, withWriteWarnings, type ZoneSet } from "./datetime";
import { ensureDesign } from "./design";
import { icsText } from "./ics-text";
import { checkSeries } from "./validate";
import { writeVEvent } from "./vevent-write";
import { vtimezoneFor } from "./vtimezone";

export const PRODID = "-//BlueMind Calendar Sync//convert//EN";

export interface IcsOptions {
  /** DTSTAMP of every VEVENT; defaults to now. */
  dtstamp?: Date;
  /** Receives warnings (a zone nothing knows, written as UTC). Default: console.warn, once per zone. */
  warn?: (message: string) => void;
}

/** Throws a ConvertError naming the field when `series` is not a well-typed VEventSeries. */
function seriesComponents(series: VEventSeries, zones: ZoneSet, dtstamp: ICAL.Time): ICAL.Component[] {
  checkSeries(series);
  const uid = series.icsUid;
  const out: ICAL.Component[] = [];
  const mainShape = series.main ? shapeOf(series.main.dtstart) : null;
  if (series.main) out.push(writeVEvent(series.main, { uid, dtstamp, zones }));
  for (const occ of series.occurrences ?? []) {
    out.push(writeVEvent(occ, { uid, dtstamp, zones, recurid: occ.recurid ?? occ.dtstart, mainShape }));
  }
  return out;
}

function calendarOf(events: ICAL.Component[], zones: ZoneSet): string {
  const cal = new ICAL.Component("vcalendar");
  cal.addPropertyWithValue("prodid", PRODID);
  cal.addPropertyWithValue("version", "2.0");
  for (const tzid of [...zones].sort()) {
    const vtz = vtimezoneFor(tzid);
    if (vtz) cal.addSubcomponent(vtz);
  }
  for (const e of events) cal.addSubcomponent(e);
  return icsText(cal) + "\r\n";
}

function stampOf(o?: IcsOptions): ICAL.Time {
  return ICAL.Time.fromJSDate(o?.dtstamp ?? new Date(), true);
}

export function seriesToIcs(series: VEventSeries, options?: IcsOptions): string {
  ensureDesign();
  return withWriteWarnings(options?.warn, () => {
    const zones: ZoneSet = new Set();
    return calendarOf(seriesComponents(series, zones, stampOf(options)), zones);
  });
}

export function seriesListToIcs(list: VEventSeries[], options?: IcsOptions): string {
  ensureDesign();
  return withWriteWarnings(options?.warn, () => {
    const zones: ZoneSet = new Set();
    const stamp = stampOf(options);
    const events: ICAL.Component[] = [];
    for (const s of list) events.push(...seriesComponents(s, zones, stamp));
    return calendarOf(events, zones);
  });
}
