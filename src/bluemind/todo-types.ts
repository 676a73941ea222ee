/**
 * JSON shapes of BlueMind's todo lists (ITodoList, `net.bluemind.todolist.api`), apart from
 * types.ts so the calendar shapes stay as they are. A VTodo is BlueMind's ICalendarElement (the
 * fields a VEvent has, without dtend and transparency) plus due, percent, completed and uid.
 * Field names are BlueMind's.
 */

import type { BmDateTime, EventStatus, ICalendarElement } from "./types";

/** ICalendarElement.Status; a task uses NeedsAction, InProcess, Completed and Cancelled. */
export type TodoStatus = EventStatus;

export interface VTodo extends ICalendarElement {
  /** The iCalendar UID (the item uid is separate, as for events). */
  uid: string;
  /** Optional: many tasks have only a due date, or no date at all. */
  dtstart?: BmDateTime | null;
  due?: BmDateTime | null;
  /** When it was completed; BlueMind keeps it only while status is Completed. */
  completed?: BmDateTime | null;
  /** 0–100; BlueMind stores 0 for none. */
  percent?: number | null;
}

/** `POST /api/todolist/{uid}/_search` (VTodoQuery): size -1 (or 0) means every match. */
export interface VTodoQuery {
  from?: number;
  size?: number;
  query?: string | null;
  escapeQuery?: boolean;
  todoUid?: string | null;
  /** With dateMin/dateMax BlueMind keeps only tasks due in the range, and lists each occurrence of a recurring one. */
  dateMin?: BmDateTime | null;
  dateMax?: BmDateTime | null;
}

export interface VTodoChangesItem {
  uid: string;
  value: VTodo;
  sendNotification?: boolean;
}

/** `PUT /api/todolist/{uid}/_mupdates`. */
export interface VTodoChanges {
  add?: VTodoChangesItem[];
  modify?: VTodoChangesItem[];
  delete?: { uid: string; sendNotification?: boolean }[];
}

/** The container uid prefix of a user's default todo list (ITodoUids.defaultUserTodoList). */
export const DEFAULT_TODO_LIST_PREFIX = "todolist:default_";

/** The name BlueMind gives every user's default todo list; its UI shows "Mes tâches" / "My tasks". */
export const DEFAULT_TODO_LIST_NAME = "$$mytasks$$";

export function defaultTodoListUid(userUid: string): string {
  return `${DEFAULT_TODO_LIST_PREFIX}${userUid}`;
}
