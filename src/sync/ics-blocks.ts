/**
 * Cuts one VCALENDAR into several small ones of at most `size` items each (an item: every
 * VEVENT or VTODO of one UID, its exceptions included), each with all of the calendar's
 * VTIMEZONEs and properties. Why: Thunderbird's iCalendar parser builds a whole block of events
 * at once on the main thread; parsing a 500-event block in one go stalls it for 300 ms or more,
 * parsing it on the worker costs more main-thread time still (docs/thunderbird-cached-calendar.md,
 * "Storage performance").
 * Parsed in pieces of about 50 items with a yield between, the stalls stay short. Bundled by
 * build.mjs for the experiment (global `BmIcsBlocks`) and used by the benchmark.
 *
 * A VTIMEZONE whose zone the parser resolves by itself (`resolvedByParser`: Thunderbird's own
 * zone, by TZID) can be left out of the pieces. Why: Thunderbird's ical.js gives each parsed
 * VCALENDAR its own copy of every VTIMEZONE in it and expands that copy's changes from 1970 the
 * first time a time is converted, then again in each piece; with the TZID alone it uses the one
 * shared zone of Thunderbird's timezone service, expanded once for the session, as the items
 * of a cached calendar (stored with their TZID only) always do.
 */

const COMPONENT = /^BEGIN:(VEVENT|VTODO|VTIMEZONE|VJOURNAL|VFREEBUSY)\r?$/gm;

/** The top-level components of a VCALENDAR, and the text before them (one pass, no copies). */
export function components(ics: string): { head: string; parts: { name: string; text: string }[] } | null {
  const begin = new RegExp(COMPONENT.source, "gm");
  let found = begin.exec(ics);
  if (!found) return null;
  const head = ics.slice(0, found.index);
  const parts: { name: string; text: string }[] = [];
  while (found) {
    const name = found[1] ?? "";
    const end = new RegExp(`^END:${name}\\r?$\\n?`, "gm");
    end.lastIndex = found.index;
    const closing = end.exec(ics);
    if (!closing) return null;
    const stop = closing.index + closing[0].length;
    parts.push({ name, text: ics.slice(found.index, stop) });
    begin.lastIndex = stop;
    found = begin.exec(ics);
  }
  return { head, parts };
}

export function uidOf(text: string): string {
  return /^UID:(.*?)\r?$/m.exec(text)?.[1] ?? "";
}

export function tzidOf(text: string): string {
  return /^TZID:(.*?)\r?$/m.exec(text)?.[1] ?? "";
}

/**
 * The calendar in pieces; the text itself when it holds no more than `size` items (and no
 * VTIMEZONE is left out) or cannot be cut.
 */
export function splitIcs(ics: string, size: number, resolvedByParser?: (tzid: string) => boolean): string[] {
  const parsed = components(ics);
  if (!parsed) return [ics];
  const newline = ics.includes("\r\n") ? "\r\n" : "\n";
  const allZones = parsed.parts.filter((p) => p.name === "VTIMEZONE").map((p) => p.text);
  const zones = resolvedByParser ? allZones.filter((zone) => !resolvedByParser(tzidOf(zone))) : allZones;
  const byUid = new Map<string, string[]>();
  parsed.parts.forEach((part, i) => {
    if (part.name === "VTIMEZONE") return;
    const uid = uidOf(part.text) || `#${i}`;
    const list = byUid.get(uid);
    if (list) list.push(part.text);
    else byUid.set(uid, [part.text]);
  });
  const items = [...byUid.values()];
  if (items.length <= size && zones.length === allZones.length) return [ics];
  const prefix = parsed.head + zones.join("");
  const pieces: string[] = [];
  for (let i = 0; i < items.length; i += size) {
    pieces.push(
      prefix +
        items
          .slice(i, i + size)
          .flat()
          .join("") +
        `END:VCALENDAR${newline}`,
    );
  }
  return pieces;
}
