/**
 * One VEVENT component -> a BlueMind VEvent in canonical shape (every field present; null,
 * [] or {} when iCalendar had nothing). Values iCalendar cannot hold come back empty here and
 * are restored from `base` by carry-over.ts. A value that cannot be read (empty, malformed) is
 * read as absent, with a warning; only a VEVENT without a usable DTSTART is refused.
 */
import ICAL from "ical.js";
import type { AttachedDocument, BmDateTime, TagRef, VAlarm, VEvent } from "../bluemind/types";
import { readAlarm } from "./alarms";
import { clockFor, roughInstant } from "./datetime";
import { readDescription } from "./description";
import { readClass, readStatus, readTransp, X_STATUS } from "./enums";
import { formatDate, formatDateTime, parseIso, utcMsToWall, wallAsUtcMs } from "./iso";
import { readAttendee, readOrganizer } from "./people";
import { readRrule } from "./rrule";
import { type ReadContext, readTime } from "./read-zones";
import { isKeptXProp } from "./xprops";
import { instantToWall, wallToInstant } from "./zones";

/**
 * A value as ical.js decodes it: one of its value classes or a string, or a number or a boolean
 * for an INTEGER, FLOAT or BOOLEAN property (which its typings leave out).
 */
type IcalValue = ReturnType<ICAL.Property["getFirstValue"]> | number | boolean;

/** A property's first value, or null (with a warning) when ical.js cannot decode it. */
export function value(c: ICAL.Component, name: string, ctx: ReadContext): IcalValue {
  const p = c.getFirstProperty(name);
  if (!p) return null;
  try {
    return p.getFirstValue();
  } catch (e) {
    ctx.warn(`convert: ${name.toUpperCase()} of ${uidText(c)} ignored: ${(e as Error).message}`);
    return null;
  }
}

function uidText(c: ICAL.Component): string {
  try {
    const uid = c.getFirstPropertyValue("uid");
    return uid ? `VEVENT ${JSON.stringify(String(uid))}` : "a VEVENT without UID";
  } catch {
    return "a VEVENT";
  }
}

export function str(c: ICAL.Component, name: string, ctx: ReadContext): string | null {
  const v = value(c, name, ctx);
  return v == null ? null : String(v);
}

export function num(c: ICAL.Component, name: string, ctx: ReadContext): number | null {
  const v = value(c, name, ctx);
  if (v == null || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * The date/date-time values of one property. Values ical.js cannot decode are dropped, except
 * the 8-digit dates some producers write without VALUE=DATE, which are read as dates.
 */
function icalTimes(p: ICAL.Property): ICAL.Time[] {
  try {
    const out: ICAL.Time[] = [];
    for (const v of p.getValues() as unknown[]) {
      const t = v instanceof ICAL.Period ? v.start : v;
      if (t instanceof ICAL.Time) out.push(t);
    }
    return out;
  } catch {
    const out: ICAL.Time[] = [];
    for (const raw of (p.toJSON() as unknown[]).slice(3)) {
      const m = typeof raw === "string" ? /^(\d{4})-?(\d{2})-?(\d{2})(?:T::)?$/.exec(raw) : null;
      if (m) out.push(ICAL.Time.fromData({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), isDate: true }));
    }
    return out;
  }
}

/** All values of a date/date-time property (EXDATE and RDATE may list several, RDATE periods too). */
export function timesOf(c: ICAL.Component, name: string, ctx: ReadContext): BmDateTime[] {
  const out: BmDateTime[] = [];
  for (const p of c.getAllProperties(name)) {
    const tzid = p.getFirstParameter("tzid") ?? null;
    for (const t of icalTimes(p)) out.push(readTime(t, tzid, ctx));
  }
  return out;
}

export function timeOf(c: ICAL.Component, name: string, ctx: ReadContext): BmDateTime | null {
  const p = c.getFirstProperty(name);
  if (!p) return null;
  const t = icalTimes(p)[0];
  if (!t) {
    if (name !== "dtstart") ctx.warn(`convert: ${name.toUpperCase()} of ${uidText(c)} ignored: not a date or date-time`);
    return null;
  }
  return readTime(t, p.getFirstParameter("tzid") ?? null, ctx);
}

/** DTSTART + DURATION: days and weeks move the wall clock, the rest the instant (RFC 5545 §3.3.6). */
export function endFromDuration(start: BmDateTime, d: ICAL.Duration): BmDateTime {
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

function valuesOf(p: ICAL.Property): IcalValue[] {
  try {
    return p.getValues() as IcalValue[];
  } catch {
    return [];
  }
}

export function categoriesOf(c: ICAL.Component): TagRef[] {
  const seen = new Set<string>();
  const out: TagRef[] = [];
  for (const p of c.getAllProperties("categories")) {
    for (const v of valuesOf(p)) {
      const label = String(v ?? "").trim();
      if (!label || seen.has(label)) continue;
      seen.add(label);
      out.push({ containerUid: null, itemUid: null, label, color: null });
    }
  }
  return out;
}

export function attachmentsOf(c: ICAL.Component): AttachedDocument[] {
  const out: AttachedDocument[] = [];
  for (const p of c.getAllProperties("attach")) {
    if (p.type === "binary" || p.getFirstParameter("encoding")) continue; // inline data: not a BlueMind attachment
    const url = String(valuesOf(p)[0] ?? "");
    if (!url) continue;
    const name =
      p.getFirstParameter("x-file-name") ??
      p.getFirstParameter("filename") ??
      url
        .replace(/[?#].*$/, "")
        .split("/")
        .pop() ??
      url;
    out.push({ publicUrl: url, name: name || url, cid: p.getFirstParameter("x-cid") ?? null, expirationDate: null });
  }
  return out;
}

/** ORGANIZER, or null when it names nobody (an empty value). */
function organizerOf(p: ICAL.Property | null): VEvent["organizer"] {
  if (!p) return null;
  const o = readOrganizer(p);
  return o.mailto || o.uri || o.commonName ? o : null;
}

export interface ReadResult {
  event: VEvent;
  recurid: BmDateTime | null;
}

export function readVEvent(c: ICAL.Component, ctx: ReadContext): ReadResult {
  const recurid = timeOf(c, "recurrence-id", ctx);
  let dtstart = timeOf(c, "dtstart", ctx);
  if (!dtstart && recurid) {
    // An exception without its own start begins when the occurrence it replaces would have.
    ctx.warn(`convert: ${uidText(c)} exception has no usable DTSTART; it starts at its RECURRENCE-ID`);
    dtstart = recurid;
  }
  if (!dtstart) throw new Error(c.hasProperty("dtstart") ? "DTSTART is not a date or date-time" : "no DTSTART");
  let dtend = timeOf(c, "dtend", ctx);
  if (!dtend) {
    const d = value(c, "duration", ctx);
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
      try {
        const r = readAlarm(a, anchors);
        if (r) alarms.push(r);
      } catch (e) {
        ctx.warn(`convert: a VALARM of ${uidText(c)} ignored: ${(e as Error).message}`);
      }
    }
  }

  const properties: Record<string, string> = {};
  // Scan names in ical.js's jCal rather than wrapping every property in an object.
  for (const pj of c.jCal[1] as [string, ...unknown[]][]) {
    const name = pj[0].toUpperCase();
    if (isKeptXProp(name)) properties[name] = String(value(c, pj[0], ctx) ?? "");
  }

  const cls = str(c, "class", ctx);
  const transp = str(c, "transp", ctx);
  const organizer = c.getFirstProperty("organizer");
  const event: VEvent = {
    dtstart,
    dtend,
    summary: str(c, "summary", ctx),
    classification: cls ? readClass(cls) : null,
    transparency: transp ? readTransp(transp) : null,
    location: str(c, "location", ctx),
    description: readDescription(c, { edit: ctx.edit }),
    priority: num(c, "priority", ctx),
    alarm: alarms.length ? alarms : null,
    status: readStatus(str(c, "status", ctx), str(c, X_STATUS, ctx)),
    attendees: c
      .getAllProperties("attendee")
      .map(readAttendee)
      .filter((a) => a.mailto || a.uri),
    organizer: organizerOf(organizer),
    categories: categoriesOf(c),
    exdate: exdate.length ? exdate : null,
    rdate: rdate.length ? rdate : null,
    rrule: rruleProp ? readRrule(rruleProp, dtstart, ctx) : null,
    url: str(c, "url", ctx) || null,
    conference: str(c, "x-conference", ctx),
    conferenceId: str(c, "x-conference-id", ctx),
    conferenceConfiguration: {},
    attachments: attachmentsOf(c),
    properties,
    sequence: num(c, "sequence", ctx),
    draft: false,
  };
  return { event, recurid };
}
