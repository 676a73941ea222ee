/**
 * The documented normalisation under which icsToSeries(seriesToIcs(s)) must equal s. It is the
 * list of what iCalendar cannot carry without `base`, and of equivalent spellings:
 * - every VEvent field present; absent lists as [] (attendees, categories, attachments) or null
 *   (alarm, exdate, rdate, by* parts), absent maps as {}; empty alarm/exdate/rdate/by* as null;
 * - rrule.interval 1 as null (ical.js never writes INTERVAL=1);
 * - exceptions carry no rrule/exdate/rdate;
 * - BlueMind-only fields at their defaults: draft false, conferenceConfiguration {}, attachment
 *   expirationDate null, attendee internal/counter null and uri null when there is a mailto,
 *   organizer uri null when there is a mailto, category containerUid/itemUid/color null;
 *   `properties` only X-MOZ-LASTACK / X-MOZ-SNOOZE-TIME*; series counters [], properties {},
 *   no acceptCounters;
 * - Date values have timezone null; DateTime iso8601 in canonical form (".000", "Z" for a zero
 *   offset, no offset when floating);
 * - text: CRLF/CR as LF, other control characters dropped; category labels trimmed;
 * - a plain-text description (no HTML markup) comes back as the HTML BlueMind's import makes of
 *   plain text (textToHtml: <br> line breaks, linked URLs); an HTML one comes back as it was.
 */
import type { Attendee, BmDateTime, RRule, VAlarm, VEvent, VEventOccurrence, VEventSeries } from "../../../../src/bluemind/types";
import { looksLikeHtml, textToHtml } from "../../../../src/convert/html-text";

const KEPT = /^X-MOZ-(LASTACK|SNOOZE-TIME(-\d+)?)$/i;
// eslint-disable-next-line no-control-regex -- the control characters iCalendar cannot carry are what it removes
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const text = (s: string | null | undefined): string | null => (s == null ? null : s.replace(/\r\n?/g, "\n").replace(CONTROL, ""));
const list = <T>(v: T[] | null | undefined): T[] | null => (v && v.length ? v : null);

function description(d: string | null | undefined): string | null {
  const t = text(d);
  return t == null || looksLikeHtml(t) ? t : textToHtml(t);
}

export function normDate(d: BmDateTime): BmDateTime {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2})?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(d.iso8601);
  if (!m) throw new Error(`bad iso ${d.iso8601}`);
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (d.precision === "Date") return { iso8601: date, timezone: null, precision: "Date" };
  let off = m[7] ?? null;
  if (off && off !== "Z") {
    const digits = off.replace(":", "");
    off = digits.slice(1) === "0000" ? "Z" : `${digits[0]}${digits.slice(1, 3)}:${digits.slice(3, 5)}`;
  }
  if (d.timezone == null) off = null;
  return { iso8601: `${date}T${m[4]}:${m[5]}:${m[6] ?? "00"}.000${off ?? ""}`, timezone: d.timezone ?? null, precision: "DateTime" };
}

function normRrule(r: RRule | null | undefined): RRule | null {
  if (!r) return null;
  return {
    frequency: r.frequency,
    count: r.count ?? null,
    until: r.until ? normDate(r.until) : null,
    interval: r.interval == null || r.interval === 1 ? null : r.interval,
    bySecond: list(r.bySecond),
    byMinute: list(r.byMinute),
    byHour: list(r.byHour),
    byDay: list(r.byDay)?.map((d) => ({ day: d.day, offset: d.offset ?? 0 })) ?? null,
    byMonthDay: list(r.byMonthDay),
    byYearDay: list(r.byYearDay),
    byWeekNo: list(r.byWeekNo),
    byMonth: list(r.byMonth),
    bySetPos: list(r.bySetPos),
  };
}

function normAlarm(a: VAlarm): VAlarm {
  return {
    action: a.action,
    trigger: a.trigger,
    description: text(a.description),
    duration: a.duration ?? null,
    repeat: a.repeat ?? null,
    summary: text(a.summary),
  };
}

function normAttendee(a: Attendee): Attendee {
  return {
    cutype: a.cutype ?? null,
    member: a.member ?? null,
    role: a.role ?? null,
    partStatus: a.partStatus ?? null,
    rsvp: a.rsvp ?? null,
    delTo: a.delTo ?? null,
    delFrom: a.delFrom ?? null,
    sentBy: text(a.sentBy),
    commonName: text(a.commonName),
    dir: text(a.dir),
    lang: text(a.lang),
    mailto: a.mailto ?? null,
    uri: a.mailto ? null : (a.uri ?? null),
    internal: null,
    responseComment: text(a.responseComment),
    counter: null,
  };
}

export function normEvent(e: VEvent, exception: boolean): VEvent {
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.properties ?? {})) if (KEPT.test(k)) props[k.toUpperCase()] = v;
  return {
    dtstart: normDate(e.dtstart),
    dtend: e.dtend ? normDate(e.dtend) : null,
    summary: text(e.summary),
    classification: e.classification ?? null,
    transparency: e.transparency ?? null,
    location: text(e.location),
    description: description(e.description),
    priority: e.priority ?? null,
    alarm: list(e.alarm)?.map(normAlarm) ?? null,
    status: e.status ?? null,
    attendees: (e.attendees ?? []).map(normAttendee),
    organizer: e.organizer
      ? {
          uri: e.organizer.mailto ? null : (e.organizer.uri ?? null),
          commonName: text(e.organizer.commonName),
          mailto: e.organizer.mailto ?? null,
          dir: e.organizer.dir ?? null,
        }
      : null,
    categories: (e.categories ?? []).map((t) => ({ containerUid: null, itemUid: null, label: (text(t.label) ?? "").trim(), color: null })),
    exdate: exception ? null : (list(e.exdate)?.map(normDate) ?? null),
    rdate: exception ? null : (list(e.rdate)?.map(normDate) ?? null),
    rrule: exception ? null : normRrule(e.rrule),
    url: e.url || null,
    conference: text(e.conference) || null,
    conferenceId: text(e.conferenceId) || null,
    conferenceConfiguration: {},
    attachments: (e.attachments ?? []).map((a) => ({ publicUrl: a.publicUrl, name: a.name, cid: a.cid ?? null, expirationDate: null })),
    properties: props,
    sequence: e.sequence ?? null,
    draft: false,
  };
}

export function normalizeSeries(s: VEventSeries): VEventSeries {
  return {
    main: s.main ? normEvent(s.main, false) : null,
    occurrences: s.occurrences.map((o): VEventOccurrence => ({ ...normEvent(o, true), recurid: normDate(o.recurid) })),
    counters: [],
    properties: {},
    icsUid: s.icsUid,
  };
}
