/**
 * BmDateTime.iso8601 strings <-> wall-clock fields. This is BlueMind's JSON format, not
 * iCalendar, so it is read here by hand; output follows Java's ISO_OFFSET_DATE_TIME as
 * BlueMind prints it ("2016-03-09T11:30:00.000+01:00", "…Z" for a zero offset).
 */

/** A wall-clock reading (month 1-12); for dates the time fields are 0. */
export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface ParsedIso {
  wall: Wall;
  isDate: boolean;
  /** Offset written in the string, in seconds east of UTC; null when none. */
  offset: number | null;
}

export const ISO_RE =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?(?::?\d{2})?)?)?$/;

export function parseIso(iso: string): ParsedIso {
  const m = ISO_RE.exec(iso.trim());
  if (!m) throw new Error(`convert: not an ISO 8601 date/time: ${JSON.stringify(iso)}`);
  const wall: Wall = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  const isDate = m[4] === undefined;
  const off = m[7];
  let offset: number | null = null;
  if (off === "Z" || off === "z") offset = 0;
  else if (off) {
    const digits = off.slice(1).replace(/:/g, "");
    const s = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0);
    offset = off.startsWith("-") ? -s : s;
  }
  return { wall, isDate, offset };
}

const p2 = (n: number): string => (n < 10 ? "0" : "") + n;
const p4 = (n: number): string => String(n).padStart(4, "0");

export function formatDate(w: Wall): string {
  return `${p4(w.year)}-${p2(w.month)}-${p2(w.day)}`;
}

/** Canonical BlueMind form; `offset` null gives a floating value (no suffix). */
export function formatDateTime(w: Wall, offset: number | null): string {
  const base = `${formatDate(w)}T${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}.000`;
  if (offset === null) return base;
  if (offset === 0) return `${base}Z`;
  const a = Math.abs(offset);
  const sec = a % 60;
  return `${base}${offset < 0 ? "-" : "+"}${p2(Math.floor(a / 3600))}:${p2(Math.floor((a % 3600) / 60))}${sec ? ":" + p2(sec) : ""}`;
}

/** The wall clock read as if it were UTC, in epoch milliseconds. */
export function wallAsUtcMs(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

export function utcMsToWall(ms: number): Wall {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
