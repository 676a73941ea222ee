/**
 * Derives the compact VTIMEZONE rule table in src/convert/zone-data.ts from the platform's
 * IANA data (Intl), so the table is reproducible rather than hand-typed. Also used by
 * zones.test.ts to check the shipped table still agrees with Intl.
 * Regenerate: `npx tsx test/unit/convert/tools/derive-zones.ts > src/convert/zone-data.ts`
 */

const DAY_MS = 86_400_000;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;

/** Modern IANA names that ICU reports under an older canonical id (Thunderbird uses these). */
export const MODERN_ALIASES: Record<string, string> = {
  "Asia/Kolkata": "Asia/Calcutta",
  "Asia/Kathmandu": "Asia/Katmandu",
  "Asia/Ho_Chi_Minh": "Asia/Saigon",
  "Asia/Yangon": "Asia/Rangoon",
  "Europe/Kyiv": "Europe/Kiev",
  "America/Nuuk": "America/Godthab",
  "Atlantic/Faroe": "Atlantic/Faeroe",
  "Pacific/Chuuk": "Pacific/Truk",
  "Pacific/Pohnpei": "Pacific/Ponape",
  "Pacific/Kanton": "Pacific/Enderbury",
  "America/Argentina/Buenos_Aires": "America/Buenos_Aires",
  "America/Argentina/Cordoba": "America/Cordoba",
  "America/Argentina/Catamarca": "America/Catamarca",
  "America/Argentina/Jujuy": "America/Jujuy",
  "America/Argentina/Mendoza": "America/Mendoza",
  "America/Indiana/Indianapolis": "America/Indianapolis",
  "America/Kentucky/Louisville": "America/Louisville",
  "America/Atikokan": "America/Coral_Harbour",
  "Africa/Asmara": "Africa/Asmera",
  "Asia/Dhaka": "Asia/Dacca",
  "Asia/Thimphu": "Asia/Thimbu",
  "Asia/Ulaanbaatar": "Asia/Ulan_Bator",
  "Asia/Makassar": "Asia/Ujung_Pandang",
};

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset in seconds of `tz` at `ms`, from Intl's "GMT+01:00" long offset. */
export function intlOffset(tz: string, ms: number): number {
  let f = offsetFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" });
    offsetFormatters.set(tz, f);
  }
  const m = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(f.format(ms));
  if (!m) throw new Error(`no offset for ${tz}`);
  if (!m[1]) return 0;
  const s = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === "-" ? -s : s;
}

function shortName(tz: string, ms: number): string {
  for (const locale of ["en-US", "en-GB"]) {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: "short" }).formatToParts(ms);
    const n = parts.find((p) => p.type === "timeZoneName")?.value ?? "";
    if (/^[A-Z]{2,5}$/.test(n)) return n;
  }
  return "-";
}

export interface Transition {
  at: number;
  from: number;
  to: number;
  month: number;
  dom: number;
  weekday: number;
  /** seconds after local midnight, in the offset before the transition */
  time: number;
  year: number;
}

export function transitionsOf(tz: string, year: number): Transition[] {
  const out: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let t = Date.UTC(year, 0, 1);
  let off = intlOffset(tz, t);
  for (; t < end; t += DAY_MS) {
    const next = intlOffset(tz, t + DAY_MS);
    if (next === off) continue;
    let lo = t; // offset == off
    let hi = t + DAY_MS; // offset == next
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (intlOffset(tz, mid) === off) lo = mid;
      else hi = mid;
    }
    const local = new Date(hi + off * 1000);
    out.push({
      at: hi,
      from: off,
      to: next,
      month: local.getUTCMonth() + 1,
      dom: local.getUTCDate(),
      weekday: local.getUTCDay(),
      time: local.getUTCHours() * 3600 + local.getUTCMinutes() * 60 + local.getUTCSeconds(),
      year,
    });
    off = next;
  }
  return out;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fmtOffset(s: number): string {
  const sign = s < 0 ? "-" : "+";
  const a = Math.abs(s);
  const hh = String(Math.floor(a / 3600)).padStart(2, "0");
  const mm = String(Math.floor((a % 3600) / 60)).padStart(2, "0");
  const ss = a % 60;
  return `${sign}${hh}${mm}${ss ? String(ss).padStart(2, "0") : ""}`;
}

function fmtTime(s: number): string {
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = s % 60;
  return `${hh}${mm}${ss ? String(ss).padStart(2, "0") : ""}`;
}

/** One yearly rule ("month/daySpec weekday/time") matching every transition given, or null. */
function inferRule(ts: Transition[]): string | null {
  const first = ts[0];
  if (!first) return null;
  if (ts.some((t) => t.month !== first.month || t.weekday !== first.weekday || t.time !== first.time)) return null;
  if (ts.some((t) => t.from !== first.from || t.to !== first.to)) return null;
  const wd = WEEKDAYS[first.weekday]!;
  let day: string | null = null;
  if (ts.every((t) => t.dom + 7 > daysInMonth(t.year, t.month))) day = "L";
  else {
    const min = Math.min(...ts.map((t) => t.dom));
    const max = Math.max(...ts.map((t) => t.dom));
    for (const s of [1, 8, 15, 22]) if (min >= s && max <= s + 6) day = String(s);
    if (!day && max - 6 <= min) day = String(max - 6);
  }
  return day ? `${first.month}/${day}${wd}/${fmtTime(first.time)}` : null;
}

/** The compact rule string for a zone, or null when its current rules are not one yearly pair. */
export function deriveRule(tz: string, fromYear: number, toYear: number): string | null {
  const all: Transition[] = [];
  for (let y = fromYear; y <= toYear; y++) all.push(...transitionsOf(tz, y));
  const probe = Date.UTC(fromYear, 0, 15);
  if (all.length === 0) {
    const std = intlOffset(tz, probe);
    if (intlOffset(tz, Date.UTC(toYear, 6, 15)) !== std) return null;
    return `${fmtOffset(std)} ${shortName(tz, probe)}`;
  }
  const up = all.filter((t) => t.to > t.from);
  const down = all.filter((t) => t.to < t.from);
  const years = toYear - fromYear + 1;
  if (up.length !== years || down.length !== years) return null;
  const start = inferRule(up);
  const end = inferRule(down);
  const u = up[0]!;
  if (!start || !end) return null;
  const std = u.from;
  const dst = u.to;
  const stdName = shortName(tz, u.at - 40 * DAY_MS);
  const dstName = shortName(tz, u.at + 40 * DAY_MS);
  return `${fmtOffset(std)} ${stdName} ${fmtOffset(dst)} ${dstName} ${start} ${end}`;
}

export interface DerivedTable {
  rules: string[];
  zones: Record<string, number>;
  skipped: string[];
}

/** The fixed-offset zones Etc/GMT-14 … Etc/GMT+12 (Intl does not list them; sign as in IANA: +N is west). */
export function etcZones(): string[] {
  const out: string[] = [];
  for (let h = 1; h <= 14; h++) out.push(`Etc/GMT-${h}`);
  for (let h = 1; h <= 12; h++) out.push(`Etc/GMT+${h}`);
  return out;
}

export function deriveTable(fromYear: number, toYear: number): DerivedTable {
  const names = new Set<string>(Intl.supportedValuesOf("timeZone"));
  for (const [modern, old] of Object.entries(MODERN_ALIASES)) if (names.has(old)) names.add(modern);
  for (const etc of etcZones()) names.add(etc);
  const rules: string[] = [];
  const zones: Record<string, number> = {};
  const skipped: string[] = [];
  for (const tz of [...names].sort()) {
    if (tz === "UTC" || (tz.startsWith("Etc/") && !/^Etc\/GMT[+-]\d+$/.test(tz))) continue;
    const rule = deriveRule(tz, fromYear, toYear);
    if (!rule) {
      skipped.push(tz);
      continue;
    }
    let i = rules.indexOf(rule);
    if (i < 0) i = rules.push(rule) - 1;
    zones[tz] = i;
  }
  return { rules, zones, skipped };
}

function render(t: DerivedTable, fromYear: number, toYear: number): string {
  const lines: string[] = [];
  lines.push("/**");
  lines.push(" * Embedded time-zone rules, one current yearly rule per zone (as Thunderbird's own zone");
  lines.push(" * table does), so VTIMEZONEs can be written without a tz database at run time.");
  lines.push(
    " * GENERATED by test/unit/convert/tools/derive-zones.ts from Intl (IANA " +
      (process.versions.tz ?? "?") +
      `, rules of ${fromYear}-${toYear}); do not edit.`,
  );
  lines.push(' * Rule: "STD NAME" or "STD NAME DST NAME START END"; START/END = "month/<day>WD/HHMM" in local time before');
  lines.push(' * the change, <day> = "L" (last) or the first day of the month it may fall on (8SU = 2nd Sunday).');
  lines.push(` * Zones left out (rules not one yearly pair; they fall back to UTC): ${t.skipped.join(", ") || "none"}.`);
  lines.push(" */");
  lines.push("");
  lines.push("export const ZONE_RULES: readonly string[] = [");
  for (const r of t.rules) lines.push(`  ${JSON.stringify(r)},`);
  lines.push("];");
  lines.push("");
  lines.push("/** IANA zone id -> index in ZONE_RULES. */");
  lines.push("export const ZONE_INDEX: Readonly<Record<string, number>> = {");
  for (const [z, i] of Object.entries(t.zones)) lines.push(`  ${JSON.stringify(z)}: ${i},`);
  lines.push("};");
  lines.push("");
  return lines.join("\n");
}

export const DATA_FROM_YEAR = 2025;
export const DATA_TO_YEAR = 2044;

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(render(deriveTable(DATA_FROM_YEAR, DATA_TO_YEAR), DATA_FROM_YEAR, DATA_TO_YEAR));
}
