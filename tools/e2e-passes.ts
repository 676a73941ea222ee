/**
 * `npm test`'s end-to-end part: the suite on each Thunderbird the add-on supports, one pass
 * after the other (153 ESR, the installed one; 140 ESR; Release in its sid chroot), each run
 * even when an earlier one failed, so that one run tells how every version fares; then a
 * summary with each pass's failures and time. Exit status 1 if any pass failed.
 *   usage: tsx tools/e2e-passes.ts
 */

import { run } from "./thunderbird-builds";

const PASSES = [
  { name: "Thunderbird 153 ESR", script: "test:e2e" },
  { name: "Thunderbird 140 ESR", script: "test:e2e:140" },
  { name: "Thunderbird Release", script: "test:e2e:release" },
];

const results: string[] = [];
let failed = false;
for (const pass of PASSES) {
  console.log(`\n===== e2e on ${pass.name} (npm run ${pass.script})\n`);
  const started = Date.now();
  const status = await run("npm", ["run", pass.script]);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  failed ||= status !== 0;
  // mocha's exit status is its number of failures; the pass tools add their own (2: needs root).
  results.push(`  ${pass.name}: ${status === 0 ? "passed" : `FAILED (exit status ${status})`}, ${minutes} min`);
}
console.log(`\ne2e passes:\n${results.join("\n")}`);
process.exit(failed ? 1 : 0);
