/**
 * An independent reading of an iCalendar file, done with ical.js alone (no converter code), for
 * the ICS corpus test: every VEVENT's occurrences over two years from its series' start (start
 * instant in UTC, duration) with the fields of MAPPING.md, as a reader that follows RFC 5545 and
 * the usual producer conventions sees them.
 *
 * Zones: an IANA TZID is read with the platform's tz database (Intl, the data BlueMind's Java and
 * Thunderbird use for IANA ids, whatever VTIMEZONE came along); any other TZID with its own
 * VTIMEZONE is read through that VTIMEZONE (ical.js); a Windows, Lotus or legacy Outlook name
 * without one is read as the IANA zone it stands for (EXPECTED_IANA); anything else is floating.
 * A floating time in a calendar with a valid X-WR-TIMEZONE is read in that zone. A DATE-TIME
 * EXDATE or RECURRENCE-ID on an all-day series names the date it is written on (see keyLike).
 *
 * Tolerance: each VEVENT is parsed on its own (with the calendar's VTIMEZONEs), so one broken
 * VEVENT does not hide the others; a VEVENT that ical.js cannot parse or that has no DTSTART is
 * counted in `unreadable` and has no occurrences.
 */
import ICAL from "ical.js";

/** Zone names without a VTIMEZONE, and the IANA zone their producers mean. */
export const EXPECTED_IANA: Record<string, string> = {
  "w. europe standard time": "Europe/Berlin",
  "romance standard time": "Europe/Paris",
  "eastern standard time": "America/New_York",
  "pacific standard time": "America/Los_Angeles",
  "central standard time": "America/Chicago",
  "gmt standard time": "Europe/London",
  "(gmt+10:00) canberra, melbourne, sydney": "Australia/Sydney",
  "(utc-05:00) eastern time (us & canada)": "America/New_York",
  "(utc-05:00) eastern time (us and canada)": "America/New_York",
  pacific: "America/Los_Angeles", // Lotus Notes
  eastern: "America/New_York", // Lotus Notes
};

const YEAR2 = 2 * 366 * 86_400_000;
const MAX_OCCURRENCES = 800;

type Zone = { kind: "utc" } | { kind: "floating" } | { kind: "intl"; id: string } | { kind: "vtz"; tz: ICAL.Timezone };
/** A wall-clock reading with every field given, in ical.js's own terms (what ICAL.Time.fromData takes). */
type Wall = Required<Pick<Parameters<typeof ICAL.Time.fromData>[0], "year" | "month" | "day" | "hour" | "minute" | "second" | "isDate">>;

export interface Occurrence {
  start: string; // "D:2024-07-01" (date), "F:2024-07-01T10:00:00" (floating) or "I:<UTC ISO>"
  duration: number | null; // seconds (days * 86400 for dates); null when unknown
  uid: string | null;
  summary: string | null;
  description: string;
  urls: string[];
  location: string | null;
  status: string | null;
  transp: string | null;
  class: string | null;
  organizer: string | null;
  attendees: string[]; // "mail:PARTSTAT"
  alarms: string[]; // "ACTION trigger description"
  categories: string[];
  url: string | null;
  priority: number | null;
  sequence: number | null;
}

export interface Reading {
  occurrences: Occurrence[];
  vevents: number;
  unreadable: number;
}

function isIana(id: string): boolean {
  if (!id.includes("/") && !/^(UTC|GMT)$/i.test(id)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: id });
    return true;
  } catch {
    return false;
  }
}

/** Offset of zone `id` at `ms`, in ms: its wall clock there (each field asked for, numeric, hours 0-23) minus UTC's. */
function intlOffset(ms: number, id: string): number {
  const fields = ["year", "month", "day", "hour", "minute", "second"] as const;
  const asked = Object.fromEntries(fields.map((f) => [f, "numeric"]));
  const p = new Intl.DateTimeFormat("en-US", { timeZone: id, hourCycle: "h23", ...asked }).formatToParts(ms);
  const g = (t: (typeof fields)[number]): number => Number(p.find((x) => x.type === t)?.value ?? 0);
  return Date.UTC(g("year"), g("month") - 1, g("day"), g("hour"), g("minute"), g("second")) - Math.floor(ms / 1000) * 1000;
}

const wallMs = (w: Wall): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

function instant(w: Wall, z: Zone): number | null {
  if (z.kind === "utc") return wallMs(w);
  if (z.kind === "floating") return null;
  if (z.kind === "vtz") {
    const t = ICAL.Time.fromData({ ...w, isDate: false }, z.tz);
    return t.toUnixTime() * 1000;
  }
  const guess = wallMs(w);
  let ms = guess - intlOffset(guess, z.id);
  ms = guess - intlOffset(ms, z.id);
  return ms;
}

function wallIn(ms: number, z: Zone): Wall {
  let t = ICAL.Time.fromJSDate(new Date(ms), true);
  if (z.kind === "vtz") t = t.convertToZone(z.tz);
  else if (z.kind === "intl") t = ICAL.Time.fromJSDate(new Date(ms + intlOffset(ms, z.id)), true);
  return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second, isDate: false };
}

const pad = (n: number, l = 2): string => String(n).padStart(l, "0");
const dateKey = (w: Wall): string => `D:${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;

interface Ctx {
  vtz: Map<string, ICAL.Timezone>;
  xwr: Zone | null;
}

function zoneOf(prop: ICAL.Property, t: ICAL.Time, ctx: Ctx): Zone {
  if (t.zone === ICAL.Timezone.utcTimezone) return { kind: "utc" };
  const raw = prop.getFirstParameter("tzid");
  if (!raw) return ctx.xwr ?? { kind: "floating" };
  const id = raw
    .trim()
    .replace(/^"|"$/g, "")
    .replace(/^\/[^/]+\/[^/]+\//, "");
  if (/^(UTC|GMT|Z|Etc\/UTC|Etc\/GMT)$/i.test(id)) return { kind: "utc" };
  if (isIana(id)) return { kind: "intl", id };
  const tz = ctx.vtz.get(raw);
  if (tz) return { kind: "vtz", tz };
  const mapped = EXPECTED_IANA[id.toLowerCase()];
  return mapped ? { kind: "intl", id: mapped } : { kind: "floating" };
}

interface Point {
  key: string;
  ms: number;
  wall: Wall;
  zone: Zone;
}

function pointOf(w: Wall, z: Zone): Point {
  if (w.isDate) return { key: dateKey(w), ms: wallMs(w), wall: w, zone: z };
  const ms = instant(w, z);
  if (ms === null)
    return { key: `F:${dateKey(w).slice(2)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`, ms: wallMs(w), wall: w, zone: z };
  return { key: `I:${new Date(ms).toISOString()}`, ms, wall: w, zone: z };
}

const wallOf = (t: ICAL.Time): Wall => ({
  year: t.year,
  month: t.month,
  day: t.day,
  hour: t.hour,
  minute: t.minute,
  second: t.second,
  isDate: t.isDate,
});

/**
 * The date/date-time values of a property. A bare date without VALUE=DATE ("DTSTART:20021028",
 * Apple iCal 1.0, contactoffice) is read as the date it is, as lenient readers do.
 */
function times(p: ICAL.Property): ICAL.Time[] {
  let values: unknown[];
  try {
    values = p.getValues() as unknown[];
  } catch {
    values = (p.jCal.slice(3) as unknown[]).map((raw) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})T::$/.exec(String(raw));
      return m ? ICAL.Time.fromData({ year: +m[1]!, month: +m[2]!, day: +m[3]!, isDate: true }) : null;
    });
  }
  return values.map((v) => (v instanceof ICAL.Period ? v.start : v)).filter((t): t is ICAL.Time => t instanceof ICAL.Time);
}

function points(c: ICAL.Component, name: string, ctx: Ctx): Point[] {
  return c.getAllProperties(name).flatMap((p) => times(p).map((t) => pointOf(wallOf(t), zoneOf(p, t, ctx))));
}

/** TRIGGER: a duration, or an absolute UTC time (also when VALUE=DATE-TIME was left out). */
function triggerOf(tp: ICAL.Property | null): ICAL.Duration | ICAL.Time | null {
  if (!tp) return null;
  try {
    return tp.getFirstValue() as ICAL.Duration | ICAL.Time;
  } catch {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/.exec(String(tp.jCal[3]));
    if (!m) return null;
    const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    return ICAL.Time.fromData({ year: y, month: mo, day: d, hour: h, minute: mi, second: se, isDate: false }, ICAL.Timezone.utcTimezone);
  }
}

/**
 * Expresses `p` in the value type of `like` (RECURRENCE-ID and EXDATE against DTSTART). Against
 * an all-day DTSTART a DATE-TIME names the day written, its date in its own zone: Outlook and
 * Exchange write the instances of an all-day series as local midnight in the organizer's zone
 * (`RECURRENCE-ID;TZID=W. Europe Standard Time:20260226T000000` is the 26th). Converting the
 * instant to UTC first would name the day before for every zone east of Greenwich.
 */
function keyLike(p: Point, like: Point): string {
  return like.wall.isDate ? dateKey(p.wall) : p.key;
}

function text(c: ICAL.Component, name: string): string | null {
  const v = c.getFirstPropertyValue(name);
  return v == null ? null : String(v);
}

function htmlText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/(p|div|li|tr)>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

const norm = (s: string): string => s.replace(/\s+/g, " ").trim();
const URL_RE = /https?:\/\/[^\s<>"']+/g;

const PARTSTATS = new Set(["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED", "COMPLETED", "IN-PROCESS"]);
const CLASSES = new Set(["PUBLIC", "PRIVATE", "CONFIDENTIAL"]);
const STATUSES = new Set(["TENTATIVE", "CONFIRMED", "CANCELLED"]);

function mail(v: ReturnType<ICAL.Property["getFirstValue"]>, p: ICAL.Property): string | null {
  const s = String(v ?? "").replace(/^"|"$/g, "");
  if (/^mailto:/i.test(s)) return s.replace(/^mailto:/i, "").toLowerCase();
  const e = p.getFirstParameter("email");
  return e ? String(e).toLowerCase() : null;
}

function fields(c: ICAL.Component, start: Point, durationSec: number | null): Omit<Occurrence, "start" | "duration"> {
  const descProp = c.getFirstPropertyValue("description");
  const alt = c.getFirstPropertyValue("x-alt-desc");
  const desc = descProp != null ? String(descProp) : alt != null ? htmlText(String(alt)) : "";
  const urls = new Set<string>([...(desc.match(URL_RE) ?? []), ...(alt != null ? (String(alt).match(URL_RE) ?? []) : [])]);
  const upper = (n: string): string | null => text(c, n)?.trim().toUpperCase() || null;
  const cls = upper("class");
  const status = upper("status");
  const org = c.getFirstProperty("organizer");
  const attendees: string[] = [];
  for (const a of c.getAllProperties("attendee")) {
    const m = mail(a.getFirstValue(), a);
    if (!m) continue;
    const ps = String(a.getFirstParameter("partstat") ?? "").toUpperCase();
    attendees.push(`${m}:${ps === "" ? "-" : PARTSTATS.has(ps) ? ps : "NEEDS-ACTION"}`);
  }
  const alarms: string[] = [];
  for (const a of c.getAllSubcomponents("valarm")) {
    const action = (text(a, "action") ?? "DISPLAY").toUpperCase();
    if (action === "NONE") continue;
    const tp = a.getFirstProperty("trigger");
    const tv = triggerOf(tp);
    let trig: number | null = null;
    if (tv instanceof ICAL.Duration) {
      trig = tv.toSeconds();
      if (String(tp!.getFirstParameter("related") ?? "").toUpperCase() === "END") trig += durationSec ?? 0;
    } else if (tv instanceof ICAL.Time) trig = Math.round((tv.toUnixTime() * 1000 - start.ms) / 1000);
    if (trig === null) continue;
    const d = text(a, "description");
    alarms.push(`${["AUDIO", "EMAIL"].includes(action) ? action : "DISPLAY"} ${trig} ${d ?? ""}`.trim());
  }
  const cats = new Set<string>();
  for (const p of c.getAllProperties("categories"))
    for (const v of p.getValues() as unknown[]) if (String(v).trim()) cats.add(String(v).trim());
  const num = (n: string): number | null => {
    const v = c.getFirstPropertyValue(n);
    return v == null || !Number.isFinite(Number(v)) ? null : Number(v);
  };
  return {
    uid: text(c, "uid"),
    summary: text(c, "summary"),
    description: norm(desc),
    urls: [...urls].sort(),
    location: text(c, "location"),
    status: status && STATUSES.has(status) ? status : null,
    transp: upper("transp"),
    class: cls ? (CLASSES.has(cls) ? cls : "PRIVATE") : null,
    organizer: org ? mail(org.getFirstValue(), org) : null,
    attendees: attendees.sort(),
    alarms: alarms.sort(),
    categories: [...cats].sort(),
    url: text(c, "url") || null,
    priority: num("priority"),
    sequence: num("sequence"),
  };
}

function durationOf(c: ICAL.Component, start: Point, ctx: Ctx): number | null {
  const end = points(c, "dtend", ctx)[0];
  if (end) return Math.round((end.ms - start.ms) / 1000);
  const d = c.getFirstPropertyValue("duration");
  if (d instanceof ICAL.Duration) return d.toSeconds();
  return start.wall.isDate ? 86_400 : 0;
}

/** Start points of a master over two years: RRULE (wall clock in DTSTART's zone) + RDATE - EXDATE. */
function expand(c: ICAL.Component, start: Point, ctx: Ctx): Point[] {
  const end = start.ms + YEAR2;
  const out = new Map<string, Point>([[start.key, start]]);
  for (const rp of c.getAllProperties("rrule")) {
    const recur = (rp.getFirstValue() as ICAL.Recur).clone();
    if (recur.until) {
      const u = pointOf(wallOf(recur.until), recur.until.zone === ICAL.Timezone.utcTimezone ? { kind: "utc" } : start.zone);
      const w = start.wall.isDate
        ? u.wall
        : u.wall.isDate
          ? { ...u.wall, hour: 23, minute: 59, second: 59, isDate: false }
          : wallIn(u.ms, start.zone);
      recur.until = ICAL.Time.fromData({ ...w, isDate: start.wall.isDate });
    }
    const it = recur.iterator(ICAL.Time.fromData({ ...start.wall }));
    for (let i = 0, t = it.next(); t && i < MAX_OCCURRENCES; i++, t = it.next()) {
      const p = pointOf(wallOf(t), start.zone);
      if (p.ms > end) break;
      out.set(p.key, p);
    }
  }
  for (const p of points(c, "rdate", ctx)) if (p.ms <= end && p.ms >= start.ms) out.set(keyLike(p, start), p);
  for (const p of points(c, "exdate", ctx)) out.delete(keyLike(p, start));
  return [...out.values()];
}

function splitBlocks(ics: string, name: string): string[] {
  const re = new RegExp(`^BEGIN:${name}\\r?$[\\s\\S]*?^END:${name}\\r?$`, "gim");
  return ics.replace(/\r\n?/g, "\n").match(re) ?? [];
}

export function readIcs(ics: string): Reading {
  const design = (ICAL.design as unknown as { icalendar: { property: Record<string, unknown> } }).icalendar.property;
  design["x-alt-desc"] ??= { defaultType: "text" }; // TEXT per its producers (Outlook, Evolution)
  const unfolded = ics.replace(/\r\n?/g, "\n").replace(/\n[ \t]/g, "");
  const xwrName = /^X-WR-TIMEZONE[^:\n]*:(.+)$/im.exec(unfolded)?.[1]?.trim();
  const ctx: Ctx = { vtz: new Map(), xwr: xwrName && isIana(xwrName) ? { kind: "intl", id: xwrName } : null };
  const vtzText = splitBlocks(ics, "VTIMEZONE");
  for (const b of vtzText) {
    try {
      const comp = new ICAL.Component(ICAL.parse(b));
      const id = comp.getFirstPropertyValue("tzid");
      if (typeof id === "string") ctx.vtz.set(id, new ICAL.Timezone(comp));
    } catch {
      // a VTIMEZONE ical.js cannot read: its TZID falls back to EXPECTED_IANA or floating
    }
  }
  const groups = new Map<string, { masters: ICAL.Component[]; exceptions: ICAL.Component[] }>();
  const blocks = splitBlocks(ics, "VEVENT");
  let unreadable = 0;
  blocks.forEach((b, i) => {
    let c: ICAL.Component;
    try {
      c = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\n${vtzText.join("\n")}\n${b}\nEND:VCALENDAR\n`)).getFirstSubcomponent("vevent")!;
      if (!points(c, "dtstart", ctx).length) throw new Error("no DTSTART");
    } catch {
      unreadable++;
      return;
    }
    const uid = text(c, "uid") || `#${i}`;
    const g = groups.get(uid) ?? { masters: [], exceptions: [] };
    groups.set(uid, g);
    (c.hasProperty("recurrence-id") ? g.exceptions : g.masters).push(c);
  });
  const occurrences: Occurrence[] = [];
  for (const g of groups.values()) {
    // RFC 5546: of two masters with one UID the higher SEQUENCE (then the later DTSTAMP) is current.
    const seq = (c: ICAL.Component): number => Number(c.getFirstPropertyValue("sequence") ?? 0);
    const stamp = (c: ICAL.Component): string => String(c.getFirstPropertyValue("dtstamp") ?? "");
    const master = [...g.masters].sort((a, b) => seq(b) - seq(a) || stamp(b).localeCompare(stamp(a)))[0];
    const byKey = new Map<string, Occurrence>();
    if (master) {
      const start = points(master, "dtstart", ctx)[0]!;
      const dur = durationOf(master, start, ctx);
      for (const p of expand(master, start, ctx)) byKey.set(p.key, { start: p.key, duration: dur, ...fields(master, p, dur) });
      for (const e of g.exceptions) {
        const rid = points(e, "recurrence-id", ctx)[0]!;
        const k = keyLike(rid, start);
        if (!byKey.has(k) && (rid.ms < start.ms || rid.ms > start.ms + YEAR2)) continue;
        const s = points(e, "dtstart", ctx)[0]!;
        const d = durationOf(e, s, ctx);
        byKey.set(k, { start: s.key, duration: d, ...fields(e, s, d) });
      }
    } else {
      for (const e of g.exceptions) {
        const s = points(e, "dtstart", ctx)[0]!;
        const d = durationOf(e, s, ctx);
        byKey.set(`${s.key}#${byKey.size}`, { start: s.key, duration: d, ...fields(e, s, d) });
      }
    }
    occurrences.push(...byKey.values());
  }
  occurrences.sort((a, b) => a.start.localeCompare(b.start) || String(a.summary).localeCompare(String(b.summary)));
  return { occurrences, vevents: blocks.length, unreadable };
}
