/**
 * Real .ics files from many producers (test/fixtures/ics-corpus, sources in SOURCES.md) go through
 * the converter the way an import does (icsToSeriesList: one series per UID, then
 * seriesListToIcs), and what comes back is compared with an independent reading of the original
 * done with ical.js alone (support/ics-oracle.ts): every occurrence over two years (start instant,
 * duration) and every field of MAPPING.md.
 *
 * A difference is allowed only when it is listed: accepted-differences.json holds those BlueMind
 * itself has too (with the reason), known-bugs.json the converter's current bugs, to be fixed and
 * removed from the list. Anything else fails, and so does a listed difference that no longer occurs.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { icsToSeriesList, seriesListToIcs } from "../../src/convert/index";
import { type Occurrence, readIcs } from "./support/ics-oracle";

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/ics-corpus");

interface Listed {
  file: string;
  field: string;
  what: string;
  justification?: string;
}
interface Difference {
  file: string;
  field: string;
  what: string;
}

const accepted = JSON.parse(readFileSync(join(CORPUS, "accepted-differences.json"), "utf8")) as Listed[];
const knownBugs = JSON.parse(readFileSync(join(CORPUS, "known-bugs.json"), "utf8")) as Listed[];

function corpusFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? corpusFiles(join(dir, e.name)) : e.name.endsWith(".ics") ? [join(dir, e.name)] : []))
    .sort();
}

const FIELDS = [
  "duration",
  "uid",
  "summary",
  "description",
  "urls",
  "location",
  "status",
  "transp",
  "class",
  "organizer",
  "attendees",
  "alarms",
  "categories",
  "url",
  "priority",
  "sequence",
] as const;

const show = (v: unknown): string => JSON.stringify(v);

/** Differences between two readings, one per field (with the count and the first example). */
function compare(file: string, expected: Occurrence[], actual: Occurrence[], tolerateExtra: boolean): Difference[] {
  const out: Difference[] = [];
  const byStart = (list: Occurrence[]): Map<string, Occurrence[]> => {
    const m = new Map<string, Occurrence[]>();
    for (const o of list) m.set(o.start, [...(m.get(o.start) ?? []), o]);
    return m;
  };
  const exp = byStart(expected);
  const act = byStart(actual);
  const missing = [...exp].flatMap(([k, l]) => l.slice((act.get(k) ?? []).length).map((o) => `${k} ${show(o.summary)}`));
  const extra = [...act].flatMap(([k, l]) => l.slice((exp.get(k) ?? []).length).map((o) => `${k} ${show(o.summary)}`));
  if (missing.length || (extra.length && !tolerateExtra)) {
    const parts = [];
    if (missing.length) parts.push(`${missing.length} missing (e.g. ${missing[0]})`);
    if (extra.length && !tolerateExtra) parts.push(`${extra.length} extra (e.g. ${extra[0]})`);
    out.push({ file, field: "occurrences", what: `of ${expected.length}: ${parts.join(", ")}` });
  }
  const byField = new Map<string, { n: number; first: string }>();
  for (const [k, el] of exp) {
    const al = act.get(k) ?? [];
    const sortBy = (a: Occurrence, b: Occurrence): number => show(a.summary).localeCompare(show(b.summary));
    const [es, as] = [[...el].sort(sortBy), [...al].sort(sortBy)];
    for (let i = 0; i < Math.min(es.length, as.length); i++) {
      for (const f of FIELDS) {
        const [e, a] = [es[i]![f], as[i]![f]];
        if (f === "uid" && e === null) continue; // the original had no UID: any generated one will do
        if (show(e) === show(a)) continue;
        const d = byField.get(f) ?? { n: 0, first: `${k}: expected ${show(e)}, got ${show(a)}` };
        d.n++;
        byField.set(f, d);
      }
    }
  }
  for (const [f, d] of byField) out.push({ file, field: f, what: `${d.n} occurrence(s), e.g. ${d.first}` });
  return out;
}

function differencesOf(file: string, ics: string): Difference[] {
  const original = readIcs(ics);
  let back: string;
  try {
    back = seriesListToIcs(icsToSeriesList(ics), { dtstamp: new Date(Date.UTC(2025, 0, 1)) });
  } catch (e) {
    if (!original.occurrences.length) return []; // nothing readable to lose
    const what = `the converter threw "${(e as Error).message}"; the file holds ${original.occurrences.length} readable occurrence(s)`;
    return [{ file, field: "import", what }];
  }
  return compare(file, original.occurrences, readIcs(back).occurrences, original.unreadable > 0);
}

const listedIn = (list: Listed[], d: Difference): boolean => list.some((l) => l.file === d.file && l.field === d.field);

describe("ICS corpus: real files through the converter and back, against an independent ical.js reading", () => {
  const files = corpusFiles(CORPUS);
  const seen: Difference[] = [];
  const faithful = new Set<string>();

  after(() => {
    const producers = new Set(files.map((f) => relative(CORPUS, f).split("/")[0]).filter((p) => p !== "other"));
    const nAccepted = seen.filter((d) => listedIn(accepted, d)).length;
    const nBugs = seen.filter((d) => !listedIn(accepted, d) && listedIn(knownBugs, d)).length;
    const bugs = nBugs ? `, ${nBugs} known converter bugs (see known-bugs.json)` : "";
    console.log(
      `ics corpus: ${files.length} files from ${producers.size} producers, ${faithful.size} faithful, ` +
        `${nAccepted} differences accepted (see accepted-differences.json)${bugs}`,
    );
  });

  it("holds at least 40 files from at least 8 producers, each with a VEVENT", () => {
    assert.ok(files.length >= 40, `${files.length} files`);
    const producers = new Set(files.map((f) => relative(CORPUS, f).split("/")[0]).filter((p) => p !== "other"));
    assert.ok(producers.size >= 8, `${producers.size} producers`);
    for (const f of files) assert.match(readFileSync(f, "utf8"), /^BEGIN:VEVENT/m, f);
  });

  for (const path of files) {
    const file = relative(CORPUS, path);
    it(file, () => {
      const diffs = differencesOf(file, readFileSync(path, "utf8"));
      seen.push(...diffs);
      const unexplained = diffs.filter((d) => !listedIn(accepted, d) && !listedIn(knownBugs, d));
      if (diffs.every((d) => listedIn(accepted, d))) faithful.add(file);
      if (unexplained.length)
        assert.fail(`differences neither accepted nor known:\n${unexplained.map((d) => `  ${d.field}: ${d.what}`).join("\n")}`);
    });
  }

  it("every listed difference still occurs (a fixed bug leaves known-bugs.json)", () => {
    const stale = [...accepted, ...knownBugs].filter((l) => !seen.some((d) => d.file === l.file && d.field === l.field));
    assert.deepEqual(
      stale.map((l) => `${l.file} ${l.field}`),
      [],
    );
  });
});
