/**
 * BmDateTime <-> instants and wall clocks. BlueMind stores `{iso8601, timezone, precision}`;
 * the iso8601 carries an offset for zoned values, none for floating ones and is date-only
 * for all-day values. Everything that compares or expands dates goes through here.
 */
import type { BmDateTime } from "../src/bluemind/types";
import { Fault } from "./fault";
import { isValidTimeZone, offsetAt, utcToWall, wallToUtc, type WallClock } from "./tz";

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export interface ParsedDate {
  wall: WallClock;
  /** Offset written in the iso8601 string, in ms, or null when none (floating / date). */
  offsetMs: number | null;
  isDate: boolean;
  timezone: string | null;
}

export function parseBmDate(d: BmDateTime): ParsedDate {
  const m = ISO_RE.exec(d?.iso8601 ?? "");
  if (!m) throw new Fault(`invalid date ${JSON.stringify(d?.iso8601)}`, "INVALID_PARAMETER");
  const wall: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  let offsetMs: number | null = null;
  const off = m[8];
  if (off === "Z") offsetMs = 0;
  else if (off) {
    const sign = off.startsWith("-") ? -1 : 1;
    const digits = off.slice(1).replace(":", "");
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  const isDate = d.precision === "Date" || m[4] === undefined;
  return { wall, offsetMs, isDate, timezone: d.timezone ?? null };
}

/** Throws like BlueMind's BmDateTimeValidator on malformed values; null passes. */
export function validateBmDate(d: BmDateTime | null | undefined): void {
  if (d == null) return;
  const p = parseBmDate(d);
  if (p.timezone && !isValidTimeZone(p.timezone)) {
    throw new Fault(`invalid timezone ${p.timezone}`, "INVALID_PARAMETER");
  }
}

/**
 * Instant of a BmDateTime. Floating and date-only values have no instant of their own;
 * they are read as wall clock in `floatingTz` (BlueMind compares them that way too).
 */
export function toInstant(d: BmDateTime, floatingTz = "UTC"): number {
  const p = parseBmDate(d);
  if (!p.isDate && p.offsetMs !== null) {
    return Date.UTC(p.wall.year, p.wall.month - 1, p.wall.day, p.wall.hour, p.wall.minute, p.wall.second) - p.offsetMs;
  }
  const tz = p.isDate ? floatingTz : (p.timezone ?? floatingTz);
  return wallToUtc(tz, p.isDate ? { ...p.wall, hour: 0, minute: 0, second: 0 } : p.wall);
}

/** The zone a value's wall clock lives in, or null for floating / all-day values. */
export function zoneOf(d: BmDateTime): string | null {
  const p = parseBmDate(d);
  return p.isDate ? null : p.timezone;
}

/** Wall clock of a value in its own zone (what RRULE expansion iterates on). */
export function wallOf(d: BmDateTime, floatingTz = "UTC"): WallClock {
  const p = parseBmDate(d);
  if (p.isDate) return { ...p.wall, hour: 0, minute: 0, second: 0 };
  if (p.offsetMs === null || !p.timezone) return p.wall;
  return utcToWall(p.timezone, toInstant(d, floatingTz));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

function offsetString(ms: number): string {
  if (ms === 0) return "Z";
  const sign = ms < 0 ? "-" : "+";
  const abs = Math.abs(ms) / 60_000;
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** BmDateTime for a wall-clock time in `tz` ("UTC" gives a Z suffix). */
export function bmDateTime(tz: string, w: WallClock): BmDateTime {
  const at = wallToUtc(tz, w);
  const local = utcToWall(tz, at);
  const iso =
    `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}.000` +
    offsetString(offsetAt(tz, at));
  return { iso8601: iso, timezone: tz, precision: "DateTime" };
}

/** All-day BmDateTime (BlueMind writes these with a null timezone). */
export function bmDate(year: number, month: number, day: number): BmDateTime {
  return { iso8601: `${pad(year, 4)}-${pad(month)}-${pad(day)}`, timezone: null, precision: "Date" };
}

export function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
