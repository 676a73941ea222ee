/**
 * Time-zone arithmetic for the converter: which zones are UTC, what offset an IANA zone has
 * at an instant (from Intl, i.e. the real IANA history, which is what BlueMind's Java uses),
 * and wall clock <-> instant with DST gaps and overlaps resolved the way RFC 5545 and Java do.
 */
import { type Wall, utcMsToWall, wallAsUtcMs } from "./iso";

/** Names that mean UTC; all map to BlueMind's "UTC" and iCalendar's "Z" form. */
const UTC_NAMES = new Set(
  [
    "UTC",
    "Etc/UTC",
    "GMT",
    "Etc/GMT",
    "Z",
    "Zulu",
    "Etc/Zulu",
    "UCT",
    "Etc/UCT",
    "Universal",
    "Etc/Universal",
    "Greenwich",
    "Etc/Greenwich",
    "GMT0",
    "Etc/GMT0",
    "GMT+0",
    "GMT-0",
    "Etc/GMT+0",
    "Etc/GMT-0",
  ].map((s) => s.toUpperCase()),
);

export function isUtcZone(tz: string | null | undefined): boolean {
  return tz != null && UTC_NAMES.has(tz.toUpperCase());
}

/** Something that knows a zone's offset (seconds east of UTC) at any instant. */
export interface ZoneClock {
  offsetAt(ms: number): number;
}

const DAY = 86_400_000;

const intlClocks = new Map<string, ZoneClock | null>();

/** A clock backed by Intl, or null when the platform does not know the zone. */
export function intlClock(tz: string): ZoneClock | null {
  let c = intlClocks.get(tz);
  if (c !== undefined) return c;
  c = makeIntlClock(tz);
  intlClocks.set(tz, c);
  return c;
}

function makeIntlClock(tz: string): ZoneClock | null {
  if (!tz.includes("/") && !isUtcZone(tz)) {
    // Intl accepts legacy abbreviations like "EST" or "CET"; BlueMind wants real zone ids.
    return null;
  }
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" });
  } catch {
    return null;
  }
  const re = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?/;
  let parts: Intl.DateTimeFormat | null = null;
  const exact = (ms: number): number => {
    const m = re.exec(f.format(ms));
    if (m) {
      if (!m[1]) return 0;
      const s = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
      return m[1] === "-" ? -s : s;
    }
    // Platforms without "longOffset": difference between the zone's wall clock and UTC.
    parts ??= new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    const p = parts.formatToParts(ms);
    const get = (t: string): number => Number(p.find((x) => x.type === t)?.value ?? 0);
    const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
    return Math.round((wall - (ms - (((ms % 1000) + 1000) % 1000))) / 1000);
  };
  // Offsets change a few times a year: remember the offset at each UTC midnight asked about, and
  // ask Intl for the exact instant only on days whose two ends differ (about 2% of calls).
  const days = new Map<number, number>();
  const atDay = (d: number): number => {
    let o = days.get(d);
    if (o === undefined) {
      if (days.size > 100_000) days.clear();
      o = exact(d * DAY);
      days.set(d, o);
    }
    return o;
  };
  return {
    offsetAt(ms: number): number {
      const d = Math.floor(ms / DAY);
      const a = atDay(d);
      return a === atDay(d + 1) ? a : exact(ms);
    },
  };
}

/**
 * The instant a wall-clock time denotes in a zone. In an overlap (clocks set back) the
 * earlier instant wins (RFC 5545 §3.3.5); in a gap (clocks set forward) the time is pushed
 * forward by the gap's length, as java.time does.
 */
export function wallToInstant(clock: ZoneClock, wall: Wall): number {
  const t0 = wallAsUtcMs(wall);
  const before = clock.offsetAt(t0 - DAY);
  const after = clock.offsetAt(t0 + DAY);
  const a = t0 - before * 1000;
  if (before === after) {
    // Usual case; still confirm, in case a change happened within the day.
    const o = clock.offsetAt(a);
    return o === before ? a : t0 - o * 1000;
  }
  const b = t0 - after * 1000;
  const aOk = clock.offsetAt(a) === before;
  const bOk = clock.offsetAt(b) === after;
  if (aOk && bOk) return Math.min(a, b);
  if (aOk) return a;
  if (bOk) return b;
  return a; // gap: read with the offset in force before it, which lands after it
}

export function instantToWall(clock: ZoneClock, ms: number): { wall: Wall; offset: number } {
  const offset = clock.offsetAt(ms);
  return { wall: utcMsToWall(ms + offset * 1000), offset };
}

/**
 * Thunderbird once prefixed zone ids ("/mozilla.org/20070129_1/Europe/Paris"); other producers
 * quote or pad them. Returns the id to look up.
 */
export function cleanTzid(tzid: string): string {
  let t = tzid.trim().replace(/^"|"$/g, "");
  const m = /^\/[^/]+\/[^/]+\/(.+)$/.exec(t);
  if (m && m[1]) t = m[1];
  return t;
}

const WEEK = 7 * DAY;

/** One change of a zone's offset: the instant, and the offsets (seconds east of UTC) before and after. */
export interface Change {
  at: number;
  from: number;
  to: number;
}

/** Offset changes of a clock between two instants, found weekly and pinned to the second. */
export function changesOf(clock: ZoneClock, from: number, to: number): Change[] {
  const out: Change[] = [];
  let t = from;
  let off = clock.offsetAt(t);
  while (t < to) {
    const next = Math.min(t + WEEK, to);
    const o = clock.offsetAt(next);
    if (o !== off) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (clock.offsetAt(mid) === off) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, from: off, to: clock.offsetAt(hi) });
      off = clock.offsetAt(hi);
      t = hi;
      continue;
    }
    t = next;
  }
  return out;
}
