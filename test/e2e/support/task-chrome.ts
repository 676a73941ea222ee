/**
 * Tasks in a real Thunderbird, as its own UI shows and edits them: the Tasks tab's task tree (the
 * rows it shows, its "completed" checkbox cell, which is how a user ticks a task), and a task
 * calendar's items through calendar.addItem / modifyItem / deleteItem, so the tests go through the
 * real cache, offline journal and provider paths.
 */

import type { Thunderbird } from "../harness/thunderbird";
import type { EditResult } from "./calendar-chrome";

export interface TbTask {
  id: string;
  title: string;
  calendar: string;
  /** UTC iCalendar form (20261201T090000Z), or a DATE (20261201); null when none. */
  entry: string | null;
  due: string | null;
  completed: string | null;
  isCompleted: boolean;
  percent: number;
  status: string | null;
  priority: number;
  location: string | null;
  categories: string[];
  recurring: boolean;
  /** Alarm offsets in seconds and what they count from ("START" / "END"). */
  alarms: { offset: number | null; related: string }[];
}

const TASK_FIELDS = `
  const utc = d => d ? (d.isDate ? d.icalString : d.getInTimezone(cal.dtz.UTC).icalString) : null;
  const related = a => a.related == Ci.calIAlarm.ALARM_RELATED_END ? "END" : a.related == Ci.calIAlarm.ALARM_RELATED_START ? "START" : "ABSOLUTE";
  const describe = t => ({
    id: t.id, title: t.title, calendar: t.calendar.name, entry: utc(t.entryDate), due: utc(t.dueDate),
    completed: utc(t.completedDate), isCompleted: t.isCompleted, percent: t.percentComplete, status: t.status,
    priority: t.priority, location: t.getProperty("LOCATION"), categories: t.getCategories(),
    recurring: !!t.recurrenceInfo, alarms: t.getAlarms().map(a => ({ offset: a.offset ? a.offset.inSeconds : null, related: related(a) })),
  });
`;

const WINDOW = `
  const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  const tree = () => win.document.getElementById("calendar-task-tree");
`;

/** Opens Thunderbird's Tasks tab with its "All" filter (completed tasks shown too). */
export async function openTasksTab(tb: Thunderbird): Promise<void> {
  await tb.chrome(`${WINDOW}
    win.document.getElementById("tabmail").openTab("tasks");
    win.taskViewUpdate("all");
    return true;`);
}

/** The rows of the Tasks tab's task tree, in its order. */
export function shownTasks(tb: Thunderbird): Promise<TbTask[]> {
  return tb.chrome<TbTask[]>(`${WINDOW}${TASK_FIELDS}
    return (tree().mTaskArray || []).map(describe);`);
}

/** Clicks the "completed" checkbox cell of the row titled so, as the user does. */
export function tickInTaskTree(tb: Thunderbird, title: string): Promise<EditResult> {
  return tb.chrome<EditResult>(
    `${WINDOW}
    const t = tree();
    const row = t.mTaskArray.findIndex(task => task.title == args[0]);
    if (row < 0) return { ok: false, error: "no row " + args[0] };
    t.view.cycleCell(row, t.columns.getColumnFor(t.querySelector("[itemproperty='completed']")));
    return { ok: true };`,
    title,
  );
}

const CALENDAR = `
  const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
  const calendar = cal.manager.getCalendars().find(c => c.uri.spec == args[0]);
  if (!calendar) throw new Error("no calendar " + args[0]);
`;

/** The tasks (completed ones too) of the calendar with this URI. */
export function readTasks(tb: Thunderbird, uri: string): Promise<TbTask[]> {
  return tb.chrome<TbTask[]>(
    `${CALENDAR}${TASK_FIELDS}
    const filter = Ci.calICalendar.ITEM_FILTER_TYPE_TODO | Ci.calICalendar.ITEM_FILTER_COMPLETED_ALL;
    return (await calendar.getItemsAsArray(filter, 0, null, null)).map(describe);`,
    uri,
  );
}

/** What the calendar tells Thunderbird it may hold. */
export function capabilities(tb: Thunderbird, uri: string): Promise<{ events: unknown; tasks: unknown; writable: boolean }> {
  return tb.chrome(
    `${CALENDAR}
    return {
      events: calendar.getProperty("capabilities.events.supported"),
      tasks: calendar.getProperty("capabilities.tasks.supported"),
      writable: cal.acl.isCalendarWritable(calendar),
    };`,
    uri,
  );
}

export interface TaskChange {
  title?: string;
  /** DATE (20261205) or UTC date-time (20261205T170000Z). */
  due?: string;
  percent?: number;
}

const EDIT_EPILOGUE = `
  try { await edit(); return { ok: true }; } catch (e) { return { ok: false, error: String(e && (e.message || e)) }; }
`;

/** A new task, as Thunderbird's task dialog makes one. */
export function addTask(tb: Thunderbird, uri: string, id: string, change: TaskChange): Promise<EditResult> {
  return tb.chrome<EditResult>(
    `${CALENDAR}
    const { CalTodo } = ChromeUtils.importESModule("resource:///modules/CalTodo.sys.mjs");
    const item = new CalTodo();
    item.id = args[1];
    item.title = args[2].title ?? "";
    if (args[2].due) item.dueDate = cal.createDateTime(args[2].due);
    const edit = () => calendar.addItem(item);
    ${EDIT_EPILOGUE}`,
    uri,
    id,
    change,
  );
}

export function changeTask(tb: Thunderbird, uri: string, id: string, change: TaskChange): Promise<EditResult> {
  return tb.chrome<EditResult>(
    `${CALENDAR}
    const edit = async () => {
      const old = await calendar.getItem(args[1]);
      if (!old) throw new Error("no task " + args[1]);
      const item = old.clone();
      if (args[2].title !== undefined) item.title = args[2].title;
      if (args[2].due !== undefined) item.dueDate = cal.createDateTime(args[2].due);
      if (args[2].percent !== undefined) item.percentComplete = args[2].percent;
      await calendar.modifyItem(item, old);
    };
    ${EDIT_EPILOGUE}`,
    uri,
    id,
    change,
  );
}

export function deleteTask(tb: Thunderbird, uri: string, id: string): Promise<EditResult> {
  return tb.chrome<EditResult>(
    `${CALENDAR}
    const edit = async () => {
      const item = await calendar.getItem(args[1]);
      if (!item) throw new Error("no task " + args[1]);
      await calendar.deleteItem(item);
    };
    ${EDIT_EPILOGUE}`,
    uri,
    id,
  );
}
