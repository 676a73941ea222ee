/**
 * The add-on's own pages (options, background, tabs): finding the page's browsing context and
 * attaching Marionette's content context to it (Thunderbird tabs are invisible to Marionette),
 * running code in the background page, opening the options page.
 */
import { ThunderbirdAddons } from "./addons";
import { MarionetteError } from "./marionette";
import { sleep } from "./wait";

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

export class ThunderbirdPages extends ThunderbirdAddons {
  private lastFindError: string | undefined;

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
          lastError instanceof Error ? ` (last error: ${lastError.message})` : findError ? ` (${findError})` : " (no such page is open)";
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
}
