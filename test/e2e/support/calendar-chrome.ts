/**
 * Reading and editing Thunderbird calendar items from chrome code, the way Thunderbird's own
 * UI does it (calendar.addItem / modifyItem / deleteItem on the registered calendar), so the
 * tests exercise the real cache, offline journal and provider paths.
 */

import type { Thunderbird } from "../harness/thunderbird";
import type { CacheState } from "../../../src/thunderbird/provider-contract";

export interface TbItem {
  id: string;
  title: string;
  /** UTC iCalendar form, e.g. 20261201T090000Z, or a DATE (20261201) for all-day events. */
  start: string;
  end: string | null;
  zone: string;
  allDay: boolean;
  recurrenceId: string | null;
  location: string | null;
  alarmOffsets: (number | null)[];
}

const PRELUDE = `
  const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
  const calendar = cal.manager.getCalendars().find(c => c.uri.spec == args[0]);
  if (!calendar) throw new Error("no calendar " + args[0]);
  const utc = d => d ? (d.isDate ? d.icalString : d.getInTimezone(cal.dtz.UTC).icalString) : null;
`;

/** Items (occurrences expanded when a range is given) of the calendar with this URI. */
export function readItems(tb: Thunderbird, uri: string, range?: { start: string; end: string }): Promise<TbItem[]> {
  return tb.chrome<TbItem[]>(
    `${PRELUDE}
    const range = args[1];
    const filter = Ci.calICalendar.ITEM_FILTER_TYPE_EVENT | (range ? Ci.calICalendar.ITEM_FILTER_CLASS_OCCURRENCES : 0);
    const items = await calendar.getItemsAsArray(filter, 0,
      range ? cal.createDateTime(range.start) : null, range ? cal.createDateTime(range.end) : null);
    return items.map(i => ({
      id: i.id, title: i.title, start: utc(i.startDate), end: utc(i.endDate),
      zone: i.startDate.timezone.tzid, allDay: i.startDate.isDate,
      recurrenceId: utc(i.recurrenceId), location: i.getProperty("LOCATION"),
      alarmOffsets: i.getAlarms().map(a => a.offset ? a.offset.inSeconds : null),
    }));`,
    uri,
    range ?? null,
  );
}

export type EditResult = { ok: true } | { ok: false; error: string };

const EDIT_EPILOGUE = `
  try { await edit(); return { ok: true }; } catch (e) { return { ok: false, error: String(e && (e.message || e)) }; }
`;

export interface NewEvent {
  id: string;
  title: string;
  start: string;
  end: string;
}

/** Chrome code that builds `item`, a new event from args[1] (a NewEvent). */
const NEW_EVENT = `
  const { CalEvent } = ChromeUtils.importESModule("resource:///modules/CalEvent.sys.mjs");
  const item = new CalEvent();
  item.id = args[1].id;
  item.title = args[1].title;
  item.startDate = cal.createDateTime(args[1].start);
  item.endDate = cal.createDateTime(args[1].end);
`;

export function addEvent(tb: Thunderbird, uri: string, event: NewEvent): Promise<EditResult> {
  return tb.chrome<EditResult>(
    `${PRELUDE}
    ${NEW_EVENT}
    const edit = () => calendar.addItem(item);
    ${EDIT_EPILOGUE}`,
    uri,
    event,
  );
}

/**
 * Adds an event without waiting in the Marionette command (a hanging server holds addItem for
 * the whole request timeout, longer than Marionette's script timeout); `addEventResult` polls
 * the outcome, kept on the main window (dialogs come and go, it stays).
 */
export function startAddEvent(tb: Thunderbird, uri: string, event: NewEvent): Promise<void> {
  return tb.chrome<void>(
    `${PRELUDE}
    ${NEW_EVENT}
    const results = (Services.wm.getMostRecentWindow("mail:3pane").__startedAdds ??= {});
    results[item.id] = null;
    calendar.addItem(item).then(
      () => { results[item.id] = { ok: true }; },
      e => { results[item.id] = { ok: false, error: String(e && (e.message || e)) }; });
    return null;`,
    uri,
    event,
  );
}

/** The outcome of `startAddEvent` for this id, or null while Thunderbird is still at it. */
export function addEventResult(tb: Thunderbird, id: string): Promise<EditResult | null> {
  return tb.chrome<EditResult | null>(`return (Services.wm.getMostRecentWindow("mail:3pane").__startedAdds ?? {})[args[0]] ?? null;`, id);
}

/** How many items the calendar holds (cheaper than reading them all while a big sync runs); -1 when it does not exist. */
export function countItems(tb: Thunderbird, uri: string): Promise<number> {
  return tb
    .chrome<number>(`${PRELUDE} return (await calendar.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_ALL_ITEMS, 0, null, null)).length;`, uri)
    .catch(() => -1);
}

/** Changes the title of an event, or of one occurrence when `recurrenceId` (UTC) is given. */
export function retitle(tb: Thunderbird, uri: string, id: string, title: string, recurrenceId?: string): Promise<EditResult> {
  return tb.chrome<EditResult>(
    `${PRELUDE}
    const edit = async () => {
      const parent = await calendar.getItem(args[1]);
      if (!parent) throw new Error("no item " + args[1]);
      const old = args[3] ? parent.recurrenceInfo.getOccurrenceFor(cal.createDateTime(args[3])) : parent;
      if (!old) throw new Error("no occurrence " + args[3]);
      const changed = old.clone();
      changed.title = args[2];
      await calendar.modifyItem(changed, old);
    };
    ${EDIT_EPILOGUE}`,
    uri,
    id,
    title,
    recurrenceId ?? null,
  );
}

export function deleteEvent(tb: Thunderbird, uri: string, id: string): Promise<EditResult> {
  return tb.chrome<EditResult>(
    `${PRELUDE}
    const edit = async () => {
      const item = await calendar.getItem(args[1]);
      if (!item) throw new Error("no item " + args[1]);
      await calendar.deleteItem(item);
    };
    ${EDIT_EPILOGUE}`,
    uri,
    id,
  );
}

/** Thunderbird's own refresh of the calendar (what its "Synchronize" does). */
export function refresh(tb: Thunderbird, uri: string): Promise<void> {
  return tb.chrome<void>(`${PRELUDE} await calendar.refresh();`, uri);
}

/**
 * What a calendar's cache holds, as our provider reports it (its cacheState(): the version and
 * start of the last complete sync, the mailboxCopyGuid then, the offline edits not sent yet):
 * read through the experiment's own code, never by re-reading its metadata here.
 */
export function cacheState(tb: Thunderbird, uri: string): Promise<CacheState> {
  return tb.chrome<CacheState>(`${PRELUDE} return calendar.getProperty("cache.uncachedCalendar").wrappedJSObject.cacheState();`, uri);
}

/** Unsent offline changes in a cached calendar's journal. */
export async function pendingOfflineChanges(tb: Thunderbird, uri: string): Promise<number> {
  return (await cacheState(tb, uri)).pending;
}

export function setOffline(tb: Thunderbird, offline: boolean): Promise<void> {
  return tb.chrome<void>(`Services.io.offline = args[0];`, offline);
}

export function isWritable(tb: Thunderbird, uri: string): Promise<boolean> {
  return tb.chrome<boolean>(`${PRELUDE} return cal.acl.isCalendarWritable(calendar);`, uri);
}

/**
 * A time as the chrome side builds it: "DATE:20261012", "UTC:20261012T073000" or
 * "Europe/Paris:20261012T093000" (wall clock in that zone).
 */
export type TbTime = string;

export type TbOperation =
  | { kind: "create"; id: string; title: string; location: string; description: string; start: TbTime; end: TbTime; rrule: string | null }
  | { kind: "modify"; id: string; title?: string; location?: string; description?: string; start?: TbTime; end?: TbTime }
  | { kind: "delete"; id: string }
  | { kind: "modifyOccurrence"; id: string; rid: TbTime; title?: string; start?: TbTime; end?: TbTime }
  | { kind: "deleteOccurrence"; id: string; rid: TbTime };

/** One parent item as readSeries() reports it (dates already UTC or DATE). */
export interface TbSeries {
  id: string;
  title: string | null;
  location: string | null;
  description: string | null;
  start: string;
  end: string;
  rules: { ical: string; negative: boolean }[];
  dates: { date: string; negative: boolean }[];
  exceptions: { rid: string; title: string | null; start: string; end: string }[];
}

/** Version of the last complete sync stored in a cached calendar (our provider's metadata), or null. */
export async function cachedVersion(tb: Thunderbird, uri: string): Promise<number | null> {
  return (await cacheState(tb, uri)).version;
}

/** Builds a calIDateTime from "DATE:20261012", "UTC:20261012T073000" or "<zone>:20261012T093000". */
const TIME_PARSER = `
  const time = spec => {
    const at = spec.indexOf(":");
    const zone = spec.slice(0, at);
    const value = spec.slice(at + 1);
    if (zone == "DATE") return cal.createDateTime(value);
    const m = /^(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})$/.exec(value);
    if (!m) throw new Error("bad time " + spec);
    const d = cal.createDateTime();
    d.resetTo(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], zone == "UTC" ? cal.dtz.UTC : cal.timezoneService.getTimezone(zone));
    return d;
  };
`;

/**
 * Applies operations one after another, as Thunderbird's UI does them: an edit of one
 * occurrence is modifyItem(changed occurrence, occurrence), deleting one occurrence is
 * modifyItem(parent without it, parent). Returns the index and error of each failed operation.
 */
export function applyOperations(tb: Thunderbird, uri: string, operations: TbOperation[]): Promise<{ index: number; error: string }[]> {
  return tb.chrome<{ index: number; error: string }[]>(
    `${PRELUDE}${TIME_PARSER}
    const { CalEvent } = ChromeUtils.importESModule("resource:///modules/CalEvent.sys.mjs");
    const { CalRecurrenceInfo } = ChromeUtils.importESModule("resource:///modules/CalRecurrenceInfo.sys.mjs");
    const setText = (item, name, value) => value ? item.setProperty(name, value) : item.deleteProperty(name);
    const parentOf = async id => {
      const item = await calendar.getItem(id);
      if (!item) throw new Error("no item " + id);
      return item;
    };
    const apply = {
      async create(op) {
        const item = new CalEvent();
        item.id = op.id;
        item.title = op.title;
        setText(item, "LOCATION", op.location);
        item.descriptionText = op.description;
        item.startDate = time(op.start);
        item.endDate = time(op.end);
        if (op.rrule) {
          item.recurrenceInfo = new CalRecurrenceInfo(item);
          item.recurrenceInfo.appendRecurrenceItem(cal.createRecurrenceRule("RRULE:" + op.rrule));
        }
        await calendar.addItem(item);
      },
      async modify(op) {
        const old = await parentOf(op.id);
        const item = old.clone();
        if (op.title !== undefined) item.title = op.title;
        if (op.location !== undefined) setText(item, "LOCATION", op.location);
        if (op.description !== undefined) item.descriptionText = op.description;
        if (op.start !== undefined) {
          item.startDate = time(op.start);
          item.endDate = time(op.end);
        }
        await calendar.modifyItem(item, old);
      },
      async delete(op) {
        await calendar.deleteItem(await parentOf(op.id));
      },
      async modifyOccurrence(op) {
        const parent = await parentOf(op.id);
        const old = parent.recurrenceInfo.getOccurrenceFor(time(op.rid));
        const item = old.clone();
        if (op.title !== undefined) item.title = op.title;
        if (op.start !== undefined) {
          item.startDate = time(op.start);
          item.endDate = time(op.end);
        }
        await calendar.modifyItem(item, old);
      },
      async deleteOccurrence(op) {
        const parent = await parentOf(op.id);
        const item = parent.clone();
        item.recurrenceInfo.removeOccurrenceAt(time(op.rid));
        await calendar.modifyItem(item, parent);
      },
    };
    const failures = [];
    for (const [index, op] of args[1].entries()) {
      try {
        await apply[op.kind](op);
      } catch (e) {
        failures.push({ index, error: String((e && (e.message || e)) || e) });
      }
    }
    return failures;`,
    uri,
    operations,
  );
}

/** Every event of the calendar as a parent item with its rules, EXDATE/RDATEs and exceptions. */
export function readSeries(tb: Thunderbird, uri: string): Promise<TbSeries[]> {
  return tb.chrome<TbSeries[]>(
    `${PRELUDE}
    const items = await calendar.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_TYPE_EVENT, 0, null, null);
    return items.map(i => {
      const info = i.recurrenceInfo;
      const recurrence = info ? info.getRecurrenceItems() : [];
      return {
        id: i.id, title: i.title, location: i.getProperty("LOCATION"), description: i.getProperty("DESCRIPTION"),
        start: utc(i.startDate), end: utc(i.endDate),
        rules: recurrence.filter(r => r instanceof Ci.calIRecurrenceRule).map(r => ({ ical: r.icalString, negative: r.isNegative })),
        dates: recurrence.filter(r => r instanceof Ci.calIRecurrenceDate).map(r => ({ date: utc(r.date), negative: r.isNegative })),
        exceptions: info ? info.getExceptionIds().map(rid => {
          const e = info.getExceptionFor(rid);
          return { rid: utc(rid), title: e.title, start: utc(e.startDate), end: utc(e.endDate) };
        }) : [],
      };
    });`,
    uri,
  );
}
