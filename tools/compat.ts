/**
 * `npm run compat [-- --write]`: can the manifest's strict_max_version move to the Release build
 * Debian experimental has now?
 *   1. upgrades Thunderbird in the sid chroot to experimental's current build and reads its
 *      major version N (tools/thunderbird-release.ts --upgrade, which then runs this script);
 *   2. builds the add-on with build.mjs, but from a manifest whose cap is `N.*` (a temporary
 *      install enforces strict_max_version; manifest.json is not touched: see buildWithCap);
 *   3. runs the end-to-end suite on N and says whether the cap can move;
 *   4. with --write, and only if the suite passed, writes `N.*` into manifest.json;
 *   5. rebuilds dist/ from manifest.json, so the build matches the source again.
 * Exit status: 0 when the suite passed on N, 1 otherwise. Needs root, like the Release pass.
 * Policy (README, "Thunderbird versions and support policy"): the cap moves one Release at a
 * time, after the suite passes on it.
 */

import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { majorOf, PROJECT_ROOT, run, thunderbirdVersion, TMP_ROOT } from "./thunderbird-builds";

const TOOL = "compat";
const MANIFEST = path.join(PROJECT_ROOT, "manifest.json");
const DIST = path.join(PROJECT_ROOT, "dist");
const CAP = /("strict_max_version"\s*:\s*")([^"]*)(")/;

const args = process.argv.slice(2);
const write = args.includes("--write");
for (const arg of args) {
  if (arg !== "--write") throw new Error(`${TOOL}: unknown argument ${arg}; usage: npm run compat [-- --write]`);
}

/** The strict_max_version in a manifest's text. */
function capOf(text: string): string {
  const cap = CAP.exec(text)?.[2];
  if (!cap) throw new Error("the manifest has no strict_max_version");
  return cap;
}

async function step(what: string, command: string, commandArgs: string[]): Promise<void> {
  const status = await run(command, commandArgs, { ...process.env });
  if (status !== 0) throw new Error(`${what} failed (exit status ${status})`);
}

/** This Node, with tsx's loader, running one of the project's TypeScript scripts. */
const node = (script: string, scriptArgs: string[] = []): [string, string[]] => [
  process.execPath,
  [...process.execArgv, path.join(PROJECT_ROOT, script), ...scriptArgs],
];

if (!process.env["THUNDERBIRD_CHROOT"]) {
  // Outside the Release pass: go through it, upgrading Thunderbird first.
  const [command, commandArgs] = node("tools/thunderbird-release.ts", ["--upgrade", ...node("tools/compat.ts", args).flat()]);
  process.exit(await run(command, commandArgs));
}

const binary = process.env["THUNDERBIRD_BINARY"] as string;
const version = thunderbirdVersion(binary);
const major = majorOf(version);
const cap = capOf(readFileSync(MANIFEST, "utf8"));
const capMajor = majorOf(cap);
const wanted = `${major}.*`;
console.log(`${TOOL}: Debian experimental has ${version}; manifest.json caps at ${cap}`);

/**
 * Builds the add-on as build.mjs does, from the project's files but with a manifest whose cap
 * is `newCap`: build.mjs builds the directory it sits in, so it runs from a copy of itself in
 * .tmp/compat-build, beside links to the project's files and the patched manifest; its dist/
 * then replaces the project's. manifest.json itself is not touched.
 */
async function buildWithCap(newCap: string): Promise<void> {
  const shadow = path.join(TMP_ROOT, "compat-build");
  rmSync(shadow, { recursive: true, force: true }); // links only: rmSync does not follow them
  mkdirSync(shadow, { recursive: true });
  for (const name of readdirSync(PROJECT_ROOT)) {
    if (![".git", ".tmp", "dist", "manifest.json", "build.mjs"].includes(name)) {
      symlinkSync(path.join(PROJECT_ROOT, name), path.join(shadow, name));
    }
  }
  copyFileSync(path.join(PROJECT_ROOT, "build.mjs"), path.join(shadow, "build.mjs"));
  writeFileSync(path.join(shadow, "manifest.json"), readFileSync(MANIFEST, "utf8").replace(CAP, `$1${newCap}$3`));
  await step("the build", process.execPath, [path.join(shadow, "build.mjs")]);
  rmSync(DIST, { recursive: true, force: true });
  renameSync(path.join(shadow, "dist"), DIST);
  rmSync(shadow, { recursive: true, force: true });
}

if (major > capMajor) {
  await buildWithCap(wanted);
  console.log(`${TOOL}: built with strict_max_version ${wanted} (dist/ only)`);
} else {
  await step("the build", process.execPath, [path.join(PROJECT_ROOT, "build.mjs")]);
}

const started = Date.now();
const status = await run(path.join(PROJECT_ROOT, "node_modules", ".bin", "mocha"), ["--config", ".mocharc.e2e.json"]);
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
const passed = status === 0;

let verdict: string;
if (!passed) {
  verdict = `NO: the end-to-end suite fails on ${version} (${status} failing, ${minutes} min): strict_max_version stays ${cap}`;
} else if (major <= capMajor) {
  verdict = `nothing to move: the suite passes on ${version} (${minutes} min), already covered by ${cap}`;
} else {
  verdict = `YES: the suite passes on ${version} (${minutes} min): strict_max_version can move from ${cap} to ${wanted}`;
  if (major > capMajor + 1) {
    // Debian experimental holds one build: the Releases in between cannot be run here.
    verdict += ` (Releases ${capMajor + 1}–${major - 1} in between were not tested: Debian experimental has only its latest build)`;
  }
}
console.log(`\n${TOOL}: ${verdict}`);

if (write && passed && major > capMajor) {
  writeFileSync(MANIFEST, readFileSync(MANIFEST, "utf8").replace(CAP, `$1${wanted}$3`));
  console.log(`${TOOL}: manifest.json now caps at ${wanted}`);
} else if (write && major > capMajor) {
  console.log(`${TOOL}: --write: manifest.json left as it is`);
}

// dist/ back in step with manifest.json.
await step("the rebuild", process.execPath, [path.join(PROJECT_ROOT, "build.mjs")]);
process.exit(passed ? 0 : 1);
