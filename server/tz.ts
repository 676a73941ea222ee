/**
 * Time-zone arithmetic on top of Intl, so the server needs no tz database of its own.
 * BlueMind dates are wall-clock values in an IANA zone; recurrence expansion, search
 * windows and ICS export all need "wall clock <-> instant" conversions that honour DST.
 */

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True for "UTC"-like names and null (callers treat null as "floating", not UTC). */
function isUtc(tz: string): boolean {
  return tz === "UTC" || tz === "Etc/UTC" || tz === "GMT" || tz === "Z";
}

/** Whether Intl knows this IANA zone. */
export function isValidTimeZone(tz: string): boolean {
  if (isUtc(tz)) return true;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `tz` from UTC at instant `utcMs`, in milliseconds (Paris in summer: +7200000). */
export function offsetAt(tz: string, utcMs: number): number {
  if (isUtc(tz)) return 0;
  const parts = formatter(tz).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const truncated = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return asUtc - truncated;
}

export function wallToPseudoUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

export function pseudoUtcToWall(ms: number): WallClock {
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

/**
 * Instant of a wall-clock time in `tz`. Ambiguous times (DST fall-back) resolve to the
 * first occurrence; non-existent ones (spring-forward gap) use the offset in force before
 * the gap, as RFC 5545 §3.3.5 prescribes.
 */
export function wallToUtc(tz: string, w: WallClock): number {
  const local = wallToPseudoUtc(w);
  if (isUtc(tz)) return local;
  const before = offsetAt(tz, local - 86_400_000);
  const after = offsetAt(tz, local + 86_400_000);
  if (before === after) {
    const guess = local - before;
    const actual = offsetAt(tz, guess);
    return actual === before ? guess : local - actual;
  }
  const candidates = [local - before, local - after].filter((c, i) => offsetAt(tz, c) === (i === 0 ? before : after));
  if (candidates.length === 0) return local - before; // gap
  return Math.min(...candidates);
}

/** Wall-clock reading of instant `utcMs` in `tz`. */
export function utcToWall(tz: string, utcMs: number): WallClock {
  return pseudoUtcToWall(utcMs + offsetAt(tz, utcMs));
}

export interface Transition {
  /** Instant of the change. */
  at: number;
  from: number;
  to: number;
}

/** DST/offset transitions of `tz` between two instants (day scan + minute bisection). */
export function transitionsBetween(tz: string, startMs: number, endMs: number): Transition[] {
  const out: Transition[] = [];
  if (isUtc(tz)) return out;
  const day = 86_400_000;
  let prevT = startMs;
  let prevO = offsetAt(tz, prevT);
  for (let t = startMs + day; t <= endMs + day; t += day) {
    const o = offsetAt(tz, t);
    if (o !== prevO) {
      let lo = prevT;
      let hi = t;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (offsetAt(tz, mid) === prevO) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi - (hi % 60_000), from: prevO, to: o });
      prevO = o;
    }
    prevT = t;
  }
  return out;
}
