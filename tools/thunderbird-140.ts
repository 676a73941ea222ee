/**
 * Runs a command (the end-to-end suite) against Thunderbird 140 ESR, the other ESR Debian
 * ships: bookworm main has 140.x while bookworm-security installs 153.x. The 140 package is
 * fetched with `apt-get download` and unpacked beside the project (.tmp/thunderbird-140),
 * using the libraries the installed 153 already brought; then the command runs with
 * THUNDERBIRD_BINARY pointing at it.
 *   usage: tsx tools/thunderbird-140.ts <command> [args...]
 */

import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { aptGet, aptVersions, exitNeedingRoot, isRoot, runWithThunderbird, thunderbirdVersion, TMP_ROOT } from "./thunderbird-builds";

const TOOL = "thunderbird-140";
const target = path.join(TMP_ROOT, "thunderbird-140");
const binary = path.join(target, "usr", "lib", "thunderbird", "thunderbird");

function candidateVersion(): string | null {
  return aptVersions("thunderbird").find((v) => /^1:140\./.test(v)) ?? null;
}

function unpack(): void {
  let version = candidateVersion();
  if (!version) {
    if (!isRoot()) {
      exitNeedingRoot(TOOL, "refreshing the package lists to find Thunderbird 140", ["sudo apt-get update", "npm run test:e2e:140"]);
    }
    console.log(`${TOOL}: refreshing the package lists (apt-get update)`);
    aptGet(["update", "-q"]);
    version = candidateVersion();
  }
  if (!version) {
    throw new Error("no Thunderbird 140 ESR package in the configured Debian sources (expected in bookworm main)");
  }
  const download = path.join(TMP_ROOT, "thunderbird-140-deb");
  rmSync(download, { recursive: true, force: true });
  mkdirSync(download, { recursive: true });
  chmodSync(download, 0o777); // apt downloads as its unprivileged _apt user
  console.log(`${TOOL}: downloading thunderbird=${version}`);
  execFileSync("apt-get", ["download", "-q", `thunderbird=${version}`], { cwd: download, stdio: "inherit" });
  const deb = readdirSync(download).find((name) => name.endsWith(".deb"));
  if (!deb) {
    throw new Error("apt-get download produced no .deb");
  }
  rmSync(target, { recursive: true, force: true });
  execFileSync("dpkg", ["-x", path.join(download, deb), target], { stdio: "inherit" });
  rmSync(download, { recursive: true, force: true });
}

if (!existsSync(binary)) {
  unpack();
}
console.log(`${TOOL}: ${thunderbirdVersion(binary)} (${binary})`);
process.exit(await runWithThunderbird(TOOL, binary, process.argv.slice(2)));
