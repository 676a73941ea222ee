/**
 * Runs a command (the end-to-end suite) against Thunderbird 140 ESR, the other ESR Debian
 * ships: bookworm main has 140.x while bookworm-security installs 153.x. The 140 package is
 * fetched with `apt-get download` and unpacked beside the project (.tmp/thunderbird-140),
 * using the libraries the installed 153 already brought; then the command runs with
 * THUNDERBIRD_BINARY pointing at it.
 *   usage: tsx tools/thunderbird-140.ts <command> [args...]
 */

import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, ".tmp", "thunderbird-140");
const binary = path.join(target, "usr", "lib", "thunderbird", "thunderbird");

function candidateVersion(): string | null {
  const madison = execFileSync("apt-cache", ["madison", "thunderbird"], { encoding: "utf8" });
  const versions = madison.split("\n").map((line) => line.split("|")[1]?.trim() ?? "").filter((v) => /^1:140\./.test(v));
  return versions[0] ?? null;
}

function unpack(): void {
  let version = candidateVersion();
  if (!version) {
    console.log("thunderbird-140: refreshing the package lists (apt-get update)");
    execFileSync("apt-get", ["update", "-q"], { stdio: "inherit" });
    version = candidateVersion();
  }
  if (!version) {
    throw new Error("no Thunderbird 140 ESR package in the configured Debian sources (expected in bookworm main)");
  }
  const download = path.join(root, ".tmp", "thunderbird-140-deb");
  rmSync(download, { recursive: true, force: true });
  mkdirSync(download, { recursive: true });
  chmodSync(download, 0o777); // apt downloads as its unprivileged _apt user
  console.log(`thunderbird-140: downloading thunderbird=${version}`);
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
const version = execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
console.log(`thunderbird-140: ${version} (${binary})`);
const [command, ...args] = process.argv.slice(2);
if (!command) {
  throw new Error("usage: tsx tools/thunderbird-140.ts <command> [args...]");
}
const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, THUNDERBIRD_BINARY: binary } });
process.exit(result.status ?? 1);
