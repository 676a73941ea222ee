/**
 * Event writes as CalendarService performs them: VEventValidator's checks (including the
 * BM-8206 fix-up that fills BYDAY of a weekly rule), icsUid defaulting, the private-event
 * rule (updating a non-public event needs ReadExtended) and `_mupdates` with per-item errors.
 * Every write is sanitized (event-sanitizer.ts), then BlueMind's calendar hook runs
 * (scheduling.ts): with `sendNotifications`, meetings in an owner's default calendar are mailed.
 */
import type { ContainerUpdatesResult, ItemValue, VEvent, VEventChanges, VEventSeries, WeekDayName } from "../src/bluemind/types";
import { can, check } from "./acl";
import { toInstant, validateBmDate, wallOf } from "./bmdate";
import { sanitizeSeries } from "./event-sanitizer";
import { Fault, denied } from "./fault";
import type { Caller, ContainerRecord } from "./model";
import { afterEventSaved } from "./scheduling";
import { seriesDisplayName, type ServerState } from "./store";
import { wallToPseudoUtc } from "./tz";

const DAYS: WeekDayName[] = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

function checkIntList(list: number[] | null | undefined, min: number, max: number): void {
  if (!list) return;
  const bad = list.filter((i) => i == null || i < min || i > max);
  if (bad.length) throw new Fault(`value should be between ${min} and ${max} : [${bad.join(", ")}]`, "EVENT_ERROR");
}

function validateEvent(e: VEvent | null | undefined): void {
  if (!e) throw new Fault("VEvent is null", "EVENT_ERROR");
  if (!e.dtstart) throw new Fault("VEvent.dtstart is mandatory", "NO_EVENT_DATE");
  validateBmDate(e.dtstart);
  validateBmDate(e.dtend);
  for (const ex of e.exdate ?? []) validateBmDate(ex);
  const tz = e.dtstart.timezone ?? "UTC";
  if (e.dtend && toInstant(e.dtend, tz) < toInstant(e.dtstart, tz)) {
    throw new Fault("VEvent.dtend must be greater than VEvent.dtstart ", "EVENT_ERROR");
  }
  const r = e.rrule;
  if (r) {
    if (!r.frequency) throw new Fault("VEvent.RRule.frequency is null", "EVENT_ERROR");
    validateBmDate(r.until);
    if (r.until && toInstant(r.until, tz) < toInstant(e.dtstart, tz)) {
      throw new Fault("RRule.until is prior to event date", "EVENT_ENDREPEAT_PRIOR_TO_EVENT_DATE");
    }
    if (r.frequency === "WEEKLY" && (!r.byDay || r.byDay.length === 0)) {
      // BM-8206: BlueMind stores the weekday of dtstart.
      const day = new Date(wallToPseudoUtc(wallOf(e.dtstart, tz))).getUTCDay();
      r.byDay = [{ day: DAYS[day]!, offset: 0 }];
    }
    checkIntList(r.bySecond, 0, 59);
    checkIntList(r.byMinute, 0, 59);
    checkIntList(r.byHour, 0, 23);
    checkIntList(r.byMonthDay, 1, 31);
    checkIntList(r.byYearDay, 1, 366);
    checkIntList(r.byWeekNo, 1, 53);
    checkIntList(r.byMonth, 1, 12);
  }
  if (!e.summary) throw new Fault("Event title is empty", "EMPTY_EVENT_TITLE");
  for (const a of e.attachments ?? []) {
    if (!a?.name || !a.publicUrl) throw new Fault("Event attachment value is empty", "EMPTY_EVENT_ATTACHMENT_VALUE");
  }
}

/** VEventValidator.validate (mutates like BlueMind: weekly BYDAY, counters default). */
export function validateSeries(s: VEventSeries | null | undefined): asserts s is VEventSeries {
  if (!s || typeof s !== "object" || (s.main == null && (!s.occurrences || s.occurrences.length === 0))) {
    throw new Fault("VEvent is null", "EVENT_ERROR");
  }
  s.occurrences = s.occurrences ?? [];
  if (s.main != null) validateEvent(s.main);
  s.occurrences.forEach(validateEvent);
  s.counters = s.counters ?? [];
  if (s.counters.length > 0 && s.acceptCounters === false) {
    throw new Fault("Event accepts no counter propositions", "EVENT_ACCEPTS_NO_COUNTERS");
  }
}

export function calendarStore(state: ServerState, c: ContainerRecord) {
  const store = state.calendar(c.uid);
  if (!store) throw new Fault(`Incompatible calendar container type: ${c.type}, uid: ${c.uid}`);
  return store;
}

export function createEvent(
  state: ServerState,
  c: ContainerRecord,
  caller: Caller | null,
  uid: string,
  s: VEventSeries,
  sendNotifications = false,
): ItemValue<VEventSeries> {
  check(caller, c, "Write");
  if (!s) throw new Fault("VEvent is null", "EVENT_ERROR");
  if (!s.icsUid) s.icsUid = uid;
  validateSeries(s);
  sanitizeSeries(state, c.domainUid, s, sendNotifications);
  s.properties = s.properties ?? {};
  const item = calendarStore(state, c).create(uid, s, seriesDisplayName(s), caller!.subject, state.now(), caller!.origin);
  state.changed();
  afterEventSaved(state, { calendar: c, caller, before: null, after: structuredClone(item.value), sendNotifications });
  return item;
}

export function updateEvent(
  state: ServerState,
  c: ContainerRecord,
  caller: Caller | null,
  uid: string,
  s: VEventSeries,
  sendNotifications = false,
): ItemValue<VEventSeries> {
  check(caller, c, "Write");
  if (!s) throw new Fault("VEvent is null", "EVENT_ERROR");
  const store = calendarStore(state, c);
  const old = store.get(uid);
  if (!old) throw new Fault(`entry[${uid}/null]@${c.uid} not found`, "NOT_FOUND");
  const cls = old.value.main?.classification;
  if ((cls === "Private" || cls === "Confidential") && !can(caller, c, "ReadExtended")) {
    throw denied("cannot modify private event");
  }
  if (s.icsUid == null) s.icsUid = old.value.icsUid;
  if (s.icsUid !== old.value.icsUid) throw new Fault("cannot modify ics uid", "INVALID_PARAMETER");
  validateSeries(s);
  sanitizeSeries(state, c.domainUid, s, sendNotifications);
  if (s.properties == null) s.properties = old.value.properties ?? {};
  const before = structuredClone(old.value);
  const item = store.update(uid, s, seriesDisplayName(s), caller!.subject, state.now(), caller!.origin);
  state.changed();
  afterEventSaved(state, { calendar: c, caller, before, after: structuredClone(item.value), sendNotifications });
  return item;
}

/** Deleting an unknown uid is a silent no-op, as in BlueMind. */
export function deleteEvent(state: ServerState, c: ContainerRecord, caller: Caller | null, uid: string, sendNotifications = false): void {
  check(caller, c, "Write");
  const removed = calendarStore(state, c).delete(uid, caller!.subject, state.now(), caller!.origin);
  if (!removed) return;
  state.changed();
  afterEventSaved(state, { calendar: c, caller, before: structuredClone(removed.value), after: null, sendNotifications });
}

type InError = ContainerUpdatesResult["errors"][number];
const inError = (uid: string, e: unknown): InError => {
  if (e instanceof Fault) return { message: e.message, errorCode: e.errorCode, uid };
  return { message: String((e as Error)?.message ?? e), errorCode: "UNKNOWN", uid };
};

/** PUT _mupdates: add = create-or-update, modify = update-or-create, delete never fails on a missing uid. */
export function applyChanges(
  state: ServerState,
  c: ContainerRecord,
  caller: Caller | null,
  changes: VEventChanges | null,
): ContainerUpdatesResult {
  check(caller, c, "Write");
  const store = calendarStore(state, c);
  const ret: ContainerUpdatesResult = { added: [], updated: [], removed: [], unhandled: [], errors: [], version: store.version };
  if (!changes) return ret;
  for (const item of changes.add ?? []) {
    try {
      if (store.get(item.uid)) updateEvent(state, c, caller, item.uid, item.value, !!item.sendNotification);
      else createEvent(state, c, caller, item.uid, item.value, !!item.sendNotification);
      ret.added.push(item.uid);
    } catch (e) {
      ret.errors.push(inError(item.uid, e));
    }
  }
  for (const item of changes.modify ?? []) {
    try {
      if (store.get(item.uid)) updateEvent(state, c, caller, item.uid, item.value, !!item.sendNotification);
      else createEvent(state, c, caller, item.uid, item.value, !!item.sendNotification);
      ret.updated.push(item.uid);
    } catch (e) {
      ret.errors.push(inError(item.uid, e));
    }
  }
  for (const item of changes.delete ?? []) {
    try {
      deleteEvent(state, c, caller, item.uid, !!item.sendNotification);
      ret.removed.push(item.uid);
    } catch (e) {
      ret.errors.push(inError(item.uid, e));
    }
  }
  ret.version = store.version;
  return ret;
}
