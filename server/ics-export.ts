/**
 * IVEvent export (GET /api/calendars/vevent/...): the whole calendar as one VCALENDAR, each
 * series as its main VEVENT plus RECURRENCE-ID overrides, with VTIMEZONEs. The iCalendar
 * writing itself is the add-on's converter (src/convert), so there is a single ICS writer.
 */
import type { ItemValue, VEventSeries } from "../src/bluemind/types";
import { seriesListToIcs } from "../src/convert";

/** Items are expected already privacy-filtered for the caller. */
export function exportCalendarIcs(items: ItemValue<VEventSeries>[]): string {
  return seriesListToIcs(items.map((i) => i.value));
}
