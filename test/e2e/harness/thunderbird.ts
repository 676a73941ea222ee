/**
 * Launches a real Thunderbird (headless by default) with a throw-away profile and drives it over
 * Marionette (./marionette.ts).
 *
 * Why: the add-on's behaviour depends on Thunderbird's calendar manager, AddonManager and extension
 * pages, which no mock reproduces. A real Thunderbird 153 starts in ~3 s headless, so e2e tests use it
 * directly. See README.md next to this file for how it is driven (Marionette, profiles, prefs).
 *
 * Safety: Thunderbird runs in its own process group; quit() always ends with SIGKILL on that group if
 * needed, and process 'exit'/SIGINT/SIGTERM/SIGHUP handlers kill any instance still alive.
 *
 * The handle is built in layers, one concern a file: contexts.ts (chrome/content contexts and
 * scripts) <- addons.ts (install, uninstall) <- extension-pages.ts (attaching to the add-on's
 * pages) <- the Thunderbird class here (the process: quit, restart). Around the launch:
 * launch-options.ts, prefs.ts (user.js), process-group.ts (kill, exit handlers), log-tail.ts, wait.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { placeXpiInProfile } from "./addons";
import { ThunderbirdPages } from "./extension-pages";
import { DEFAULT_THUNDERBIRD_BINARY, keepFiles, type LaunchOptions, type Timings } from "./launch-options";
import { tailOf } from "./log-tail";
import { Marionette } from "./marionette";
import { BASE_PREFS, formatPref } from "./prefs";
import { installExitHandlers, killGroup, liveProcesses } from "./process-group";
import { settlesWithin, sleep } from "./wait";

export { placeXpiInProfile, type PreinstalledAddon, type ProviderDialogOptions } from "./addons";
export type { AttachOptions, OpenOptionsPageOptions } from "./extension-pages";
export { DEFAULT_THUNDERBIRD_BINARY, type LaunchOptions, type Timings } from "./launch-options";
export { BASE_PREFS, type PrefValue } from "./prefs";

// ------------------------------------------------------------------ the Thunderbird handle

export class Thunderbird extends ThunderbirdPages {
  /** Per-launch timings. */
  readonly timings: Timings;
  /** Resolves with the exit code (or null when killed by a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined = undefined;
  private quitting: Promise<void> | undefined;

  constructor(
    marionette: Marionette,
    readonly child: ChildProcess,
    readonly profileDir: string,
    readonly tmpDir: string,
    readonly logFile: string,
    private readonly options: LaunchOptions,
    private readonly ownsTmpDir: boolean,
    timings: Timings,
  ) {
    super(marionette);
    this.timings = timings;
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.exitCode = child.exitCode;
        resolve(child.exitCode);
        return;
      }
      child.once("exit", (code) => {
        this.exitCode = code;
        resolve(code);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /**
   * Last lines of Thunderbird's stdout/stderr (print this when a test fails). GTK headless noise is
   * filtered out unless `raw`.
   */
  logTail(lines = 80, raw = false): string {
    return tailOf(this.logFile, lines, raw);
  }

  /**
   * Quits Thunderbird (Marionette:Quit eForceQuit), SIGKILLs the process group if it is still alive
   * after `killAfterMs` (default 15 s), then removes the temp dir (unless keepFiles / $TB_E2E_KEEP, or
   * `removeFiles: false`). Idempotent.
   */
  quit(opts: { killAfterMs?: number; removeFiles?: boolean } = {}): Promise<void> {
    this.quitting ??= this.doQuit(opts.killAfterMs ?? 15_000, opts.removeFiles ?? true);
    return this.quitting;
  }

  private async doQuit(killAfterMs: number, removeFiles: boolean): Promise<void> {
    const deadline = Date.now() + killAfterMs;
    try {
      if (this.running && !this.marionette.closed) {
        await this.marionette.quit(["eForceQuit"], killAfterMs).catch(() => undefined);
      }
      this.marionette.close();
      const remaining = Math.max(0, deadline - Date.now());
      if (!(await settlesWithin(this.exited, remaining))) {
        killGroup(this.child, "SIGKILL");
        await settlesWithin(this.exited, 5_000);
      }
      // Stray children of the group (content processes) must not outlive the main process.
      killGroup(this.child, "SIGKILL");
    } finally {
      liveProcesses.delete(this.child);
      if (removeFiles && this.ownsTmpDir && !keepFiles(this.options)) {
        fs.rmSync(this.tmpDir, { recursive: true, force: true });
      }
    }
  }

  /**
   * Kills Thunderbird at once (SIGKILL, no shutdown: what a crash or a power cut does), then
   * launches it again on the same profile. Returns the new handle.
   */
  async killAndRelaunch(overrides: Omit<LaunchOptions, "profileDir" | "tmpDir"> = {}): Promise<Thunderbird> {
    this.quitting ??= (async () => {
      this.marionette.close();
      killGroup(this.child, "SIGKILL");
      await settlesWithin(this.exited, 5_000);
      liveProcesses.delete(this.child);
    })();
    await this.quitting;
    return launchInternal({ ...this.options, ...overrides, profileDir: this.profileDir, tmpDir: this.tmpDir }, this.ownsTmpDir);
  }

  /**
   * Quits and launches again on the same profile (and temp dir). Temporary add-ons are gone afterwards;
   * use `extensions` (pre-placed .xpi) for add-ons that must survive. Returns the new handle.
   */
  async restart(overrides: Omit<LaunchOptions, "profileDir" | "tmpDir"> = {}): Promise<Thunderbird> {
    await this.quit({ removeFiles: false });
    return launchInternal({ ...this.options, ...overrides, profileDir: this.profileDir, tmpDir: this.tmpDir }, this.ownsTmpDir);
  }
}

/** Launches Thunderbird with a fresh (or the given) profile and returns a ready, chrome-context handle. */
export async function launchThunderbird(options: LaunchOptions = {}): Promise<Thunderbird> {
  return launchInternal(options, options.tmpDir === undefined);
}

async function launchInternal(options: LaunchOptions, ownsTmpDir: boolean): Promise<Thunderbird> {
  installExitHandlers();
  const headless = options.headless ?? true;
  const tmpDir = options.tmpDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "tb-e2e-"));
  fs.mkdirSync(tmpDir, { recursive: true });
  const profileDir = path.resolve(options.profileDir ?? path.join(tmpDir, "profile"));
  const home = path.join(tmpDir, "home");
  const cache = path.join(home, ".cache");
  const logFile = path.join(tmpDir, "thunderbird.log");
  fs.mkdirSync(profileDir, { recursive: true });
  fs.mkdirSync(cache, { recursive: true });

  const prefs = { ...BASE_PREFS, ...options.prefs };
  fs.writeFileSync(
    path.join(profileDir, "user.js"),
    Object.entries(prefs)
      .map(([k, v]) => formatPref(k, v))
      .join("\n") + "\n",
  );
  for (const ext of options.extensions ?? []) placeXpiInProfile(profileDir, ext.id, ext.xpi);

  const portFile = path.join(profileDir, "MarionetteActivePort");
  fs.rmSync(portFile, { force: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    HOME: home,
    XDG_CACHE_HOME: cache,
    MOZ_CRASHREPORTER_DISABLE: "1",
  };
  if (headless) {
    env.MOZ_HEADLESS = "1";
  } else {
    // Gecko treats an *empty* MOZ_HEADLESS as set: it must be absent.
    delete env.MOZ_HEADLESS;
    // With HOME redirected, X11 would look for the cookie in the fake HOME.
    const xauth = path.join(os.homedir(), ".Xauthority");
    if (!env.XAUTHORITY && fs.existsSync(xauth)) env.XAUTHORITY = xauth;
  }
  const args = [
    ...(headless ? ["--headless"] : []),
    "--marionette",
    "--remote-allow-system-access", // required for chrome context
    "-no-remote",
    "-profile",
    profileDir,
    ...(options.args ?? []),
  ];

  const binary = options.binary ?? process.env.THUNDERBIRD_BINARY ?? DEFAULT_THUNDERBIRD_BINARY;
  fs.appendFileSync(logFile, `\n===== ${new Date().toISOString()} ${binary} ${args.join(" ")}\n`);
  const logFd = fs.openSync(logFile, "a");
  const t0 = Date.now();
  let child: ChildProcess;
  try {
    child = spawn(binary, args, { env, detached: true, stdio: ["ignore", logFd, logFd] });
  } finally {
    fs.closeSync(logFd);
  }
  // Not keeping Node alive: a run that forgot quit() exits, and the 'exit' handler kills Thunderbird.
  child.unref();
  liveProcesses.set(child, () => {
    if (ownsTmpDir && !keepFiles(options)) {
      try {
        fs.rmSync(tmpDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
      } catch {
        /* best effort while exiting */
      }
    }
  });
  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });

  const startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
  const deadline = t0 + startupTimeoutMs;
  let marionette: Marionette | undefined;
  try {
    // 1. MarionetteActivePort
    let port = 0;
    for (;;) {
      if (spawnError) throw spawnError;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`Thunderbird exited during startup (code ${child.exitCode}, signal ${child.signalCode})`);
      }
      try {
        port = Number(fs.readFileSync(portFile, "utf8").trim());
      } catch {
        port = 0;
      }
      if (Number.isInteger(port) && port > 0) break;
      if (Date.now() > deadline) throw new Error(`No MarionetteActivePort after ${startupTimeoutMs} ms`);
      await sleep(50);
    }
    const portMs = Date.now() - t0;

    // 2. session, chrome context, 3-pane window loaded
    marionette = await Marionette.connect(port, "127.0.0.1", Math.max(1_000, deadline - Date.now()));
    await marionette.newSession({});
    await marionette.setTimeouts({ implicit: options.implicitTimeoutMs ?? 5_000 });
    await marionette.setContext("chrome");
    for (;;) {
      const ready = await marionette.execute<boolean>(
        `const w = Services.wm.getMostRecentWindow("mail:3pane");
         return !!w && w.document.readyState === "complete" &&
           (typeof w.gMailInit !== "object" || !!w.gMailInit.delayedStartupFinished);`,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`mail:3pane window not ready after ${startupTimeoutMs} ms`);
      await sleep(100);
    }
    const readyMs = Date.now() - t0;
    return new Thunderbird(marionette, child, profileDir, tmpDir, logFile, options, ownsTmpDir, { portMs, readyMs });
  } catch (err) {
    marionette?.close();
    killGroup(child, "SIGKILL");
    liveProcesses.delete(child);
    const tail = tailOf(logFile, 40);
    if (ownsTmpDir && !keepFiles(options)) fs.rmSync(tmpDir, { recursive: true, force: true });
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`Thunderbird launch failed: ${message}\n--- log tail (${logFile}) ---\n${tail}`);
  }
}
