/**
 * BlueMind VEventSeries <-> iCalendar, for the add-on (to and from Thunderbird), the reference
 * server (ICS export/import) and tests. Pure functions over ical.js; no Node or browser APIs
 * beyond Intl, console.warn and crypto.randomUUID (when present), so the same code runs bundled in
 * the background page and under Node.
 */
export { seriesToIcs, seriesListToIcs, type IcsOptions } from "./series-write";
export { icsToSeries, icsToSeriesList, readIcsCalendar, type CalendarRead, type ReadOptions, type SkippedEvent } from "./series-read";
export { ConvertError } from "./errors";
export { isMaskedPrivate } from "./masked";
export { todoToIcs, todoListToIcs } from "./vtodo-write";
export { icsToTodo } from "./vtodo-read";
export { sanitizeTodo } from "./vtodo-sanitize";
