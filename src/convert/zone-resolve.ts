/**
 * Time-zone names as producers write them -> the IANA zone to keep. Outlook/Exchange write Windows
 * names ("W. Europe Standard Time", "(UTC+01:00) Amsterdam, Berlin, …"), Lotus/Domino short ones
 * ("Eastern", "Pacific"), old software legacy IANA links ("US/Pacific", "GB") and POSIX-style zones
 * ("EST5EDT", "CET"). BlueMind translates the Windows and Lotus names with its own table
 * (zone-names.ts) and keeps what Java accepts; we do the same, and also map links to their targets so
 * every zone we store is one Thunderbird, BlueMind's clients and our VTIMEZONE table all know.
 */
import { hasVtimezone } from "./vtimezone";
import { BM_CORRECTIONS, BM_UNMATCHED_NAMES, BM_ZONE_NAMES, EXTRA_WINDOWS_NAMES, LEGACY_ZONE_LINKS } from "./zone-names";
import { cleanTzid, intlClock, isUtcZone } from "./zones";

/**
 * How a name was resolved: "utc"; "iana", an IANA id used as is; "alias", a legacy or differently
 * spelt IANA id mapped to its target; "windows", a Windows/Lotus table name; "offset", a name such as
 * "UTC+01:00" read as a fixed offset.
 */
export type ResolvedHow = "utc" | "iana" | "alias" | "windows" | "offset";

export interface ResolvedZone {
  tzid: string;
  how: ResolvedHow;
}

/** Windows names are looked up upper-cased, without "(UTC+01:00) " and with "&" spelt "AND". */
function windowsKey(name: string): string {
  return name
    .replace(/^\(\s*(?:UTC|GMT)\s*(?:[+\-\u2212]\s*\d{1,2}(?::?\d{2})?)?\s*\)\s*/i, "")
    .replace(/&/g, " AND ")
    .replace(/\s+/g, " ")
    .trim()
    .toUpperCase();
}

let windowsTable: Map<string, string> | null = null;

function windowsNames(): Map<string, string> {
  if (windowsTable) return windowsTable;
  const t = new Map<string, string>();
  // Later tables only fill gaps; BlueMind's own entries win except where it is known to be wrong.
  for (const table of [BM_CORRECTIONS, BM_ZONE_NAMES, BM_UNMATCHED_NAMES, EXTRA_WINDOWS_NAMES]) {
    for (const [k, v] of Object.entries(table)) {
      const key = windowsKey(k);
      if (!t.has(key)) t.set(key, v);
    }
  }
  windowsTable = t;
  return t;
}

function windowsName(name: string): string | null {
  const key = windowsKey(name);
  if (!key) return null;
  const t = windowsNames();
  // Lotus and some Outlook versions drop " Standard Time" ("Romance", "W. Europe").
  return t.get(key) ?? t.get(`${key} STANDARD TIME`) ?? null;
}

/** "UTC+01:00", "GMT-5": a whole-hour fixed offset, as Etc/GMT∓N (IANA's sign is inverted). */
function offsetName(name: string): string | null {
  const m = /^(?:UTC|GMT)\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(name);
  if (!m) return null;
  const h = Number(m[2]);
  if (Number(m[3] ?? 0) !== 0 || h > 14) return null;
  if (h === 0) return "UTC";
  return `Etc/GMT${m[1] === "+" ? "-" : "+"}${h}`;
}

/** An id Intl accepts, in its canonical spelling (e.g. "europe/paris" -> "Europe/Paris"). */
function intlCanonical(name: string): string | null {
  if (!name.includes("/")) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A zone id this converter can compute with: in the VTIMEZONE table, or known to Intl. */
export function isUsableZone(tzid: string): boolean {
  return hasVtimezone(tzid) || intlClock(tzid) !== null;
}

/** Follows links, and settles on the spelling our table has when Intl knows the zone by another. */
function settle(tzid: string, how: ResolvedHow): ResolvedZone | null {
  if (isUtcZone(tzid)) return { tzid: "UTC", how: "utc" };
  const link = LEGACY_ZONE_LINKS[tzid];
  if (link) return settle(link, how === "iana" ? "alias" : how);
  if (hasVtimezone(tzid)) return { tzid, how };
  if (intlClock(tzid) === null) return null;
  const canonical = intlCanonical(tzid);
  if (canonical && canonical !== tzid && hasVtimezone(canonical)) return { tzid: canonical, how: how === "iana" ? "alias" : how };
  return { tzid, how };
}

const cache = new Map<string, ResolvedZone | null>();

/** The IANA zone (or "UTC") a TZID or X-WR-TIMEZONE value means, or null when the name is unknown. */
export function resolveZoneName(raw: string): ResolvedZone | null {
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const name = cleanTzid(raw);
  let r: ResolvedZone | null = null;
  if (name) {
    r = settle(name, "iana");
    if (!r) {
      const canonical = intlCanonical(name);
      if (canonical) r = settle(canonical, "alias");
    }
    if (!r) {
      const w = windowsName(name);
      if (w) r = settle(w, "windows");
    }
    if (!r) {
      const o = offsetName(name);
      if (o) r = settle(o, "offset");
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(raw, r);
  return r;
}
