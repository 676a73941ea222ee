/**
 * The Debian sid chroot that runs Thunderbird Release (Debian experimental's build needs sid's
 * libraries): creating it with mmdebstrap, installing or upgrading Thunderbird in it, and the
 * mounts a run needs, made safely.
 *
 * Safety: a bind mount of a host directory left under the chroot is what makes deleting the
 * chroot delete host files (/dev, or the project itself, which is bound inside it). So:
 * - mounts exist only for the duration of a run (withMounts); they are unmounted in reverse
 *   order in a `finally`, on SIGINT/SIGTERM/SIGHUP and on process exit;
 * - leftovers from a crashed run are unmounted before anything else (unmountLeftovers);
 * - the chroot (or a half-made one) is deleted only by removeSafely, which refuses while
 *   /proc/mounts shows anything under it, and then deletes without crossing file systems;
 * - thunderbird-release.ts also runs all this in a private mount namespace where the system
 *   allows it (not inside a chroot), so that even a killed run never leaves these mounts in
 *   the machine's own mount table.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { aptInstall, debianMirror, hasCommand, PROJECT_ROOT, TMP_ROOT } from "./thunderbird-builds";

export const RELEASE_DIR = path.join(TMP_ROOT, "thunderbird-release");
/** The chroot's root directory. */
export const CHROOT = path.join(RELEASE_DIR, "sid");
/** The script used as THUNDERBIRD_BINARY: Thunderbird started inside the chroot. */
export const WRAPPER = path.join(RELEASE_DIR, "thunderbird");
/** TMPDIR of the run: the harness's profiles must be visible at the same path inside the chroot. */
export const E2E_TMP = path.join(TMP_ROOT, "e2e-tmp");
/** Thunderbird's binary as seen inside the chroot. */
export const CHROOT_THUNDERBIRD = "/usr/lib/thunderbird/thunderbird";

const TOOL = "thunderbird-release";
const NO_VALID_UNTIL = 'Acquire::Check-Valid-Until "false";';

// ------------------------------------------------------------------ the mount table

/** /proc/mounts escapes blanks and backslashes in octal. */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Mount points at or under `dir` in a mount table (default: this process's), in mount order. */
export function mountsUnder(dir: string, table = "/proc/self/mounts"): string[] {
  let text: string;
  try {
    text = readFileSync(table, "utf8");
  } catch {
    return [];
  }
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  return text
    .split("\n")
    .map((line) => unescapeMountPath(line.split(" ")[1] ?? ""))
    .filter((point) => point === dir || point.startsWith(prefix));
}

/** Mount points under `dir` in this process's mount table or the machine's (pid 1's). */
function anyMountsUnder(dir: string): string[] {
  return [...new Set([...mountsUnder(dir), ...mountsUnder(dir, "/proc/1/mounts")])];
}

function unmount(point: string): void {
  if (spawnSync("umount", [point], { stdio: "ignore" }).status === 0) return;
  // Still busy (a process kept a file open there): detach it now, it goes when released.
  const lazy = spawnSync("umount", ["--lazy", point], { encoding: "utf8" });
  if (lazy.status !== 0) console.error(`${TOOL}: could not unmount ${point}: ${lazy.stderr.trim()}`);
}

/** Unmounts whatever a previous (crashed) run left under the release directory, last mounted first. */
export function unmountLeftovers(): void {
  const left = mountsUnder(RELEASE_DIR);
  for (const point of left.reverse()) {
    console.log(`${TOOL}: unmounting ${point}, left by an earlier run`);
    unmount(point);
  }
  const still = mountsUnder(RELEASE_DIR);
  if (still.length > 0) throw new Error(`still mounted under ${RELEASE_DIR}: ${still.join(", ")}`);
}

// ------------------------------------------------------------------ mounts of a run

/** What this process mounted and has not unmounted yet, in mount order. */
const mounted: string[] = [];
let handlersInstalled = false;

function unmountOurs(): void {
  while (mounted.length > 0) unmount(mounted.pop() as string);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", unmountOurs);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    let first = 0;
    process.on(signal, () => {
      // A command run with run() gets the signal too and ends; the `finally` of withMounts
      // then unmounts. With nothing running, or at a second signal, unmount and stop now.
      // (A Ctrl-C reaches this process twice at once: from the terminal, and passed on by
      // thunderbird-release.ts's outer process: that is not a second signal.)
      const again = first !== 0 && Date.now() - first > 1000;
      if (first === 0) first = Date.now();
      if (again || !commandRunning) {
        unmountOurs();
        process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[signal]);
      }
    });
  }
}

let commandRunning = false;

function mount(args: string[], point: string): void {
  mkdirSync(point, { recursive: true });
  execFileSync("mount", [...args, point], { stdio: "inherit" });
  mounted.push(point);
}

/**
 * Mounts proc, dev and dev/shm in the chroot, and with `shareProject` the project checkout at
 * its own path, runs `body`, then unmounts in reverse order whatever happens.
 */
export async function withMounts<T>(root: string, shareProject: boolean, body: () => Promise<T> | T): Promise<T> {
  installHandlers();
  const start = mounted.length;
  try {
    mount(["--bind", "/proc"], path.join(root, "proc"));
    mount(["--bind", "/dev"], path.join(root, "dev"));
    mount(["-t", "tmpfs", "-o", "mode=1777,nosuid,nodev", "tmpfs"], path.join(root, "dev", "shm"));
    if (shareProject) mount(["--bind", PROJECT_ROOT], path.join(root, PROJECT_ROOT));
    commandRunning = true;
    return await body();
  } finally {
    commandRunning = false;
    while (mounted.length > start) unmount(mounted.pop() as string);
    const left = mountsUnder(root);
    if (left.length > 0) console.error(`${TOOL}: WARNING: still mounted: ${left.join(", ")}`);
  }
}

// ------------------------------------------------------------------ one run at a time

const LOCK = path.join(RELEASE_DIR, "run.lock");

/**
 * Takes the chroot for this process: two runs at once would share .tmp/e2e-tmp and could
 * upgrade Thunderbird under each other. A lock whose process is gone is taken over. Released
 * at exit.
 */
export function lockChroot(): void {
  mkdirSync(RELEASE_DIR, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(LOCK, `${process.pid}\n`, { flag: "wx" });
      process.on("exit", () => {
        try {
          if (readFileSync(LOCK, "utf8").trim() === String(process.pid)) unlinkSync(LOCK);
        } catch {
          /* already gone */
        }
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(LOCK, "utf8").trim());
      let alive = false;
      try {
        process.kill(holder, 0);
        alive = true;
      } catch {
        alive = false;
      }
      if (alive) throw new Error(`another Release run (process ${holder}) is using ${CHROOT}; wait for it to end`);
      unlinkSync(LOCK); // left by a run that was killed
    }
  }
  throw new Error(`could not take ${LOCK}`);
}

// ------------------------------------------------------------------ removal

/** Deletes a chroot directory, refusing while anything is mounted under it. */
export function removeSafely(dir: string): void {
  if (!existsSync(dir)) return;
  const left = anyMountsUnder(dir);
  if (left.length > 0) {
    throw new Error(`refusing to delete ${dir}: still mounted under it: ${left.join(", ")}`);
  }
  // --one-file-system: never descend into another file system, should a mount appear meanwhile.
  execFileSync("rm", ["-rf", "--one-file-system", dir], { stdio: "inherit" });
}

// ------------------------------------------------------------------ creation and upgrade

function inChroot(root: string, args: string[]): void {
  execFileSync("chroot", [root, ...args], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive", PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
  });
}

/** apt-get update, then Thunderbird (or a newer one) from experimental. */
async function installThunderbird(root: string): Promise<void> {
  await withMounts(root, false, () => {
    inChroot(root, ["apt-get", "update", "-q"]);
    inChroot(root, ["apt-get", "install", "-y", "-q", "--no-install-recommends", "-t", "experimental", "thunderbird"]);
  });
}

/** The commands ensureChroot runs (printed for a user who is not root). */
export function creationCommands(): string[] {
  return [
    "sudo apt-get install -y --no-install-recommends mmdebstrap gpg mount",
    "sudo npm run test:e2e:release   # creates .tmp/thunderbird-release/sid on first use (mmdebstrap, Thunderbird from experimental)",
  ];
}

/** Creates the chroot on first use, with Thunderbird from experimental; with `upgrade`, upgrades Thunderbird. */
export async function ensureChroot(upgrade: boolean): Promise<void> {
  mkdirSync(RELEASE_DIR, { recursive: true });
  if (existsSync(path.join(CHROOT, CHROOT_THUNDERBIRD))) {
    if (upgrade) {
      console.log(`${TOOL}: upgrading Thunderbird in the chroot to experimental's current build`);
      await installThunderbird(CHROOT);
    }
    return;
  }
  // Each package is named after its command; mmdebstrap checks the archive keys with gpg.
  const packages = ["mmdebstrap", "gpg", "mount"].filter((command) => !hasCommand(command));
  if (packages.length > 0) {
    console.log(`${TOOL}: installing ${packages.join(" ")}`);
    aptInstall(packages);
  }
  const mirror = debianMirror();
  const partial = `${CHROOT}.partial`;
  removeSafely(partial);
  removeSafely(CHROOT); // a chroot without Thunderbird: made by hand or broken
  console.log(`${TOOL}: creating a Debian sid chroot in ${path.relative(PROJECT_ROOT, CHROOT)} (mirror ${mirror})`);
  execFileSync(
    "mmdebstrap",
    [
      "--variant=apt",
      `--aptopt=${NO_VALID_UNTIL}`,
      "--include=ca-certificates",
      "sid",
      partial,
      `deb ${mirror} sid main`,
      `deb ${mirror} experimental main`,
    ],
    { stdio: "inherit" },
  );
  writeFileSync(path.join(partial, "etc/apt/apt.conf.d/99no-valid-until"), `${NO_VALID_UNTIL}\n`);
  console.log(`${TOOL}: installing Thunderbird from experimental in the chroot`);
  await installThunderbird(partial);
  renameSync(partial, CHROOT);
}

/** Writes the wrapper script used as THUNDERBIRD_BINARY. */
export function writeWrapper(): string {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    WRAPPER,
    [
      "#!/bin/sh",
      "# Thunderbird Release inside the Debian sid chroot; written by tools/sid-chroot.ts.",
      "# Works only while tools/thunderbird-release.ts has the chroot's mounts in place.",
      `exec chroot ${quote(CHROOT)} ${CHROOT_THUNDERBIRD} "$@"`,
      "",
    ].join("\n"),
  );
  chmodSync(WRAPPER, 0o755);
  return WRAPPER;
}
