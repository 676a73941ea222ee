/**
 * Reading and editing Thunderbird calendar items from chrome code, the way Thunderbird's own
 * UI does it (calendar.addItem / modifyItem / deleteItem on the registered calendar), so the
 * tests exercise the real cache, offline journal and provider paths.
 */

import type { Thunderbird } from "../harness/thunderbird";

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

export function addEvent(tb: Thunderbird, uri: string, event: { id: string; title: string; start: string; end: string }): Promise<EditResult> {
  return tb.chrome<EditResult>(
    `${PRELUDE}
    const { CalEvent } = ChromeUtils.importESModule("resource:///modules/CalEvent.sys.mjs");
    const edit = async () => {
      const item = new CalEvent();
      item.id = args[1].id;
      item.title = args[1].title;
      item.startDate = cal.createDateTime(args[1].start);
      item.endDate = cal.createDateTime(args[1].end);
      await calendar.addItem(item);
    };
    ${EDIT_EPILOGUE}`,
    uri,
    event,
  );
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

/** Unsent offline changes in a cached calendar's journal. */
export function pendingOfflineChanges(tb: Thunderbird, uri: string): Promise<number> {
  return tb.chrome<number>(
    `${PRELUDE}
    const storage = calendar.getProperty("cache.uncachedCalendar").wrappedJSObject.mOfflineStorage;
    if (!storage) return 0;
    let n = 0;
    for (const flag of [Ci.calICalendar.ITEM_FILTER_OFFLINE_CREATED, Ci.calICalendar.ITEM_FILTER_OFFLINE_MODIFIED, Ci.calICalendar.ITEM_FILTER_OFFLINE_DELETED]) {
      n += (await storage.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_ALL_ITEMS | flag, 0, null, null)).length;
    }
    return n;`,
    uri,
  );
}

export function setOffline(tb: Thunderbird, offline: boolean): Promise<void> {
  return tb.chrome<void>(`Services.io.offline = args[0];`, offline);
}

export function isWritable(tb: Thunderbird, uri: string): Promise<boolean> {
  return tb.chrome<boolean>(`${PRELUDE} return cal.acl.isCalendarWritable(calendar);`, uri);
}
