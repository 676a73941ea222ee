/**
 * `npm test` after ensure-thunderbird: the type check, the lint, the build, the unit and conformance
 * tests, then the end-to-end suite on each Thunderbird the add-on supports, one pass after the
 * other (153 ESR, the installed one; 140 ESR; Release in its sid chroot). Each runs even when an
 * earlier one failed, so that one run tells how every part and every version fares; then a
 * summary with each one's result and time, and the failures of each failed pass repeated at the
 * very end (CI logs are often read from the tail).
 *
 * Why the preparation runs beside the first steps: fetching Thunderbird 140 and building the sid
 * chroot (about 1.5 min on a fresh machine) is mostly download and unpacking, while the type
 * check and the unit tests are CPU work in Node; overlapping them takes that time off the run.
 * No Thunderbird runs while it does, so no end-to-end timing is disturbed.
 *   usage: tsx tools/test-passes.ts
 */

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { run, TMP_ROOT } from "./thunderbird-builds";

interface Pass {
  name: string;
  command: string[];
}

interface Outcome {
  name: string;
  status: number;
  minutes: string;
  output: string;
}

const FIRST: Pass[] = [
  { name: "type check", command: ["npm", "run", "typecheck"] },
  { name: "lint", command: ["npm", "run", "lint"] },
  { name: "build", command: ["npm", "run", "build"] },
  { name: "unit and conformance tests, coverage", command: ["npm", "run", "test:coverage"] },
];
const PREPARE: Pass[] = [
  { name: "Thunderbird 140 ESR ready", command: ["npx", "tsx", "tools/thunderbird-140.ts", "true"] },
  { name: "Thunderbird Release ready", command: ["npx", "tsx", "tools/thunderbird-release.ts"] },
];
const END_TO_END: Pass[] = [
  { name: "e2e on Thunderbird 153 ESR", command: ["npm", "run", "test:e2e"] },
  { name: "e2e on Thunderbird 140 ESR", command: ["npm", "run", "test:e2e:140"] },
  { name: "e2e on Thunderbird Release", command: ["npm", "run", "test:e2e:release"] },
];

/** Runs one pass; its output goes to `echo` as it comes and is kept for the summary. */
async function runPass(pass: Pass, echo: (chunk: string) => void): Promise<Outcome> {
  const started = Date.now();
  let output = "";
  const keep = (text: string): void => {
    output += text;
    echo(text);
  };
  const [command, ...args] = pass.command as [string, ...string[]];
  const status = await run(command, args, process.env, keep).catch((error: Error) => {
    keep(`\n${error.message}\n`);
    return 127;
  });
  return { name: pass.name, status, minutes: ((Date.now() - started) / 60_000).toFixed(1), output };
}

async function inOrder(passes: Pass[], echo: (chunk: string) => void, heading: boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const pass of passes) {
    if (heading) echo(`\n===== ${pass.name} (${pass.command.join(" ")})\n\n`);
    const outcome = await runPass(pass, echo);
    outcomes.push(outcome);
  }
  return outcomes;
}

/** mocha's list of failures ("N failing" to the end), without colours; else the output's tail. */
function failuresOf(output: string, maxLines = 80): string {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
  const start = plain.search(/^ +\d+ failing$/m);
  const lines = (start >= 0 ? plain.slice(start) : plain).trimEnd().split("\n");
  const shown = start >= 0 ? lines.slice(0, maxLines) : lines.slice(-maxLines);
  return shown.map((line) => `    ${line}`).join("\n");
}

const stdout = (chunk: string): void => void process.stdout.write(chunk);
mkdirSync(TMP_ROOT, { recursive: true });
const prepareLog = path.join(TMP_ROOT, "prepare.log");
let prepareText = "";
const preparing = inOrder(PREPARE, (chunk) => void (prepareText += chunk), false);

const first = await inOrder(FIRST, stdout, true);
const prepared = await preparing;
writeFileSync(prepareLog, prepareText);
console.log(
  `\n===== getting Thunderbird 140 and Release ready (beside the steps above; log: ${path.relative(process.cwd(), prepareLog)})\n`,
);
console.log(prepareText.trimEnd().split("\n").slice(-12).join("\n"));

const buildFailed = first.some((outcome) => outcome.name === "build" && outcome.status !== 0);
const endToEnd = buildFailed ? [] : await inOrder(END_TO_END, stdout, true);

const outcomes = [...first, ...prepared, ...endToEnd];
const failed = outcomes.filter((outcome) => outcome.status !== 0);
const line = (o: Outcome): string => `  ${o.name}: ${o.status === 0 ? "passed" : `FAILED (exit status ${o.status})`}, ${o.minutes} min`;
// mocha's exit status is its number of failures; the pass tools add their own (2: needs root).
console.log(`\nnpm test:\n${outcomes.map(line).join("\n")}`);
if (buildFailed) console.log("  (end-to-end passes not run: the build failed)");
for (const outcome of failed) console.log(`\n----- what failed in "${outcome.name}":\n${failuresOf(outcome.output)}`);
if (failed.length > 0) console.log(`\nnpm test: FAILED (${failed.map((o) => o.name).join("; ")})`);
process.exit(failed.length > 0 ? 1 : 0);
