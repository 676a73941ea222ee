/**
 * Checks a VEventSeries received from BlueMind before it is converted. The JSON comes from a
 * server (or a proxy, or a newer BlueMind) we do not control; a field of the wrong type would
 * otherwise surface as a bare TypeError deep in the writer. Here it is a ConvertError that names
 * the event and the field ("main.attendees[2].mailto should be a string or null, not the number 3").
 * Unknown enum words are let through (the writer skips them); wrong types are not.
 */
import type { VEventSeries } from "../bluemind/types";
import { ConvertError } from "./errors";
import { ISO_RE } from "./iso";

type Check = (v: unknown, path: string) => void;

let uid = "";

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  if (typeof v === "number" || typeof v === "boolean") return `${typeof v} ${String(v)}`;
  return `${typeof v === "object" ? "an" : "a"} ${typeof v}`;
}

function fail(path: string, expected: string, v: unknown): never {
  throw new ConvertError(`convert: event ${JSON.stringify(uid)}: ${path} should be ${expected}, not ${describe(v)}`, path);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const optional =
  (type: "string" | "number" | "boolean"): Check =>
  (v, path) => {
    if (v != null && typeof v !== type) fail(path, `a ${type} or null`, v);
  };
const str = optional("string");
const num = optional("number");
const bool = optional("boolean");

function object(fields: Record<string, Check>, required = false): Check {
  const entries = Object.entries(fields);
  return (v, path) => {
    if (v == null) {
      if (required) fail(path, "an object", v);
      return;
    }
    if (!isObject(v)) fail(path, required ? "an object" : "an object or null", v);
    for (const [k, check] of entries) check(v[k], `${path}.${k}`);
  };
}

function list(each: Check): Check {
  return (v, path) => {
    if (v == null) return;
    if (!Array.isArray(v)) fail(path, "an array or null", v);
    v.forEach((item, i) => each(item, `${path}[${i}]`));
  };
}

function oneOf(words: readonly string[]): Check {
  return (v, path) => {
    if (typeof v !== "string" || !words.includes(v)) fail(path, `one of ${words.join(", ")}`, v);
  };
}

const stringMap: Check = (v, path) => {
  if (v != null && !isObject(v)) fail(path, "an object or null", v);
};

const precisionWord = oneOf(["Date", "DateTime"]);
const precision: Check = (v, path) => {
  if (v != null) precisionWord(v, path);
};

function dateTime(required: boolean): Check {
  const shape = object({ timezone: str, precision }, required);
  return (v, path) => {
    shape(v, path);
    if (v == null) return;
    const iso = (v as Record<string, unknown>).iso8601;
    if (typeof iso !== "string") fail(`${path}.iso8601`, "a string", iso);
    if (!ISO_RE.test(iso.trim())) fail(`${path}.iso8601`, "an ISO 8601 date or date-time", iso);
  };
}

const numbers = list((v, p) => {
  if (typeof v !== "number") fail(p, "a number", v);
});

const rrule = object({
  frequency: oneOf(["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
  count: num,
  interval: num,
  until: dateTime(false),
  bySecond: numbers,
  byMinute: numbers,
  byHour: numbers,
  byDay: list(object({ day: oneOf(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), offset: num }, true)),
  byMonthDay: numbers,
  byYearDay: numbers,
  byWeekNo: numbers,
  byMonth: numbers,
  bySetPos: numbers,
});

const person = { commonName: str, mailto: str, uri: str, dir: str };

const event = {
  dtstart: dateTime(true),
  dtend: dateTime(false),
  summary: str,
  classification: str,
  transparency: str,
  location: str,
  description: str,
  priority: num,
  alarm: list(object({ action: str, trigger: num, description: str, duration: num, repeat: num, summary: str }, true)),
  status: str,
  attendees: list(
    object(
      {
        ...person,
        cutype: str,
        member: str,
        role: str,
        partStatus: str,
        rsvp: bool,
        delTo: str,
        delFrom: str,
        sentBy: str,
        lang: str,
        internal: bool,
        responseComment: str,
        counter: dateTime(false),
      },
      true,
    ),
  ),
  organizer: object(person),
  categories: list(object({ label: str, containerUid: str, itemUid: str, color: str }, true)),
  exdate: list(dateTime(true)),
  rdate: list(dateTime(true)),
  rrule,
  url: str,
  conference: str,
  conferenceId: str,
  conferenceConfiguration: stringMap,
  attachments: list(object({ publicUrl: str, name: str, cid: str, expirationDate: num }, true)),
  properties: stringMap,
  sequence: num,
  draft: bool,
};

const series: Record<string, Check> = {
  main: object(event),
  occurrences: list(object({ ...event, recurid: dateTime(false) }, true)),
  counters: list(object({ counter: object({ ...event, recurid: dateTime(false) }) }, true)),
  properties: stringMap,
};

/** Throws a ConvertError naming the first field of the wrong type. */
export function checkSeries(s: unknown): asserts s is VEventSeries {
  const icsUid = isObject(s) ? s.icsUid : undefined;
  uid = typeof icsUid === "string" ? icsUid : "";
  if (!isObject(s)) fail("the series", "an object", s);
  if (typeof icsUid !== "string" || icsUid === "") {
    throw new ConvertError(`convert: series has no icsUid (${describe(icsUid)})`, "icsUid");
  }
  for (const [k, check] of Object.entries(series)) check(s[k], k);
}
