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
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ElementRef, Marionette, MarionetteError, type MarionetteContext } from "./marionette";

export const DEFAULT_THUNDERBIRD_BINARY = "/usr/lib/thunderbird/thunderbird";

export type PrefValue = string | number | boolean;

/** Prefs written to user.js on every launch (extra prefs from LaunchOptions.prefs override them). */
export const BASE_PREFS: Readonly<Record<string, PrefValue>> = {
  // Free port, written to <profile>/MarionetteActivePort (parallel-safe).
  "marionette.port": 0,
  "xpinstall.signatures.required": false,
  "extensions.experiments.enabled": true,
  // Needed for add-ons pre-placed in <profile>/extensions (otherwise they stay userDisabled).
  "extensions.autoDisableScopes": 0,
  "extensions.enabledScopes": 15,
  // First-run / telemetry / default-client noise.
  "mail.provider.suppress_dialog_on_startup": true,
  "mailnews.start_page.enabled": false,
  "mail.shell.checkDefaultClient": false,
  "mail.spotlight.firstRunDone": true,
  "mail.winsearch.firstRunDone": true,
  "mail.rights.override": true, // no "Know your rights" notification bar
  "mail.inappnotifications.enabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "toolkit.telemetry.reportingpolicy.firstRun": false,
  "app.update.disabledForTesting": true,
  "browser.shell.checkDefaultBrowser": false,
  // Add-on console.log and dump() lines end up in the Thunderbird log file.
  "devtools.console.stdout.chrome": true,
  "browser.dom.window.dump.enabled": true,
};

/** An add-on to place into <profile>/extensions/<id>.xpi before launch (survives restarts). */
export interface PreinstalledAddon {
  id: string;
  xpi: string;
}

export interface LaunchOptions {
  /** Reuse this profile directory (restart tests). Default: a fresh one inside the temp dir. */
  profileDir?: string;
  /**
   * Directory holding HOME, XDG_CACHE_HOME, the log file and (by default) the profile. Default: a new
   * mkdtemp under os.tmpdir(); it is deleted by quit() unless keepFiles / $TB_E2E_KEEP is set.
   */
  tmpDir?: string;
  /** Default true. false: a visible window (needs $DISPLAY/$WAYLAND_DISPLAY). */
  headless?: boolean;
  /** Extra prefs for user.js. */
  prefs?: Record<string, PrefValue>;
  /** .xpi files copied to <profile>/extensions/<id>.xpi before launch. */
  extensions?: PreinstalledAddon[];
  /** Default $THUNDERBIRD_BINARY or /usr/lib/thunderbird/thunderbird. */
  binary?: string;
  /** Extra environment for Thunderbird. */
  env?: Record<string, string>;
  /** Extra command-line arguments. */
  args?: string[];
  /** Spawn → 3-pane ready budget. Default 60 s. */
  startupTimeoutMs?: number;
  /** Marionette implicit wait for findElement. Default 5000 ms. */
  implicitTimeoutMs?: number;
  /** Keep the temp dir after quit() (also: env TB_E2E_KEEP=1). */
  keepFiles?: boolean;
}

export interface Timings {
  /** spawn → MarionetteActivePort present */
  portMs: number;
  /** spawn → mail:3pane window complete (the launch duration) */
  readyMs: number;
}

// ------------------------------------------------------------------ process bookkeeping

/** Running Thunderbirds → sync cleanup of their temp dir (or a no-op), for the exit handlers. */
const liveProcesses = new Map<ChildProcess, () => void>();
let handlersInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // negative pid: the whole process group (spawned detached)
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL is.
  const killAll = (): void => {
    for (const [child, cleanup] of liveProcesses) {
      killGroup(child);
      cleanup();
    }
    liveProcesses.clear();
  };
  process.on("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = (): void => {
      killAll();
      // If nobody else handles the signal, restore the default behaviour (terminate).
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, handler);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, handler);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves true if `p` settles within `ms`, else false; never leaves a timer behind. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function formatPref(name: string, value: PrefValue): string {
  return `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`;
}

/** Copies an .xpi into <profile>/extensions/<id>.xpi (route for add-ons that must survive restarts). */
export function placeXpiInProfile(profileDir: string, addonId: string, xpiPath: string): string {
  const dir = path.join(profileDir, "extensions");
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${addonId}.xpi`);
  fs.copyFileSync(path.resolve(xpiPath), target);
  return target;
}

/** Headless-mode noise that would otherwise fill every log tail (see README, pitfalls). */
const LOG_NOISE = /Gtk-CRITICAL|Gtk-WARNING|gtk_icon_theme_|GDK_IS_SCREEN|^\s*$/;

function tailOf(file: string, lines: number, raw = false): string {
  try {
    const all = fs.readFileSync(file, "utf8").split("\n");
    return (raw ? all : all.filter((l) => !LOG_NOISE.test(l))).slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function isRetryableAttachError(err: unknown): boolean {
  if (err instanceof MarionetteError) {
    return ["no such window", "no such element", "stale element reference", "unknown error", "javascript error"].includes(err.error);
  }
  return false;
}

// ------------------------------------------------------------------ chrome-side scripts

/**
 * THE Marionette-internals helper (chrome context script). Reads, and if args[0] is given, sets the
 * session's content browsing context.
 *
 * Why: Marionette's TabManager only knows Firefox's gBrowser, so Thunderbird tabs (and about:addons'
 * inline options <browser>, and background pages) are invisible to it: GetWindowHandles is empty in
 * content context, SwitchToFrame fails (those <browser>s are top-level BCs) and BiDi sees no contexts.
 * Pointing `driver.currentSession.contentBrowsingContext` at the page's BrowsingContext makes every
 * standard content command (FindElement, Click, ExecuteScript, TakeScreenshot, ...) target it.
 * These are plain (non-#private) properties of Marionette internals verified on 153.7 ESR only; if a
 * Thunderbird update breaks attaching, this is the one place to fix.
 * Returns the id of the previous content browsing context (or null).
 */
const CONTENT_BC_SCRIPT = `
const { Marionette } = ChromeUtils.importESModule("chrome://remote/content/components/Marionette.sys.mjs");
const driver = [...Marionette.server.conns].map((c) => c.driver).find((d) => d && d.currentSession);
if (!driver) throw new Error("No Marionette driver with an active session");
const session = driver.currentSession;
const previous = session.contentBrowsingContext && !session.contentBrowsingContext.isDiscarded
  ? session.contentBrowsingContext.id : null;
if (args.length > 0) {
  const bc = args[0] === null ? null : BrowsingContext.get(args[0]);
  if (args[0] !== null && !bc) throw new Error("No browsing context with id " + args[0]);
  session.contentBrowsingContext = bc;
}
return previous;
`;

/**
 * Finds the newest live browsing context showing <moz-extension://uuid><...pathSuffix> of an add-on.
 * First via the extension's views (every page that used an extension API: background, options, tabs,
 * popups), then by walking all <browser> elements of all chrome windows (also inside non-remote
 * documents such as about:addons), for pages that never touched an extension API.
 */
const FIND_PAGE_SCRIPT = `
const [addonId, suffix] = args;
const policy = WebExtensionPolicy.getByID(addonId);
if (!policy) return { error: "add-on " + addonId + " is not installed/running" };
const base = policy.getURL("");
const matches = (spec) => {
  if (!spec || !spec.startsWith(base)) return false;
  const p = spec.slice(base.length - 1).split(/[?#]/)[0];
  return p.endsWith(suffix);
};
const usable = (bc) => !!bc && !bc.isDiscarded && !!bc.currentWindowGlobal &&
  matches(bc.currentWindowGlobal.documentURI && bc.currentWindowGlobal.documentURI.spec);
const found = [];
for (const view of (policy.extension && policy.extension.views) || []) {
  if (usable(view.browsingContext)) found.push(view.browsingContext);
}
if (!found.length) {
  const visit = (doc) => {
    for (const b of doc.querySelectorAll("browser")) {
      const bc = b.browsingContext;
      if (usable(bc) && !(b.webProgress && b.webProgress.isLoadingDocument)) found.push(bc);
      else if (!b.isRemoteBrowser && b.contentDocument) visit(b.contentDocument);
    }
  };
  for (const win of Services.wm.getEnumerator(null)) {
    if (win.document) visit(win.document);
  }
}
const bc = found.pop();
return { id: bc ? bc.id : null };
`;

const OPTIONS_INFO_SCRIPT = `
const policy = WebExtensionPolicy.getByID(args[0]);
if (!policy || !policy.extension) return null;
const m = policy.extension.manifest;
const ui = m.options_ui || {};
const bg = m.background || {};
const toPath = (u) => u ? new URL(u, policy.getURL("")).pathname : null;
return {
  optionsPath: toPath(ui.page),
  openInTab: !!ui.open_in_tab,
  backgroundPath: bg.page ? toPath(bg.page) : "/_generated_background_page.html",
};
`;

/** Same logic as Thunderbird's ext-mail.js `openOptionsPage(extension)`, run from chrome. */
const OPEN_OPTIONS_SCRIPT = `
const policy = WebExtensionPolicy.getByID(args[0]);
const extension = policy.extension;
const win = Services.wm.getMostRecentWindow("mail:3pane");
if (!win) throw new Error("No mail:3pane window");
if (extension.manifest.options_ui.open_in_tab) {
  win.switchToTabHavingURI(extension.manifest.options_ui.page, true, { triggeringPrincipal: extension.principal });
} else {
  await win.openAddonsMgr("addons://detail/" + encodeURIComponent(extension.id) + "/preferences");
}
return true;
`;

const PROVIDER_DIALOG_SCRIPT = `
const [unsubscribe, cancel] = args;
for (const win of Services.wm.getEnumerator(null)) {
  const doc = win.document;
  if (!doc || !String(doc.documentURI).includes("calendar-providerUninstall-dialog")) continue;
  if (doc.readyState !== "complete") return { pending: true };
  const items = [...doc.querySelectorAll("#calendar-list richlistitem")];
  const calendars = items.map((item) => {
    const label = item.querySelector(".calendar-name");
    return label ? label.value : item.getAttribute("calendar-id");
  });
  if (unsubscribe) for (const item of items) {
    const box = item.querySelector(".calendar-selected");
    if (box) box.checked = true;
  }
  const dialog = doc.querySelector("dialog");
  if (cancel) dialog.cancelDialog(); else dialog.acceptDialog();
  return { calendars };
}
return null;
`;

// ------------------------------------------------------------------ the Thunderbird handle

export interface AttachOptions {
  /** Give up after this long (ms). Default 15000. */
  timeoutMs?: number;
  /** CSS selector that must exist before attach resolves; null = don't wait. */
  readySelector?: string | null;
}

export interface OpenOptionsPageOptions extends AttachOptions {
  /**
   * "addons-manager" (default): from chrome, the same code path as runtime.openOptionsPage() in
   * Thunderbird (about:addons inline options, or a tab if options_ui.open_in_tab).
   * "background": really call browser.runtime.openOptionsPage() inside the add-on's background page.
   */
  route?: "addons-manager" | "background";
}

export interface ProviderDialogOptions {
  timeoutMs?: number;
  /** Tick every calendar's checkbox first, so accepting also unsubscribes them. Default false. */
  unsubscribe?: boolean;
  /** Cancel instead of accepting (the uninstall/disable is then reverted by Thunderbird). */
  cancel?: boolean;
}

export class Thunderbird {
  /** Per-launch timings. */
  readonly timings: Timings;
  /** Resolves with the exit code (or null when killed by a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined = undefined;
  private lastFindError: string | undefined;
  private quitting: Promise<void> | undefined;

  constructor(
    readonly marionette: Marionette,
    readonly child: ChildProcess,
    readonly profileDir: string,
    readonly tmpDir: string,
    readonly logFile: string,
    private readonly options: LaunchOptions,
    private readonly ownsTmpDir: boolean,
    timings: Timings,
  ) {
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

  // ---------------------------------------------------------------- contexts & scripts

  /** Runs fn with the Marionette context set to chrome, then restores the previous context. */
  async inChrome<T>(fn: () => Promise<T>): Promise<T> {
    return this.inContext("chrome", fn);
  }

  /** Runs fn with the Marionette context set to content (the attached page), then restores. */
  async inContent<T>(fn: () => Promise<T>): Promise<T> {
    return this.inContext("content", fn);
  }

  private async inContext<T>(ctx: MarionetteContext, fn: () => Promise<T>): Promise<T> {
    const previous = this.marionette.context;
    if (previous !== ctx) await this.marionette.setContext(ctx);
    try {
      return await fn();
    } finally {
      if (previous !== ctx && !this.marionette.closed) await this.marionette.setContext(previous);
    }
  }

  /**
   * Runs `body` as an async function in the privileged chrome context (Services, ChromeUtils, Ci, Cc,
   * ... available; arguments as `args[]`; `await` allowed; return value must be JSON-serialisable).
   * Restores the previous context afterwards.
   */
  async chrome<T = unknown>(body: string, ...args: unknown[]): Promise<T> {
    return this.inChrome(() => this.marionette.run<T>(body, args));
  }

  /** Like chrome(), but in the attached content page (page globals such as `browser` available). */
  async content<T = unknown>(body: string, ...args: unknown[]): Promise<T> {
    return this.inContent(() => this.marionette.run<T>(body, args));
  }

  // ---------------------------------------------------------------- add-ons

  /** Installs an unpacked add-on directory or an .xpi (temporary by default). Returns the add-on id. */
  async installAddon(pathOrXpi: string, opts: { temporary?: boolean } = {}): Promise<string> {
    return this.marionette.installAddon(path.resolve(pathOrXpi), opts.temporary ?? true);
  }

  /**
   * Addon:Uninstall. If the add-on registered calendars, Thunderbird opens the modal provider-uninstall
   * dialog and this promise only settles once it is closed: start it without awaiting, then call
   * acceptProviderUninstallDialog(), then await it.
   */
  async uninstallAddon(addonId: string): Promise<void> {
    await this.marionette.uninstallAddon(addonId);
  }

  /**
   * Accepts (or cancels) Thunderbird's modal "calendar-providerUninstall-dialog", opened when an add-on
   * that provides calendars is disabled or uninstalled. Polls until it appears. Returns the names of the
   * calendars it listed.
   */
  async acceptProviderUninstallDialog(opts: ProviderDialogOptions = {}): Promise<{ calendars: string[] }> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const r = await this.chrome<{ calendars?: string[]; pending?: boolean } | null>(
        PROVIDER_DIALOG_SCRIPT,
        !!opts.unsubscribe,
        !!opts.cancel,
      );
      if (r && r.calendars) return { calendars: r.calendars };
      if (Date.now() > deadline) throw new Error("calendar-providerUninstall-dialog did not appear");
      await sleep(100);
    }
  }

  // ---------------------------------------------------------------- extension pages

  /**
   * Reads and optionally sets Marionette's content browsing context (see CONTENT_BC_SCRIPT for why).
   * Returns the previous browsing-context id.
   */
  async contentBrowsingContext(setTo?: number | null): Promise<number | null> {
    const args = setTo === undefined ? [] : [setTo];
    return this.chrome<number | null>(CONTENT_BC_SCRIPT, ...args);
  }

  /** Browsing-context id of the newest live page of the add-on whose path ends with pathSuffix. */
  async findExtensionPage(addonId: string, pathSuffix: string): Promise<number | null> {
    const r = await this.chrome<{ id?: number | null; error?: string }>(FIND_PAGE_SCRIPT, addonId, pathSuffix);
    if (r.error) this.lastFindError = r.error;
    return r.id ?? null;
  }

  /**
   * Waits for an extension page (e.g. "/options.html", "/_generated_background_page.html"), attaches
   * Marionette's content context to it and switches to content context. Re-attach after the page is
   * reloaded/closed or after a new session.
   */
  async attachToExtensionPage(addonId: string, pathSuffix: string, opts: AttachOptions = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    this.lastFindError = undefined;
    for (;;) {
      try {
        const id = await this.findExtensionPage(addonId, pathSuffix);
        if (id !== null) {
          await this.contentBrowsingContext(id);
          await this.marionette.setContext("content");
          if (opts.readySelector) await this.marionette.findElement(opts.readySelector);
          return;
        }
      } catch (err) {
        if (!isRetryableAttachError(err)) throw err;
        lastError = err;
      }
      if (Date.now() > deadline) {
        // findExtensionPage sets it; TypeScript still narrows it to the `undefined` assigned before the loop.
        const findError = this.lastFindError as string | undefined;
        const why =
          lastError instanceof Error
            ? ` (last error: ${lastError.message})`
            : findError
              ? ` (${findError})`
              : " (no such page is open)";
        throw new Error(`Extension page ${pathSuffix} of ${addonId} not ready within ${timeoutMs} ms${why}`);
      }
      await sleep(100);
    }
  }

  /**
   * Runs fn while attached to another extension page (e.g. the background page), then re-attaches to
   * the previously attached page and restores the previous context.
   */
  async withExtensionPage<T>(addonId: string, pathSuffix: string, fn: () => Promise<T>, opts: AttachOptions = {}): Promise<T> {
    const previousContext = this.marionette.context;
    const previousBc = await this.contentBrowsingContext();
    await this.attachToExtensionPage(addonId, pathSuffix, opts);
    try {
      return await fn();
    } finally {
      if (!this.marionette.closed) {
        // The previous page may have gone away meanwhile: then leave the content context detached.
        await this.contentBrowsingContext(previousBc).catch(() => this.contentBrowsingContext(null));
        await this.marionette.setContext(previousContext);
      }
    }
  }

  /** Runs async `body` in the add-on's background page (its `browser.*` APIs available). */
  async background<T = unknown>(addonId: string, body: string, ...args: unknown[]): Promise<T> {
    const info = await this.addonPages(addonId);
    return this.withExtensionPage(addonId, info.backgroundPath, () => this.marionette.run<T>(body, args));
  }

  /** browser.storage.local.set(items) of the add-on, done from its background page. */
  async setStorageLocal(addonId: string, items: Record<string, unknown>): Promise<void> {
    await this.background(addonId, "await browser.storage.local.set(args[0]); return true;", items);
  }

  /** browser.storage.local.get(keys) of the add-on, done from its background page. */
  async getStorageLocal<T = Record<string, unknown>>(addonId: string, keys: string | string[] | null = null): Promise<T> {
    return this.background<T>(addonId, "return await browser.storage.local.get(args[0]);", keys);
  }

  private async addonPages(addonId: string): Promise<{ optionsPath: string | null; openInTab: boolean; backgroundPath: string }> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const info = await this.chrome<{ optionsPath: string | null; openInTab: boolean; backgroundPath: string } | null>(
        OPTIONS_INFO_SCRIPT,
        addonId,
      );
      if (info) return info;
      if (Date.now() > deadline) throw new Error(`Add-on ${addonId} is not installed/running`);
      await sleep(100);
    }
  }

  /**
   * Opens the add-on's options page and attaches the content context to it; resolves once
   * readySelector (default 'body[data-ready="true"]') exists. The Marionette context is "content"
   * afterwards.
   */
  async openOptionsPage(addonId: string, opts: OpenOptionsPageOptions = {}): Promise<void> {
    const info = await this.addonPages(addonId);
    if (!info.optionsPath) throw new Error(`Add-on ${addonId} has no options_ui.page`);
    if ((opts.route ?? "addons-manager") === "background") {
      await this.background(addonId, "await browser.runtime.openOptionsPage(); return true;");
    } else {
      await this.chrome(OPEN_OPTIONS_SCRIPT, addonId);
    }
    await this.attachToExtensionPage(addonId, info.optionsPath, {
      timeoutMs: opts.timeoutMs ?? 15_000,
      readySelector: opts.readySelector === undefined ? 'body[data-ready="true"]' : opts.readySelector,
    });
  }

  // ---------------------------------------------------------------- misc

  /** PNG screenshot of the current context's page/window (or one element) to `file`. */
  async screenshot(file: string, el?: ElementRef): Promise<string> {
    const png = await this.marionette.takeScreenshot(el);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, png);
    return file;
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

function keepFiles(opts: LaunchOptions): boolean {
  return !!opts.keepFiles || !!process.env.TB_E2E_KEEP;
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
