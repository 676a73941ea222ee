/**
 * Finds the IANA zone a VTIMEZONE describes when its TZID is no name we know (Outlook's
 * "Customized Time Zone", "tzone://Microsoft/Custom", home-made ids). BlueMind's import guesses
 * from the UTC offsets alone (ObservanceMapper); we compare the whole rule: the offset in force every
 * week and the exact instant of every change over the event's year and the years either side, so a
 * zone with the same offsets but other DST dates (Europe vs North America) never matches.
 */
import { vtimezoneClock } from "./vtimezone";
import { ZONE_INDEX, ZONE_RULES } from "./zone-data";
import { changesOf, intlClock, type ZoneClock } from "./zones";

const WEEK = 7 * 86_400_000;

let candidateList: string[] | null = null;

/** Every zone we could store: the VTIMEZONE table first (writable everywhere), then the rest Intl lists. */
function candidates(): string[] {
  if (candidateList) return candidateList;
  const seen = new Set<string>(Object.keys(ZONE_INDEX));
  const intl = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  if (intl) for (const z of intl("timeZone")) seen.add(z);
  candidateList = [...seen];
  return candidateList;
}

function parseOffset(s: string): number {
  const sign = s.startsWith("-") ? -1 : 1;
  return sign * (Number(s.slice(1, 3)) * 3600 + Number(s.slice(3, 5)) * 60 + Number(s.slice(5, 7) || 0));
}

/**
 * Could a table zone have these offsets, by its current rule? Saves asking Intl about 400 zones; a
 * zone whose offsets changed since is found by the second, complete pass.
 */
function mayHave(tz: string, offsets: number[]): boolean {
  const i = ZONE_INDEX[tz];
  const rule = i === undefined ? undefined : ZONE_RULES[i];
  if (!rule) return true;
  const f = rule.split(" ");
  const own = [parseOffset(f[0]!), ...(f[2] ? [parseOffset(f[2])] : [])];
  return offsets.every((o) => own.includes(o));
}

/** Big cities first when several zones share a rule (Europe/Paris over Europe/Andorra). */
const PREFERRED = [
  "Europe/Paris",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Brussels",
  "Europe/Lisbon",
  "Europe/Athens",
  "Europe/Helsinki",
  "Europe/Moscow",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
  "America/Halifax",
  "America/St_Johns",
  "America/Sao_Paulo",
  "America/Mexico_City",
  "America/Bogota",
  "America/Santiago",
  "Africa/Johannesburg",
  "Africa/Lagos",
  "Africa/Nairobi",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Asia/Singapore",
  "Australia/Sydney",
  "Australia/Brisbane",
  "Australia/Adelaide",
  "Australia/Perth",
  "Pacific/Auckland",
];

function words(s: string): Set<string> {
  const stop = new Set(["standard", "time", "daylight", "zone", "customized", "custom", "utc", "gmt", "and", "the"]);
  return new Set(
    s
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 2 && !stop.has(w)),
  );
}

function rank(tz: string, hint: Set<string>, fixed: boolean): number[] {
  const hits = [...words(tz.replace(/_/g, " "))].filter((w) => hint.has(w)).length;
  const pref = PREFERRED.indexOf(tz);
  const etc = tz.startsWith("Etc/") ? 1 : 0;
  return [-hits, fixed ? -etc : etc, pref < 0 ? PREFERRED.length : pref, tz in ZONE_INDEX ? 0 : 1];
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/**
 * The IANA zone whose offsets agree with `vtz` at every weekly probe and at each of its changes,
 * from the start of `year - 1` to the end of `year + 1`; null when none does. `hint` (the TZID)
 * breaks ties by the words it shares with a zone id, as BlueMind's ObservanceMapper does.
 */
export function matchVtimezone(vtz: Parameters<typeof vtimezoneClock>[0], year: number, hint: string): string | null {
  const clock = vtimezoneClock(vtz);
  const from = Date.UTC(year - 1, 0, 1);
  const to = Date.UTC(year + 2, 0, 1);
  const probes: number[] = [];
  for (let t = from; t <= to; t += WEEK) probes.push(t);
  const want = probes.map((t) => clock.offsetAt(t));
  const changes = changesOf(clock, from, to);
  const search = (cheap: boolean): string | null => {
    const hintWords = words(hint);
    let best: string | null = null;
    let bestRank: number[] = [];
    for (const tz of candidates()) {
      if (cheap && !mayHave(tz, [want[0]!, want[26]!])) continue;
      const c = intlClock(tz);
      if (!c) continue;
      if (c.offsetAt(probes[0]!) !== want[0] || c.offsetAt(probes[26]!) !== want[26]) continue;
      if (!changes.every((ch) => c.offsetAt(ch.at - 1000) === ch.from && c.offsetAt(ch.at) === ch.to)) continue;
      if (!probes.every((t, i) => c.offsetAt(t) === want[i])) continue;
      const r = rank(tz, hintWords, changes.length === 0);
      if (best === null || better(r, bestRank)) {
        best = tz;
        bestRank = r;
      }
    }
    return best;
  };
  return search(true) ?? search(false);
}

/** Do two clocks use the same set of UTC offsets over those three years? (A name's sanity check.) */
export function sameOffsets(a: ZoneClock, b: ZoneClock, year: number): boolean {
  const sa = new Set<number>();
  const sb = new Set<number>();
  for (let m = 0; m < 36; m++) {
    const t = Date.UTC(year - 1, m, 15);
    sa.add(a.offsetAt(t));
    sb.add(b.offsetAt(t));
  }
  return sa.size === sb.size && [...sa].every((o) => sb.has(o));
}
