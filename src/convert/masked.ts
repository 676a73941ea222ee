/**
 * Private events seen without ReadExtended come back from BlueMind "filtered": summary
 * "Private" and no description, location or attendees (CalendarService). Such an item is a
 * placeholder and must be shown read-only; writing it back would erase the real event.
 */
import type { VEvent, VEventSeries } from "../bluemind/types";

const empty = (s: string | null | undefined): boolean => s == null || s === "";

function masked(e: VEvent): boolean {
  return (
    (e.classification === "Private" || e.classification === "Confidential") &&
    e.summary === "Private" &&
    empty(e.description) &&
    empty(e.location) &&
    (e.attendees == null || e.attendees.length === 0)
  );
}

export function isMaskedPrivate(series: VEventSeries): boolean {
  const first = series.main ?? series.occurrences[0] ?? null;
  return first !== null && masked(first);
}
