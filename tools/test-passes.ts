/**
 * `npm test`'s test part, after the type check and the build: the unit and conformance tests,
 * then the end-to-end suite on each Thunderbird the add-on supports, one pass after the other
 * (153 ESR, the installed one; 140 ESR; Release in its sid chroot). Each runs even when an
 * earlier one failed, so that one run tells how every part and every version fares; then a
 * summary with each one's result and time. Exit status 1 if any failed.
 *   usage: tsx tools/test-passes.ts
 */

import { run } from "./thunderbird-builds";

const PASSES = [
  { name: "unit and conformance tests", script: "test:unit" },
  { name: "e2e on Thunderbird 153 ESR", script: "test:e2e" },
  { name: "e2e on Thunderbird 140 ESR", script: "test:e2e:140" },
  { name: "e2e on Thunderbird Release", script: "test:e2e:release" },
];

const results: string[] = [];
let failed = false;
for (const pass of PASSES) {
  console.log(`\n===== ${pass.name} (npm run ${pass.script})\n`);
  const started = Date.now();
  const status = await run("npm", ["run", pass.script]);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  failed ||= status !== 0;
  // mocha's exit status is its number of failures; the pass tools add their own (2: needs root).
  results.push(`  ${pass.name}: ${status === 0 ? "passed" : `FAILED (exit status ${status})`}, ${minutes} min`);
}
console.log(`\nnpm test:\n${results.join("\n")}`);
process.exit(failed ? 1 : 0);
