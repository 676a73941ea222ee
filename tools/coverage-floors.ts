/**
 * Prints the unit tests' line coverage of src/ per folder (from c8's json-summary, see
 * .c8rc.json) and fails when a folder is below its floor: the sync planners and the codecs are
 * pure and must stay nearly fully tested; the BlueMind client and the background are tested
 * through fakes at the messenger and HTTP boundaries. Folders without a floor (the options page,
 * the Thunderbird adapter) are exercised end to end in a real Thunderbird and printed for
 * information only. A module of types alone (nothing left once its types are erased, such as
 * src/bluemind/types.ts) has no line to run: c8's `all` counts it as unrun, so it is left out here.
 *   usage: c8 mocha --config .mocharc.unit.json && tsx tools/coverage-floors.ts
 */

import { transformSync } from "esbuild";
import { readFileSync } from "node:fs";
import path from "node:path";

const FLOORS: Record<string, number> = { sync: 90, convert: 90, bluemind: 80, background: 80 };
const SUMMARY = path.resolve(".tmp/coverage/coverage-summary.json");

interface Counts {
  total: number;
  covered: number;
}

const summary = JSON.parse(readFileSync(SUMMARY, "utf8")) as Record<string, { lines: Counts }>;
/** True when nothing of the module runs: what esbuild leaves of it is empty. */
const typesOnly = (file: string): boolean => transformSync(readFileSync(file, "utf8"), { loader: "ts", format: "esm" }).code.trim() === "";

const folders = new Map<string, Counts & { files: number }>();
const leftOut: string[] = [];
for (const [file, { lines }] of Object.entries(summary)) {
  const folder = /\/src\/([^/]+)\//.exec(file)?.[1];
  if (!folder) {
    continue;
  }
  if (typesOnly(file)) {
    leftOut.push(path.relative(process.cwd(), file));
    continue;
  }
  const counts = folders.get(folder) ?? { total: 0, covered: 0, files: 0 };
  counts.total += lines.total;
  counts.covered += lines.covered;
  counts.files += 1;
  folders.set(folder, counts);
}

const percent = (c: Counts): number => (c.total === 0 ? 100 : (100 * c.covered) / c.total);
const below: string[] = [];
console.log("\nline coverage of src/ by the unit tests (c8)");
console.log(`${"folder".padEnd(16)} files   lines   covered   floor`);
for (const [folder, counts] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
  const floor = FLOORS[folder];
  const shown = percent(counts);
  if (floor !== undefined && shown < floor) {
    below.push(`src/${folder}: ${shown.toFixed(1)} % of lines, floor ${floor} %`);
  }
  console.log(
    `${`src/${folder}`.padEnd(16)} ${String(counts.files).padStart(5)} ${String(counts.total).padStart(7)} ${`${shown.toFixed(1)} %`.padStart(9)}   ${
      floor === undefined ? "—" : `${floor} %${shown < floor ? "  BELOW" : ""}`
    }`,
  );
}
console.log(`(types only, nothing to run, left out: ${leftOut.sort().join(", ")})`);
for (const missing of Object.keys(FLOORS).filter((folder) => !folders.has(folder))) {
  below.push(`src/${missing}: no coverage recorded`);
}
if (below.length > 0) {
  console.error(`\ncoverage below its floor:\n  ${below.join("\n  ")}`);
  process.exit(1);
}
