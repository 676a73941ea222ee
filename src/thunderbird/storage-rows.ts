/**
 * Thunderbird's storage rows (cache.sqlite, schema 23) of a sync block's simple events, computed
 * here from our own iCalendar, in the extension process. Why: on a first sync, building a
 * `CalEvent` for every event and having `adoptItem` turn it back into rows is where Thunderbird's
 * main thread spends its time (docs/thunderbird-cached-calendar.md, "Storage performance"), and
 * Thunderbird then keeps every adopted event in memory. With the rows ready, the experiment only
 * binds them to Thunderbird's own insert statements (direct-rows.js).
 *
 * The encoding is the one `CalStorageItemModel.#prepareItem` writes for a `CalEvent` parsed
 * from the same text (Thunderbird 140, 153 and 157 alike): the columns of `cal_events`, one
 * `cal_properties` row per unpromoted property (its value as `calIIcalProperty.value` gives it,
 * the last one winning, an empty one dropped), one `cal_parameters` row per parameter of those,
 * one `cal_alarms` row per VALARM, one `cal_attendees` row per ATTENDEE and ORGANIZER, and the
 * flags. The e2e oracle (test/e2e/storage-rows.test.ts) proves it: every benchmark event and
 * converter fixture read back from Thunderbird identical to what `adoptItem` stores.
 *
 * Only simple events are encoded: one VEVENT per UID, with DTSTART and DTEND, no recurrence,
 * attachments, relations, categories, DURATION or X-MOZ-LASTACK. Everything else stays in the
 * block's iCalendar and is stored as before. Each row set keeps its VEVENT's text, so that the
 * experiment can still parse it when it cannot use the rows (a time zone Thunderbird does not
 * know, another schema, a meeting where Thunderbird sends the invitations).
 */

import ICAL from "ical.js";
import { components, uidOf } from "../sync/ics-blocks";

/** A date column and its `_tz` companion: PRTime (µs since 1970, UTC) and the zone's TZID, "UTC" or "floating". */
export interface DateColumn {
  native: number;
  tz: string;
}

/** Thunderbird's CAL_ITEM_FLAG (calStorageHelpers.sys.mjs), the ones our events can carry. */
export const ROW_FLAG = { HAS_ATTENDEES: 2, HAS_PROPERTIES: 4, EVENT_ALLDAY: 8, HAS_ALARMS: 256 } as const;

/** One event's rows. */
export interface EventRows {
  id: string;
  flags: number;
  title: string | null;
  priority: number | null;
  privacy: string | null;
  status: string | null;
  created: number | null;
  lastModified: number | null;
  stamp: number | null;
  start: DateColumn;
  end: DateColumn;
  /** cal_properties: [key, value], in the order Thunderbird would write them. */
  properties: [string, string][];
  /** cal_parameters: [property, parameter, value]. */
  parameters: [string, string, string][];
  /** cal_alarms: each VALARM's text. */
  alarms: string[];
  /** cal_attendees: each ATTENDEE's line, then the ORGANIZER's. */
  attendees: string[];
  /**
   * A meeting: where Thunderbird sends the invitations (not an owner's default calendar), its
   * copy gets Thunderbird's "send invitations" choice when stored (scheduling.js,
   * keepItipChoices), so the experiment parses it instead.
   */
  people: boolean;
  /** The event's VEVENT text (the fallback). */
  text: string;
}

export interface RowBlock {
  /** The block's VCALENDAR head and VTIMEZONEs: with some `text`s and END:VCALENDAR, a block to parse. */
  head: string;
  items: EventRows[];
}

/** Properties CalEvent keeps outside its property bag (itemBasePromotedProps + DTSTART/DTEND). */
const PROMOTED = new Set([
  "CREATED",
  "UID",
  "LAST-MODIFIED",
  "SUMMARY",
  "PRIORITY",
  "STATUS",
  "DTSTAMP",
  "RRULE",
  "EXDATE",
  "RDATE",
  "ATTENDEE",
  "ATTACH",
  "CATEGORIES",
  "ORGANIZER",
  "RECURRENCE-ID",
  "X-MOZ-LASTACK",
  "RELATED-TO",
  "DTSTART",
  "DTEND",
]);

/** Present, these send the event the usual way. */
const NOT_ENCODED = [
  "RRULE",
  "RDATE",
  "EXDATE",
  "EXRULE",
  "RECURRENCE-ID",
  "ATTACH",
  "RELATED-TO",
  "CATEGORIES",
  "DURATION",
  "X-MOZ-LASTACK",
];

const PRTIME_PER_SECOND = 1_000_000;

/** Zones by TZID, reused across blocks (reusedZones): each one computes its offsets once. */
type BlockZones = ReadonlyMap<string, ICAL.Timezone>;

/** What `time.toUnixTime()` gives, its offset taken from `zone` (the same VTIMEZONE, already expanded). */
function unixTimeIn(time: ICAL.Time, zone: ICAL.Timezone): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second - zone.utcOffset(time)) / 1000;
}

function dateColumn(time: ICAL.Time, zones?: BlockZones): DateColumn {
  const zone = time.zone;
  let tz: string;
  if (time.isDate || !zone || zone === ICAL.Timezone.localTimezone) tz = "floating";
  else if (zone === ICAL.Timezone.utcTimezone) tz = "UTC";
  else tz = zone.tzid;
  const reused = tz === "floating" || tz === "UTC" ? undefined : zones?.get(tz);
  return { native: (reused ? unixTimeIn(time, reused) : time.toUnixTime()) * PRTIME_PER_SECOND, tz };
}

/**
 * ical.js zones by the VTIMEZONE text they were made from. A block's own parse makes a fresh
 * zone for each VTIMEZONE, which expands its rules from 1970 at the first offset asked (profiled
 * in the extension: 0.5 s of a 10,000-event first sync, for two zones); the same text gives the
 * same offsets, so one zone serves every block.
 */
const ZONES_BY_TEXT = new Map<string, ICAL.Timezone>();
const MAX_REUSED_ZONES = 64;

function reusedZones(vtimezones: { text: string; component: ICAL.Component }[]): BlockZones {
  const zones = new Map<string, ICAL.Timezone>();
  for (const { text, component } of vtimezones) {
    const tzid: unknown = component.getFirstPropertyValue("tzid");
    if (typeof tzid !== "string" || zones.has(tzid)) continue;
    let zone = ZONES_BY_TEXT.get(text);
    if (!zone) {
      if (ZONES_BY_TEXT.size >= MAX_REUSED_ZONES) ZONES_BY_TEXT.clear();
      zone = new ICAL.Timezone({ component, tzid });
      ZONES_BY_TEXT.set(text, zone);
    }
    zones.set(tzid, zone);
  }
  return zones;
}

/** A date property's value; null when absent, or when its TZID names no VTIMEZONE of the block (Thunderbird would read that time in its own zone, this process cannot). */
function timeOf(event: ICAL.Component, name: string): ICAL.Time | null {
  const prop = event.getFirstProperty(name);
  const value: unknown = prop?.getFirstValue();
  if (!prop || !(value instanceof ICAL.Time)) return null;
  const tzid: unknown = prop.getParameter("tzid");
  if (typeof tzid === "string" && value.zone?.tzid !== tzid) return null;
  return value;
}

/** TEXT as iCalendar writes it (RFC 5545 3.3.11, as ical.js escapes it). */
function escapeText(value: unknown): string {
  return String(value).replace(/\\|;|,|\n/g, (found) => (found === "\n" ? "\\n" : `\\${found}`));
}

/** The value of a property line as written: after the first colon outside quoted parameter values. */
function writtenValue(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') quoted = !quoted;
    else if (char === ":" && !quoted) return line.slice(i + 1);
  }
  return "";
}

/**
 * `calIIcalProperty.value`: TEXT unescaped (several values joined by commas), anything else as
 * written. Thunderbird's ical.js knows no X- property: without a VALUE parameter its type is
 * "unknown" and its value the text as written, even for those our converter reads as TEXT
 * (src/convert/design.ts).
 */
function propertyValue(prop: ICAL.Property): string {
  if (prop.name.startsWith("x-") && !prop.getParameter("value")) {
    if (prop.type === "text") return prop.getValues().map(escapeText).join(",");
    return writtenValue(prop.toICALString());
  }
  if (prop.type === "text") return prop.getValues().join(",");
  if (prop.type === "integer") return prop.getValues().map(String).join(",");
  const line = prop.toICALString();
  if ((line.match(/:/g) ?? []).length === 1) return line.slice(line.indexOf(":") + 1);
  return prop
    .getValues()
    .map((value: unknown) => {
      if (typeof value === "number" || typeof value === "string") return String(value);
      if (value && typeof value === "object" && "toICALString" in value && typeof value.toICALString === "function") {
        return String((value as { toICALString(): string }).toICALString());
      }
      return String(value);
    })
    .join(",");
}

/** What CalItemBase.setProperty keeps: a value, or anything parseInt reads as a number. */
function kept(value: string): boolean {
  return !!value || !isNaN(parseInt(value, 10));
}

/** The parameters calIIcalProperty enumerates: VALUE when the type is not the default, then the rest; null when one has several values. */
function parametersOf(prop: ICAL.Property): [string, string][] | null {
  const found: [string, string][] = [];
  if (prop.type !== prop.getDefaultType()) found.push(["VALUE", prop.type.toUpperCase()]);
  const jcal = prop.toJSON() as unknown[];
  const jcalParams = (jcal[1] ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(jcalParams)) {
    if (typeof value !== "string") return null;
    const upper = name.toUpperCase();
    if (!found.some(([known]) => known === upper)) found.push([upper, value]);
  }
  return found;
}

function textOrNull(event: ICAL.Component, name: string): string | null {
  const prop = event.getFirstProperty(name);
  if (!prop) return null;
  const value = propertyValue(prop);
  return kept(value) ? value : null;
}

/** The rows of one event, or null when it is not a simple event (see the module comment). */
export function eventRows(event: ICAL.Component, text: string = event.toString() + "\r\n", zones?: BlockZones): EventRows | null {
  if (event.name !== "vevent") return null;
  const names = event.getAllProperties().map((prop) => prop.name.toUpperCase());
  if (NOT_ENCODED.some((name) => names.includes(name))) return null;
  const uid: unknown = event.getFirstPropertyValue("uid");
  const start = timeOf(event, "dtstart");
  const end = timeOf(event, "dtend");
  if (typeof uid !== "string" || !uid || !start || !end || start.isDate !== end.isDate) return null;

  const bag = new Map<string, string>();
  const params = new Map<string, Map<string, string>>();
  for (const prop of event.getAllProperties()) {
    const name = prop.name.toUpperCase();
    if (PROMOTED.has(name)) continue;
    const found = parametersOf(prop);
    if (!found) return null;
    const value = propertyValue(prop);
    if (kept(value)) {
      bag.set(name, value);
    } else {
      bag.delete(name);
      params.delete(name);
    }
    // CalItemBase.importUnpromotedProperties records the parameters even of a dropped property.
    let own = params.get(name);
    if (!own) {
      own = new Map();
      params.set(name, own);
    }
    for (const [param, value] of found) own.set(param, value);
  }

  // CalItemBase lists the attendees, then the organizer; each is stored as its property line.
  const attendees = event.getAllProperties("attendee").map((prop) => prop.toICALString() + "\r\n");
  const organizer = event.getFirstProperty("organizer");
  if (organizer) attendees.push(organizer.toICALString() + "\r\n");

  const alarms: string[] = [];
  for (const alarm of event.getAllSubcomponents()) {
    if (alarm.name !== "valarm") return null;
    alarms.push(alarm.toString() + "\r\n");
  }

  const priorityValue: unknown = event.getFirstPropertyValue("priority");
  const priority = typeof priorityValue === "number" && priorityValue ? priorityValue : null;
  const stamp = timeOf(event, "dtstamp");
  const created = timeOf(event, "created");
  const lastModified = timeOf(event, "last-modified");
  for (const [name, time] of [
    ["dtstamp", stamp],
    ["created", created],
    ["last-modified", lastModified],
  ] as const) {
    if (!time && event.getFirstProperty(name)) return null;
  }
  // The item always has DTSTART in its bag, so HAS_PROPERTIES is always set.
  let flags: number = ROW_FLAG.HAS_PROPERTIES;
  if (start.isDate) flags |= ROW_FLAG.EVENT_ALLDAY;
  if (alarms.length) flags |= ROW_FLAG.HAS_ALARMS;
  if (attendees.length) flags |= ROW_FLAG.HAS_ATTENDEES;
  return {
    id: uid,
    flags,
    title: textOrNull(event, "summary"),
    priority,
    privacy: bag.get("CLASS") ?? null,
    status: textOrNull(event, "status"),
    created: created ? dateColumn(created).native : null,
    lastModified: lastModified ? dateColumn(lastModified).native : null,
    stamp: stamp ? dateColumn(stamp).native : null,
    start: dateColumn(start, zones),
    end: dateColumn(end, zones),
    properties: [...bag],
    parameters: [...bag.keys()].flatMap((name) =>
      [...(params.get(name) ?? new Map<string, string>())].map(([param, value]): [string, string, string] => [name, param, value]),
    ),
    alarms,
    attendees,
    people: attendees.length > 0,
    text,
  };
}

/**
 * A block's iCalendar split in two: the simple events as rows, and a VCALENDAR of everything
 * else (null when nothing is left). The texts are slices of the block's own (BmIcsBlocks'
 * scanner), not re-serialised. Text that does not parse is left whole for the experiment.
 */
export function splitForRows(ics: string): { rows: RowBlock | null; rest: string | null } {
  const scanned = components(ics);
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  } catch {
    return { rows: null, rest: ics };
  }
  const parsed = calendar.getAllSubcomponents();
  if (!scanned || calendar.name !== "vcalendar" || parsed.length !== scanned.parts.length) return { rows: null, rest: ics };
  const perUid = new Map<string, number>();
  for (const part of scanned.parts) {
    if (part.name === "VTIMEZONE") continue;
    const uid = uidOf(part.text);
    perUid.set(uid, (perUid.get(uid) ?? 0) + 1);
  }
  const newline = ics.includes("\r\n") ? "\r\n" : "\n";
  const head =
    scanned.head +
    scanned.parts
      .filter((part) => part.name === "VTIMEZONE")
      .map((part) => part.text)
      .join("");
  const zones = reusedZones(
    scanned.parts.flatMap((part, i) => {
      const component = parsed[i];
      return part.name === "VTIMEZONE" && component?.name === "vtimezone" ? [{ text: part.text, component }] : [];
    }),
  );
  const items: EventRows[] = [];
  const left: string[] = [];
  scanned.parts.forEach((part, i) => {
    if (part.name === "VTIMEZONE") return;
    const component = parsed[i];
    const rows =
      component && component.name === part.name.toLowerCase() && perUid.get(uidOf(part.text)) === 1
        ? eventRows(component, part.text, zones)
        : null;
    if (rows) items.push(rows);
    else left.push(part.text);
  });
  if (!items.length) return { rows: null, rest: ics };
  return { rows: { head, items }, rest: left.length ? head + left.join("") + `END:VCALENDAR${newline}` : null };
}
