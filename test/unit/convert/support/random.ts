/**
 * Seeded random VEventSeries for the round-trip property test. The project's seeded generator keeps
 * runs reproducible without new dependencies; every value produced is valid BlueMind data in
 * the canonical form of normalize.ts (offsets come from Intl, independently of src/convert).
 */
import type {
  AttachedDocument,
  Attendee,
  BmDateTime,
  Frequency,
  RRule,
  TagRef,
  VAlarm,
  VEvent,
  VEventOccurrence,
  VEventSeries,
  WeekDayName,
} from "../../../../src/bluemind/types";
import { intlOffset } from "../tools/derive-zones";

/** The property tests' generator: the project's one seeded generator (server/seeded-random.ts). */
export { SeededRandom as Rng } from "../../../../server/seeded-random";
import type { SeededRandom as Rng } from "../../../../server/seeded-random";

/** Zones the property test draws from: "Date" (all-day), null (floating), "UTC", IANA zones. */
export const ZONES = [
  "Date",
  null,
  "UTC",
  "Europe/Paris",
  "America/New_York",
  "Europe/London",
  "Asia/Kolkata",
  "Australia/Sydney",
  "America/Sao_Paulo",
  "Asia/Tokyo",
  "Pacific/Auckland",
  "America/St_Johns",
  "Asia/Jerusalem",
  "Europe/Moscow",
  "America/Los_Angeles",
  "Africa/Johannesburg",
  "Asia/Kathmandu",
  "Pacific/Chatham",
] as const;
type Zone = (typeof ZONES)[number];

const p2 = (n: number): string => String(n).padStart(2, "0");

function isoAt(ms: number, offsetSec: number | null): string {
  const d = new Date(ms + (offsetSec ?? 0) * 1000);
  const base = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.000`;
  if (offsetSec === null) return base;
  if (offsetSec === 0) return `${base}Z`;
  const a = Math.abs(offsetSec);
  return `${base}${offsetSec < 0 ? "-" : "+"}${p2(Math.floor(a / 3600))}:${p2(Math.floor((a % 3600) / 60))}`;
}

const H = 3_600_000;

/** A BmDateTime at (about) `ms` in `zone`; zoned values are kept 3 h away from any DST change. */
export function dateAt(zone: Zone, ms: number): BmDateTime {
  if (zone === "Date") return { iso8601: isoAt(ms, 0).slice(0, 10), timezone: null, precision: "Date" };
  if (zone === null) return { iso8601: isoAt(ms, null), timezone: null, precision: "DateTime" };
  if (zone === "UTC") return { iso8601: isoAt(ms, 0), timezone: "UTC", precision: "DateTime" };
  let t = ms;
  while (intlOffset(zone, t - 3 * H) !== intlOffset(zone, t + 3 * H)) t += 6 * H;
  return { iso8601: isoAt(t, intlOffset(zone, t)), timezone: zone, precision: "DateTime" };
}

const WORDS = [
  "réunion",
  "Meeting",
  "café",
  "a,b",
  "x;y",
  "colon: here",
  "back\\slash",
  'quote "q"',
  "été 😀",
  "tab\there",
  "日本語",
  "line\nbreak",
  "caret ^",
  "  spaced  ",
];

export function words(r: Rng, n = 4): string {
  const k = r.int(1, n);
  const out: string[] = [];
  for (let i = 0; i < k; i++) out.push(r.pick(WORDS));
  return out.join(" ");
}

export function html(r: Rng): string {
  return r.pick([
    `<p>${r.pick(["Bonjour", "Hi"])} <b>${r.int(1, 99)}</b></p><p>second, line; ok</p>`,
    `<div>Agenda:<br><ul><li>one</li><li>two &amp; three</li></ul></div>`,
    `<html><body><p style="color:red">x &lt; y</p></body></html>`,
  ]);
}

export const mail = (r: Rng): string =>
  `${r.pick(["alice", "bob", "carol", "dave", "eve", "o.brien"])}${r.int(1, 999)}@${r.pick(["example.com", "bm.lan", "ex.org"])}`;

export function attendee(r: Rng): Attendee {
  const list = (): string => Array.from({ length: r.int(1, 2) }, () => `mailto:${mail(r)}`).join(",");
  return {
    cutype: r.maybe(() => r.pick(["Individual", "Group", "Resource", "Room", "Unknown"] as const)),
    member: r.maybe(list, 0.2),
    role: r.maybe(() => r.pick(["Chair", "RequiredParticipant", "OptionalParticipant", "NonParticipant"] as const)),
    partStatus: r.maybe(() => r.pick(["NeedsAction", "Accepted", "Declined", "Tentative", "Delegated", "Completed"] as const)),
    rsvp: r.maybe(() => r.bool()),
    delTo: r.maybe(list, 0.2),
    delFrom: r.maybe(list, 0.2),
    sentBy: r.maybe(() => `mailto:${mail(r)}`, 0.2),
    commonName: r.maybe(() => words(r, 2)),
    dir: r.maybe(() => `bm://bm.lan/users/${r.int(1, 1e6)}`),
    lang: r.maybe(() => r.pick(["fr", "en-US", "de"]), 0.3),
    mailto: mail(r),
    uri: null,
    internal: null,
    responseComment: r.maybe(() => words(r, 3), 0.2),
    counter: null,
  };
}

export function alarm(r: Rng): VAlarm {
  return {
    action: r.pick(["Audio", "Display", "Email"] as const),
    trigger: r.pick([0, -300, -900, -3600, -86400, 600, r.int(-864000, 86400)]),
    description: r.maybe(() => words(r)),
    duration: r.maybe(() => r.pick([60, 300, 900])),
    repeat: r.maybe(() => r.int(0, 5)),
    summary: r.maybe(() => words(r), 0.3),
  };
}

const FREQ: readonly Frequency[] = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"];
const DAYS: readonly WeekDayName[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const nz = (xs: number[]): number[] => xs.filter((x) => x !== 0);

export function rrule(r: Rng, zone: Zone, startMs: number): RRule {
  const monthlyish = r.bool();
  const ends = r.int(0, 2);
  return {
    frequency: r.pick(FREQ),
    count: ends === 1 ? r.int(1, 50) : null,
    until: ends === 2 ? dateAt(zone, startMs + r.int(1, 800) * 86_400_000) : null,
    interval: r.maybe(() => r.int(1, 6)),
    bySecond: r.maybe(() => r.some(range(0, 59), 3), 0.1),
    byMinute: r.maybe(() => r.some(range(0, 59), 3), 0.15),
    byHour: r.maybe(() => r.some(range(0, 23), 3), 0.15),
    byDay: r.maybe(() => r.some(DAYS, 3).map((day) => ({ day, offset: monthlyish ? r.pick([0, 1, 2, 3, 4, -1, -2]) : 0 })), 0.5),
    byMonthDay: r.maybe(() => r.some(nz(range(-31, 31)), 3), 0.2),
    byYearDay: r.maybe(() => r.some(nz(range(-366, 366)), 2), 0.1),
    byWeekNo: r.maybe(() => r.some(nz(range(-53, 53)), 2), 0.1),
    byMonth: r.maybe(() => r.some(range(1, 12), 3), 0.2),
    bySetPos: r.maybe(() => r.some(nz(range(-5, 5)), 2), 0.15),
  };
}

export function tags(r: Rng): TagRef[] {
  const labels = r.some(["Work", "Perso", "a, b", "Urgent;now", "Réunion", "x\\y"], 3);
  return labels.map((label) => ({ containerUid: null, itemUid: null, label, color: null }));
}

export function attachments(r: Rng): AttachedDocument[] {
  return Array.from({ length: r.int(1, 2) }, (_, i) => ({
    publicUrl: `https://bm.lan/attach/${r.int(1, 1e6)}/file${i}.pdf`,
    name: r.pick([`file${i}.pdf`, "Compte rendu, v2.pdf", "notes;1.txt"]),
    cid: r.maybe(() => `cid-${r.int(1, 999)}`, 0.3),
    expirationDate: null,
  }));
}

const YEAR = 365.25 * 86_400_000;

function event(r: Rng, zone: Zone, startMs: number, exception: boolean): VEvent {
  const dtstart = dateAt(zone, startMs);
  const endZone: Zone = zone === "Date" ? "Date" : r.bool(0.1) ? r.pick(ZONES.filter((z) => z !== "Date")) : zone;
  const span = zone === "Date" ? r.int(1, 5) * 86_400_000 : r.int(1, 48) * 15 * 60_000;
  const properties: Record<string, string> = {};
  if (r.bool(0.2)) properties["X-MOZ-LASTACK"] = "20240105T101500Z";
  if (r.bool(0.1)) properties[`X-MOZ-SNOOZE-TIME-${r.int(1, 1e9)}000`] = "20240106T090000Z";
  const withRule = !exception && r.bool(0.6);
  const anotherDay = (): BmDateTime => dateAt(zone, startMs + r.int(1, 300) * 86_400_000);
  return {
    dtstart,
    dtend: r.bool(0.9) ? dateAt(endZone, startMs + span) : null,
    summary: r.maybe(() => words(r), 0.95),
    classification: r.maybe(() => r.pick(["Public", "Private", "Confidential"] as const)),
    transparency: r.maybe(() => r.pick(["Opaque", "Transparent"] as const)),
    location: r.maybe(() => words(r)),
    description: r.maybe(() => (r.bool(0.4) ? html(r) : words(r, 8))),
    priority: r.maybe(() => r.int(0, 9), 0.3),
    alarm: r.maybe(() => Array.from({ length: r.int(1, 3) }, () => alarm(r)), 0.5),
    status: r.maybe(() => r.pick(["NeedsAction", "Completed", "InProcess", "Cancelled", "Confirmed", "Tentative"] as const)),
    attendees: r.bool(0.5) ? Array.from({ length: r.int(1, 4) }, () => attendee(r)) : [],
    organizer: r.maybe(() => ({
      uri: null,
      commonName: r.maybe(() => words(r, 2)),
      mailto: mail(r),
      dir: r.maybe(() => `bm://bm.lan/users/${r.int(1, 99)}`),
    })),
    categories: r.bool(0.3) ? tags(r) : [],
    exdate: withRule ? r.maybe(() => Array.from({ length: r.int(1, 3) }, anotherDay), 0.4) : null,
    rdate: withRule ? r.maybe(() => Array.from({ length: r.int(1, 2) }, anotherDay), 0.2) : null,
    rrule: withRule ? rrule(r, zone, startMs) : null,
    url: r.maybe(() => `https://example.com/e/${r.int(1, 1e6)}?a=1&b=2`, 0.2),
    conference: r.maybe(() => `https://visio.bm.lan/${r.int(1, 1e6)}`, 0.2),
    conferenceId: r.maybe(() => String(r.int(1, 1e9)), 0.1),
    conferenceConfiguration: {},
    attachments: r.bool(0.15) ? attachments(r) : [],
    properties,
    sequence: r.maybe(() => r.int(0, 40)),
    draft: false,
  };
}

export function randomSeries(r: Rng): VEventSeries {
  const zone = r.pick(ZONES);
  const startMs = Date.UTC(1990, 0, 1) + Math.floor((r.next() * 50 * YEAR) / 60_000) * 60_000;
  const hasMain = r.bool(0.85);
  const main = hasMain ? event(r, zone, startMs, false) : null;
  const occurrences: VEventOccurrence[] = [];
  const n = hasMain ? r.int(0, 3) : r.int(1, 3);
  for (let i = 0; i < n; i++) {
    const recurMs = startMs + (i + 1) * 7 * 86_400_000;
    const recurZone: Zone = hasMain ? zone : r.pick(ZONES);
    const moved = r.bool(0.3) ? recurMs + r.int(-48, 48) * H : recurMs;
    const occZone: Zone = recurZone === "Date" ? "Date" : r.bool(0.2) ? r.pick(ZONES.filter((z) => z !== "Date")) : recurZone;
    occurrences.push({ ...event(r, occZone, moved, true), recurid: dateAt(recurZone, recurMs) });
  }
  return {
    main,
    occurrences,
    counters: [],
    properties: {},
    icsUid: `${r.int(1, 1e9).toString(16)}-${r.pick(["bm", "tb", "x@example.com"])}-${r.int(1, 1e6)}`,
  };
}

/**
 * Adds what only BlueMind knows (and non-canonical spellings iCalendar normalises) to a random
 * series, as a `base` from the server would have them.
 */
export function enrich(r: Rng, s: VEventSeries): VEventSeries {
  const events: VEvent[] = [...(s.main ? [s.main] : []), ...s.occurrences];
  for (const e of events) {
    if (r.bool(0.3)) e.draft = true;
    if (r.bool(0.4)) e.conferenceConfiguration = { provider: "bbb", room: String(r.int(1, 99)) };
    e.properties = { ...e.properties, ...(r.bool(0.4) ? { "bm-origin": r.pick(["web", "eas", "import"]) } : {}) };
    for (const a of e.attendees ?? []) {
      a.internal = r.bool();
      if (r.bool(0.3)) a.uri = `bm://bm.lan/users/${r.int(1, 99)}`;
      if (r.bool(0.1)) a.counter = e.dtstart;
    }
    for (const t of e.categories ?? []) Object.assign(t, { containerUid: "tags_u1", itemUid: `tag-${r.int(1, 99)}`, color: "3d98ff" });
    for (const a of e.attachments ?? []) a.expirationDate = r.maybe(() => r.int(1, 2e12));
    if (e.rrule && e.rrule.interval == null && r.bool()) e.rrule.interval = 1;
    if (e.organizer && r.bool(0.3)) e.organizer.uri = `bm://bm.lan/users/${r.int(1, 99)}`;
    if (e.dtstart.precision === "DateTime" && e.dtstart.timezone && r.bool(0.3)) {
      e.dtstart = { ...e.dtstart, iso8601: e.dtstart.iso8601.replace(".000", "") };
    }
  }
  s.counters =
    r.bool(0.3) && s.main
      ? [{ originator: { commonName: "Bob", email: "bob@bm.lan" }, counter: { ...s.main, recurid: s.main.dtstart } }]
      : [];
  s.properties = r.bool(0.3) ? { "series-prop": "x" } : {};
  if (r.bool(0.7)) s.acceptCounters = r.bool();
  return s;
}
