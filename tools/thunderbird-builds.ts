/**
 * What the tools that provide a Thunderbird build share: the project's paths, root checks that
 * print the exact command when not root, apt helpers, the Debian mirror this machine uses,
 * and running a command (the end-to-end suite) against a given Thunderbird binary.
 * Used by ensure-thunderbird.ts (the installed 153 ESR), thunderbird-140.ts (140 ESR unpacked
 * beside it) and thunderbird-release.ts / sid-chroot.ts (Release, in a Debian sid chroot).
 */

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Everything the tools fetch or create lives here (git-ignored). */
export const TMP_ROOT = path.join(PROJECT_ROOT, ".tmp");
/** The installed Thunderbird (Debian's package; 153 ESR on bookworm with bookworm-security). */
export const SYSTEM_THUNDERBIRD = "/usr/lib/thunderbird/thunderbird";

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Whether an executable is on PATH. */
export function hasCommand(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/**
 * Stops with the exact commands a non-root user has to run. `what` says what they are for.
 */
export function exitNeedingRoot(tool: string, what: string, commands: string[]): never {
  console.error(`${tool}: ${what} needs root. Run:`);
  for (const command of commands) console.error(`  ${command}`);
  process.exit(2);
}

/** apt-get with the options of an unattended install; output goes to the terminal. */
export function aptGet(args: string[]): void {
  execFileSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

/**
 * Installs Debian packages on this machine (root only), always refreshing the lists first: a
 * machine's lists can be old and still name a candidate (a fresh machine's offered Thunderbird
 * 140.12 from bookworm while bookworm-security had 153.8, and the "153" pass would have run 140).
 */
export function aptInstall(packages: string[]): void {
  aptGet(["update", "-q"]);
  aptGet(["install", "-y", "-q", "--no-install-recommends", ...packages]);
}

/** The versions of a package apt can install, best first (`apt-cache madison`). */
export function aptVersions(name: string): string[] {
  const madison = spawnSync("apt-cache", ["madison", name], { encoding: "utf8" }).stdout ?? "";
  return madison
    .split("\n")
    .map((line) => line.split("|")[1]?.trim() ?? "")
    .filter((version) => version !== "");
}

/**
 * The Debian archive this machine installs from, as its apt sources name it (not the
 * security archive): the URI of the first entry in /etc/apt/sources.list.d/ (deb822 `.sources`
 * or one-line `.list`), then /etc/apt/sources.list, whose suites are Debian's.
 */
export function debianMirror(): string {
  const files: string[] = [];
  const dir = "/etc/apt/sources.list.d";
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith(".sources") || name.endsWith(".list")) files.push(path.join(dir, name));
    }
  }
  if (existsSync("/etc/apt/sources.list")) files.push("/etc/apt/sources.list");
  const debianSuite = /^(oldstable|stable|testing|unstable|sid|buster|bullseye|bookworm|trixie|forky|duke)(-updates|-backports)?$/;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    if (file.endsWith(".sources")) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string): string[] =>
          (new RegExp(`^${name}:\\s*(.*)$`, "mi").exec(stanza)?.[1] ?? "").split(/\s+/).filter(Boolean);
        if (!field("Types").includes("deb") || /^Enabled:\s*no/im.test(stanza)) continue;
        const uri = field("URIs").find((u) => /^https?:\/\//.test(u));
        if (uri && field("Suites").some((suite) => debianSuite.test(suite))) return uri.replace(/\/+$/, "");
      }
    } else {
      for (const line of text.split("\n")) {
        const m = /^deb\s+(?:\[[^\]]*\]\s+)?(https?:\/\/\S+)\s+(\S+)/.exec(line.trim());
        if (m?.[1] && m[2] && debianSuite.test(m[2])) return m[1].replace(/\/+$/, "");
      }
    }
  }
  throw new Error("no Debian archive found in /etc/apt/sources.list.d/ or /etc/apt/sources.list");
}

/** `<binary> --version`, e.g. "Mozilla Thunderbird 157.0". */
export function thunderbirdVersion(binary: string): string {
  return execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
}

/** The major version in `--version`'s answer. */
export function majorOf(version: string): number {
  const m = /(\d+)\./.exec(version);
  if (!m?.[1]) throw new Error(`no version number in ${JSON.stringify(version)}`);
  return Number(m[1]);
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const SIGNAL_NUMBERS: Record<(typeof SIGNALS)[number], number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/**
 * Runs a command with stdio inherited and resolves with its exit status (128 + n when it was
 * killed by signal n). While it runs, SIGINT/SIGTERM/SIGHUP sent to this process are passed on
 * to it and this process waits for it to end, so the caller's clean-up (a `finally`) still runs.
 * With `onOutput`, its stdout and stderr go there instead, as they come (stdin: none), and it
 * resolves once both are read to the end.
 */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  onOutput?: (text: string) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: onOutput ? ["ignore", "pipe", "pipe"] : "inherit", env });
    if (onOutput) {
      child.stdout?.on("data", (chunk: Buffer) => onOutput(chunk.toString("utf8")));
      child.stderr?.on("data", (chunk: Buffer) => onOutput(chunk.toString("utf8")));
    }
    const forward = (signal: NodeJS.Signals): void => {
      try {
        child.kill(signal);
      } catch {
        /* already gone */
      }
    };
    for (const signal of SIGNALS) process.on(signal, forward);
    const done = (): void => {
      for (const signal of SIGNALS) process.removeListener(signal, forward);
    };
    child.once("error", (err) => {
      done();
      reject(err);
    });
    child.once(onOutput ? "close" : "exit", (code: number | null, signal: NodeJS.Signals | null) => {
      done();
      resolve(code ?? (signal && signal in SIGNAL_NUMBERS ? 128 + SIGNAL_NUMBERS[signal as (typeof SIGNALS)[number]] : 1));
    });
  });
}

/** Runs the command given on the command line with THUNDERBIRD_BINARY (and `env`) set. */
export async function runWithThunderbird(tool: string, binary: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const [command, ...args] = argv;
  if (!command) throw new Error(`usage: tsx tools/${tool}.ts <command> [args...]`);
  return run(command, args, { ...process.env, ...env, THUNDERBIRD_BINARY: binary });
}
