/**
 * Merges a series read from Thunderbird's ICS with `base`, the series as last received from
 * BlueMind, so an edit changes only what the user changed: any field that reads back exactly as
 * `base` would have been written is taken verbatim from `base` (with everything iCalendar cannot
 * carry), and changed lists (attendees, categories, attachments) keep BlueMind-only details per item.
 */
import type { AttachedDocument, Attendee, TagRef, VEvent, VEventOccurrence, VEventSeries } from "../bluemind/types";
import { sameMoment } from "./datetime";
import { descriptionText } from "./description";
import { htmlToText, sameText, textToHtml } from "./html-text";
import { jsonEqual } from "./equal";
import { isKeptXProp } from "./xprops";

/** The fields an event shares with a task (ICalendarElement without dates): what mergeEvent looks at. */
export type ElementFields = Omit<VEvent, "dtstart" | "dtend" | "transparency">;

/** What `base` looks like after a trip through iCalendar: the yardstick for "unchanged". */
export type Echo = (base: VEventSeries) => VEventSeries;

function attendeeKey(a: Attendee): string {
  return a.mailto ? `m:${a.mailto.toLowerCase()}` : a.uri ? `u:${a.uri}` : `d:${a.dir ?? ""}`;
}

function mergeAttendees(p: Attendee[], echo: Attendee[], base: Attendee[]): Attendee[] {
  const echoByKey = new Map(echo.map((a) => [attendeeKey(a), a] as const));
  const baseByKey = new Map(base.map((a) => [attendeeKey(a), a] as const));
  return p.map((a) => {
    const key = attendeeKey(a);
    const b = baseByKey.get(key);
    if (!b) return a;
    if (jsonEqual(a, echoByKey.get(key))) return b;
    // Changed (typically PARTSTAT): keep what only BlueMind knows about this attendee.
    return {
      ...a,
      internal: b.internal ?? null,
      counter: b.counter ?? null,
      uri: a.uri ?? b.uri ?? null,
      dir: a.dir ?? b.dir ?? null,
      responseComment: a.responseComment ?? b.responseComment ?? null,
    };
  });
}

function mergeCategories(p: TagRef[], pool: TagRef[]): TagRef[] {
  return p.map((t) => pool.find((b) => b.label === t.label) ?? t);
}

function mergeAttachments(p: AttachedDocument[], base: AttachedDocument[]): AttachedDocument[] {
  // Nothing in the ICS: the client did not carry them; keep BlueMind's.
  if (p.length === 0) return base;
  return p.map((a) => base.find((b) => b.publicUrl === a.publicUrl) ?? a);
}

/** Merges one event; `base`/`echo` are its counterpart (or the main event, for a new exception). */
export function mergeEvent<T extends ElementFields>(p: T, echo: ElementFields, base: ElementFields, pool: TagRef[]): T {
  const out: Record<string, unknown> = { ...(p as unknown as Record<string, unknown>) };
  const pr = p as unknown as Record<string, unknown>;
  const er = echo as unknown as Record<string, unknown>;
  const br = base as unknown as Record<string, unknown>;
  for (const k of Object.keys(pr)) {
    if (k in br && br[k] !== undefined && jsonEqual(pr[k], er[k])) out[k] = br[k];
  }
  if (!jsonEqual(p.attendees, echo.attendees))
    out.attendees = mergeAttendees(p.attendees ?? [], echo.attendees ?? [], base.attendees ?? []);
  if (!jsonEqual(p.categories, echo.categories)) out.categories = mergeCategories(p.categories ?? [], pool);
  if (!jsonEqual(p.attachments, echo.attachments)) out.attachments = mergeAttachments(p.attachments ?? [], base.attachments ?? []);
  if (!jsonEqual(p.organizer, echo.organizer) && p.organizer && base.organizer && p.organizer.mailto === base.organizer.mailto) {
    out.organizer = {
      ...p.organizer,
      uri: p.organizer.uri ?? base.organizer.uri ?? null,
      dir: p.organizer.dir ?? base.organizer.dir ?? null,
    };
  }
  if (!jsonEqual(p.properties, echo.properties)) {
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(base.properties ?? {})) if (!isKeptXProp(k)) kept[k] = v;
    out.properties = { ...kept, ...(p.properties ?? {}) };
  }
  if (p.conference == null && base.conference != null) out.conference = base.conference;
  if (p.conferenceId == null && base.conferenceId != null) out.conferenceId = base.conferenceId;
  if (
    p.description != null &&
    base.description != null &&
    p.description !== base.description &&
    isPlainMade(p.description) &&
    sameText(descriptionText(p.description), descriptionText(base.description))
  ) {
    out.description = base.description; // text unchanged, only the HTML was lost on the way
  }
  if (
    p.rrule &&
    base.rrule &&
    !jsonEqual(p.rrule, echo.rrule) &&
    p.rrule.until &&
    base.rrule.until &&
    sameMoment(p.rrule.until, base.rrule.until)
  ) {
    out.rrule = { ...p.rrule, until: base.rrule.until };
  }
  return out as T;
}

/** A description that is only plain text made HTML (line breaks, links), as read from DESCRIPTION. */
function isPlainMade(d: string): boolean {
  return d === textToHtml(htmlToText(d));
}

function tagPool(s: VEventSeries): TagRef[] {
  const pool: TagRef[] = [];
  for (const e of [s.main, ...s.occurrences]) for (const t of e?.categories ?? []) pool.push(t);
  return pool;
}

export function carryOver(parsed: VEventSeries, base: VEventSeries, echoOf: Echo): VEventSeries {
  const echo = echoOf(base);
  const pool = tagPool(base);
  const pairs: { base: VEvent; echo: VEvent }[] = [];
  if (base.main && echo.main) pairs.push({ base: base.main, echo: echo.main });
  const main = parsed.main && base.main && echo.main ? mergeEvent(parsed.main, echo.main, base.main, pool) : parsed.main;

  const occurrences = parsed.occurrences.map((o): VEventOccurrence => {
    const i = echo.occurrences.findIndex((e) => sameMoment(e.recurid, o.recurid));
    const b = i >= 0 ? base.occurrences[i] : undefined;
    const e = i >= 0 ? echo.occurrences[i] : undefined;
    if (b && e) return mergeEvent(o, e, b, pool);
    // A new exception: compare with the main event, whose fields it was copied from.
    if (base.main && echo.main) return mergeEvent(o, echo.main, base.main, pool);
    return o;
  });

  const out: VEventSeries = {
    main,
    occurrences,
    counters: base.counters ?? [],
    properties: base.properties ?? {},
    icsUid: parsed.icsUid,
  };
  if (base.acceptCounters !== undefined) out.acceptCounters = base.acceptCounters;
  return out;
}
