/**
 * One VEVENT component -> a BlueMind VEvent in canonical shape (every field present; null,
 * [] or {} when iCalendar had nothing). Values iCalendar cannot hold come back empty here and
 * are restored from `base` by carry-over.ts.
 */
import ICAL from "ical.js";
import type { AttachedDocument, BmDateTime, TagRef, VAlarm, VEvent } from "../bluemind/types";
import { readAlarm } from "./alarms";
import { clockFor, readTime, type ReadZones, roughInstant } from "./datetime";
import { readDescription } from "./description";
import { readClass, readStatus, readTransp, X_STATUS } from "./enums";
import { formatDate, formatDateTime, parseIso, utcMsToWall, wallAsUtcMs } from "./iso";
import { readAttendee, readOrganizer } from "./people";
import { readRrule } from "./rrule";
import { isKeptXProp } from "./xprops";
import { instantToWall, wallToInstant } from "./zones";

function str(c: ICAL.Component, name: string): string | null {
  const v = c.getFirstPropertyValue(name);
  return v == null ? null : String(v);
}

function num(c: ICAL.Component, name: string): number | null {
  const v = c.getFirstPropertyValue(name);
  if (v == null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** All values of a date/date-time property (EXDATE and RDATE may list several, RDATE periods too). */
function timesOf(c: ICAL.Component, name: string, ctx: ReadZones): BmDateTime[] {
  const out: BmDateTime[] = [];
  for (const p of c.getAllProperties(name)) {
    const tzid = p.getFirstParameter("tzid") ?? null;
    for (const v of p.getValues() as unknown[]) {
      const t = v instanceof ICAL.Period ? v.start : v;
      if (t instanceof ICAL.Time) out.push(readTime(t, tzid, ctx));
    }
  }
  return out;
}

function timeOf(c: ICAL.Component, name: string, ctx: ReadZones): BmDateTime | null {
  const p = c.getFirstProperty(name);
  if (!p) return null;
  const t = p.getFirstValue();
  return t instanceof ICAL.Time ? readTime(t, p.getFirstParameter("tzid") ?? null, ctx) : null;
}

/** DTSTART + DURATION: days and weeks move the wall clock, the rest the instant (RFC 5545 §3.3.6). */
function endFromDuration(start: BmDateTime, d: ICAL.Duration): BmDateTime {
  const sign = d.isNegative ? -1 : 1;
  const days = sign * (d.weeks * 7 + d.days);
  const secs = sign * (d.hours * 3600 + d.minutes * 60 + d.seconds);
  const p = parseIso(start.iso8601);
  const wallMs = wallAsUtcMs(p.wall) + days * 86_400_000;
  if (start.precision === "Date") return { iso8601: formatDate(utcMsToWall(wallMs)), timezone: null, precision: "Date" };
  const tz = start.timezone;
  const clock = tz == null ? null : clockFor(tz);
  if (!clock) {
    // Floating or UTC: wall clock and instant move together.
    const w = utcMsToWall(wallMs + secs * 1000);
    return { iso8601: formatDateTime(w, tz == null ? null : 0), timezone: tz ?? null, precision: "DateTime" };
  }
  const r = instantToWall(clock, wallToInstant(clock, utcMsToWall(wallMs)) + secs * 1000);
  return { iso8601: formatDateTime(r.wall, r.offset), timezone: tz, precision: "DateTime" };
}

function categoriesOf(c: ICAL.Component): TagRef[] {
  const seen = new Set<string>();
  const out: TagRef[] = [];
  for (const p of c.getAllProperties("categories")) {
    for (const v of p.getValues() as unknown[]) {
      const label = String(v ?? "").trim();
      if (!label || seen.has(label)) continue;
      seen.add(label);
      out.push({ containerUid: null, itemUid: null, label, color: null });
    }
  }
  return out;
}

function attachmentsOf(c: ICAL.Component): AttachedDocument[] {
  const out: AttachedDocument[] = [];
  for (const p of c.getAllProperties("attach")) {
    if (p.type === "binary" || p.getFirstParameter("encoding")) continue; // inline data: not a BlueMind attachment
    const url = String(p.getFirstValue() ?? "");
    if (!url) continue;
    const name = p.getFirstParameter("x-file-name") ?? p.getFirstParameter("filename") ?? url.replace(/[?#].*$/, "").split("/").pop() ?? url;
    out.push({ publicUrl: url, name: name || url, cid: p.getFirstParameter("x-cid") ?? null, expirationDate: null });
  }
  return out;
}

export interface ReadResult {
  event: VEvent;
  recurid: BmDateTime | null;
}

export function readVEvent(c: ICAL.Component, ctx: ReadZones): ReadResult {
  const dtstart = timeOf(c, "dtstart", ctx);
  if (!dtstart) throw new Error(`convert: VEVENT ${str(c, "uid") ?? ""} has no DTSTART`);
  const recurid = timeOf(c, "recurrence-id", ctx);
  let dtend = timeOf(c, "dtend", ctx);
  if (!dtend) {
    const d = c.getFirstPropertyValue("duration");
    if (d instanceof ICAL.Duration) dtend = endFromDuration(dtstart, d);
  }

  const rruleProp = recurid ? null : c.getFirstProperty("rrule");
  const exdate = recurid ? [] : timesOf(c, "exdate", ctx);
  const rdate = recurid ? [] : timesOf(c, "rdate", ctx);

  const alarms: VAlarm[] = [];
  const valarms = c.getAllSubcomponents("valarm");
  if (valarms.length) {
    const anchors = { start: roughInstant(dtstart) / 1000, end: dtend ? roughInstant(dtend) / 1000 : null };
    for (const a of valarms) {
      const r = readAlarm(a, anchors);
      if (r) alarms.push(r);
    }
  }

  const properties: Record<string, string> = {};
  // Scan names in ical.js's jCal rather than wrapping every property in an object.
  for (const pj of c.jCal[1] as [string, ...unknown[]][]) {
    const name = pj[0].toUpperCase();
    if (isKeptXProp(name)) properties[name] = String(c.getFirstPropertyValue(pj[0]) ?? "");
  }

  const cls = str(c, "class");
  const transp = str(c, "transp");
  const organizer = c.getFirstProperty("organizer");
  const event: VEvent = {
    dtstart,
    dtend,
    summary: str(c, "summary"),
    classification: cls ? readClass(cls) : null,
    transparency: transp ? readTransp(transp) : null,
    location: str(c, "location"),
    description: readDescription(c),
    priority: num(c, "priority"),
    alarm: alarms.length ? alarms : null,
    status: readStatus(str(c, "status"), str(c, X_STATUS)),
    attendees: c.getAllProperties("attendee").map(readAttendee),
    organizer: organizer ? readOrganizer(organizer) : null,
    categories: categoriesOf(c),
    exdate: exdate.length ? exdate : null,
    rdate: rdate.length ? rdate : null,
    rrule: rruleProp ? readRrule(rruleProp, dtstart, ctx) : null,
    url: str(c, "url"),
    conference: str(c, "x-conference"),
    conferenceId: str(c, "x-conference-id"),
    conferenceConfiguration: {},
    attachments: attachmentsOf(c),
    properties,
    sequence: num(c, "sequence"),
    draft: false,
  };
  return { event, recurid };
}
