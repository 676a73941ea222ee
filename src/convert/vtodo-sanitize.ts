/**
 * BlueMind's VTodoSanitizer, the part that needs no directory: what the server makes of every
 * task it stores. The reference server applies it on create and update; the round-trip tests
 * apply it to their random tasks, so "stored, sent to Thunderbird, read back" is stable.
 * (Resolving organizer and attendees against the directory is the server's own part.)
 */
import type { VTodo } from "../bluemind/todo-types";
import type { BmDateTime } from "../bluemind/types";
import { clockFor } from "./datetime";
import { formatDateTime, utcMsToWall } from "./iso";
import { instantToWall, isUtcZone } from "./zones";

/** BlueMind's placeholder title ("FIXME: Set to i18n" in its source: it is not translated). */
export const NEW_TODO_SUMMARY = "(New Todo)";

/** An instant as BlueMind's BmDateTimeWrapper.fromTimestamp writes it, in `tz` (UTC when unknown). */
export function instantIn(ms: number, tz: string | null | undefined): BmDateTime {
  const clock = tz && !isUtcZone(tz) ? clockFor(tz) : null;
  if (!clock || !tz) return { iso8601: formatDateTime(utcMsToWall(ms), 0), timezone: "UTC", precision: "DateTime" };
  const { wall, offset } = instantToWall(clock, ms);
  return { iso8601: formatDateTime(wall, offset), timezone: tz, precision: "DateTime" };
}

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));

/**
 * Returns the task as BlueMind stores it: an empty summary is "(New Todo)"; an empty uid gets a
 * new one; priority is clamped to 0–9 and percent to 0–100 (none is 0); a Completed task without
 * a completed date gets "now" (in the zone of its start, else of its due date, else UTC); any
 * other status clears the completed date; no organizer, or no attendees, keeps the old ones.
 */
export function sanitizeTodo(todo: VTodo, now: number, newUid: () => string, old?: VTodo | null): VTodo {
  const out: VTodo = { ...todo };
  if (!out.summary) out.summary = NEW_TODO_SUMMARY;
  if (!out.uid) out.uid = newUid();
  if (out.priority != null) out.priority = clamp(out.priority, 0, 9);
  if (out.status === "Completed" && !out.completed) {
    out.completed = instantIn(now, out.dtstart?.timezone ?? out.due?.timezone ?? "UTC");
  }
  if (out.status !== "Completed") out.completed = null;
  out.percent = out.percent == null || out.percent < 0 ? 0 : Math.min(out.percent, 100);
  if (!out.organizer && old?.organizer) out.organizer = old.organizer;
  if ((!out.attendees || out.attendees.length === 0) && old?.attendees && old.attendees.length > 0) out.attendees = old.attendees;
  return out;
}
