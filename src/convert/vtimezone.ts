/**
 * VTIMEZONE components for the zones in the embedded table (zone-data.ts), and for the other zones
 * Intl knows (vtimezone-intl.ts). iCalendar needs a VTIMEZONE for every TZID it uses; Thunderbird
 * substitutes its own definitions by TZID, other readers (and ical.js) use these. One current yearly
 * rule per table zone, starting 1970. Also the clock of any VTIMEZONE, ours or a producer's.
 */
import ICAL from "ical.js";
import { intlVtimezone } from "./vtimezone-intl";
import { ZONE_INDEX, ZONE_RULES } from "./zone-data";
import type { ZoneClock } from "./zones";

const WEEKDAY_NUM: Record<string, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };

/** True when the table can write a VTIMEZONE for this exact TZID. */
export function hasVtimezone(tzid: string): boolean {
  return Object.prototype.hasOwnProperty.call(ZONE_INDEX, tzid);
}

const jcalCache = new Map<string, unknown[]>();

/** A fresh VTIMEZONE component for a zone of the table or of Intl, or null for an unknown zone. */
export function vtimezoneFor(tzid: string): ICAL.Component | null {
  let jcal = jcalCache.get(tzid);
  if (!jcal) {
    const comp = buildVtimezone(tzid) ?? intlVtimezone(tzid);
    if (!comp) return null;
    jcal = comp.toJSON() as unknown[];
    jcalCache.set(tzid, jcal);
  }
  // The cached jCal is never mutated; each caller gets its own wrapper.
  return new ICAL.Component(jcal);
}

function parseOffset(s: string): number {
  const sign = s.startsWith("-") ? -1 : 1;
  const d = s.slice(1);
  return sign * (Number(d.slice(0, 2)) * 3600 + Number(d.slice(2, 4)) * 60 + Number(d.slice(4, 6) || 0));
}

interface YearlyRule {
  month: number;
  /** "L" = last such weekday of the month, else the first day of the month it may fall on */
  from: number | "L";
  weekday: string;
  hour: number;
  minute: number;
  second: number;
}

function parseRule(s: string): YearlyRule {
  const m = /^(\d{1,2})\/(L|\d{1,2})([A-Z]{2})\/(\d{2})(\d{2})(\d{2})?$/.exec(s);
  if (!m) throw new Error(`convert: bad zone rule ${s}`);
  return {
    month: Number(m[1]),
    from: m[2] === "L" ? "L" : Number(m[2]),
    weekday: m[3]!,
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
  };
}

/** Day of month on which the rule falls in a given year. */
function ruleDay(r: YearlyRule, year: number): number {
  const wd = WEEKDAY_NUM[r.weekday]!;
  if (r.from === "L") {
    const last = new Date(Date.UTC(year, r.month, 0));
    return last.getUTCDate() - ((last.getUTCDay() - wd + 7) % 7);
  }
  const first = new Date(Date.UTC(year, r.month - 1, r.from));
  return r.from + ((wd - first.getUTCDay() + 7) % 7);
}

function ruleRecur(r: YearlyRule): ICAL.Recur {
  const parts: Record<string, (string | number)[]> = { BYMONTH: [r.month] };
  if (r.from === "L") parts.BYDAY = [`-1${r.weekday}`];
  else if ((r.from - 1) % 7 === 0) parts.BYDAY = [`${(r.from - 1) / 7 + 1}${r.weekday}`];
  else {
    parts.BYDAY = [r.weekday];
    parts.BYMONTHDAY = [0, 1, 2, 3, 4, 5, 6].map((i) => (r.from as number) + i);
  }
  return ICAL.Recur.fromData({ freq: "YEARLY", parts } as unknown as Parameters<typeof ICAL.Recur.fromData>[0]);
}

function observance(kind: "standard" | "daylight", from: number, to: number, name: string, rule: YearlyRule | null): ICAL.Component {
  const c = new ICAL.Component(kind);
  c.addPropertyWithValue("tzoffsetfrom", ICAL.UtcOffset.fromSeconds(from));
  c.addPropertyWithValue("tzoffsetto", ICAL.UtcOffset.fromSeconds(to));
  if (name !== "-") c.addPropertyWithValue("tzname", name);
  const start = rule
    ? { year: 1970, month: rule.month, day: ruleDay(rule, 1970), hour: rule.hour, minute: rule.minute, second: rule.second }
    : { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  c.addPropertyWithValue("dtstart", ICAL.Time.fromData({ ...start, isDate: false }));
  if (rule) c.addPropertyWithValue("rrule", ruleRecur(rule));
  return c;
}

function buildVtimezone(tzid: string): ICAL.Component | null {
  if (!hasVtimezone(tzid)) return null;
  const spec = ZONE_RULES[ZONE_INDEX[tzid]!];
  if (!spec) return null;
  const f = spec.split(" ");
  const vtz = new ICAL.Component("vtimezone");
  vtz.addPropertyWithValue("tzid", tzid);
  const std = parseOffset(f[0]!);
  if (f.length < 6) {
    vtz.addSubcomponent(observance("standard", std, std, f[1] ?? "-", null));
    return vtz;
  }
  const dst = parseOffset(f[2]!);
  vtz.addSubcomponent(observance("daylight", std, dst, f[3]!, parseRule(f[4]!)));
  vtz.addSubcomponent(observance("standard", dst, std, f[1]!, parseRule(f[5]!)));
  return vtz;
}

interface TzChange {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  utcOffset: number;
  prevUtcOffset: number;
}

/**
 * A clock computed by ical.js from a VTIMEZONE (the table's, or one shipped in an ICS). ical.js
 * answers "offset of a local wall time"; for an instant we read its expanded list of changes,
 * which it keeps in UTC, and take the last one at or before the instant.
 */
const clocks = new WeakMap<ICAL.Component, ZoneClock>();

export function vtimezoneClock(vtz: ICAL.Component): ZoneClock {
  let clock = clocks.get(vtz);
  if (!clock) clocks.set(vtz, (clock = makeClock(vtz)));
  return clock;
}

function makeClock(vtz: ICAL.Component): ZoneClock {
  // ical.js types `changes` as any[]; its entries are TzChange.
  const zone: { changes: TzChange[]; _ensureCoverage(year: number): void } = new ICAL.Timezone(prepared(vtz));
  const msOf = (c: TzChange): number => Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  return {
    offsetAt(ms: number): number {
      zone._ensureCoverage(new Date(ms).getUTCFullYear() + 1);
      const changes = zone.changes;
      let lo = 0;
      let hi = changes.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (msOf(changes[mid]!) <= ms) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found >= 0) return changes[found]!.utcOffset;
      const first = changes[0];
      return first ? first.prevUtcOffset : 0;
    },
  };
}

const CLAMP_YEAR = 1970;

/** A yearly rule starting before 1970 and still running then (Outlook's "16010101T020000"). */
function startsEarly(o: ICAL.Component): boolean {
  const start = o.getFirstPropertyValue("dtstart");
  const rule = o.getFirstPropertyValue("rrule");
  if (!(start instanceof ICAL.Time) || !(rule instanceof ICAL.Recur) || start.year >= CLAMP_YEAR) return false;
  return !rule.count && (!rule.until || rule.until.year >= CLAMP_YEAR);
}

/**
 * The VTIMEZONE as ical.js can use it quickly and correctly:
 * - a rule starting in 1601 (Outlook) starts in 1970 instead, or ical.js expands 400 years of it;
 * - ical.js ignores an observance's DTSTART once it has an RDATE, and reads one value per RDATE
 *   line. Producers (Apple, Lotus) write onsets that way, so such observances are split into one
 *   observance per onset (DTSTART and every RDATE value).
 */
function prepared(vtz: ICAL.Component): ICAL.Component {
  const obs = vtz.getAllSubcomponents().filter((c) => c.name === "standard" || c.name === "daylight");
  if (!obs.some((o) => o.hasProperty("rdate") || startsEarly(o))) return vtz;
  const out = new ICAL.Component(JSON.parse(JSON.stringify(vtz.toJSON())) as unknown[]);
  for (const o of out.getAllSubcomponents().filter(startsEarly)) {
    const start = (o.getFirstPropertyValue("dtstart") as ICAL.Time).clone();
    start.year = CLAMP_YEAR;
    o.updatePropertyWithValue("dtstart", start);
  }
  for (const o of out.getAllSubcomponents().filter((c) => c.hasProperty("rdate"))) {
    const onsets: ICAL.Time[] = [];
    for (const p of o.getAllProperties("rdate")) {
      for (const v of p.getValues() as unknown[]) {
        const t = v instanceof ICAL.Period ? v.start : v;
        if (t instanceof ICAL.Time) onsets.push(t);
      }
    }
    o.removeAllProperties("rdate");
    if (o.hasProperty("rrule")) {
      // The RRULE observance keeps its own DTSTART; the RDATE onsets become observances of their own.
    } else {
      const start = o.getFirstPropertyValue("dtstart");
      if (start instanceof ICAL.Time) onsets.push(start);
      out.removeSubcomponent(o);
    }
    for (const t of onsets) {
      const one = new ICAL.Component(o.name);
      for (const name of ["tzoffsetfrom", "tzoffsetto", "tzname"]) {
        const p = o.getFirstProperty(name);
        if (p) one.addProperty(ICAL.Property.fromString(p.toICALString()));
      }
      const at = t.isDate ? ICAL.Time.fromData({ year: t.year, month: t.month, day: t.day, isDate: false }) : t;
      one.addPropertyWithValue("dtstart", at);
      out.addSubcomponent(one);
    }
  }
  return out;
}
