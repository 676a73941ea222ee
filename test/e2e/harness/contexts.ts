/**
 * The base of the Thunderbird handle: Marionette's two contexts (privileged chrome, or the attached
 * content page), switching between them, running a script in either, and screenshots of them.
 */
import fs from "node:fs";
import path from "node:path";
import type { ElementRef, Marionette, MarionetteContext } from "./marionette";

export class ThunderbirdContexts {
  constructor(readonly marionette: Marionette) {}

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

  /** PNG screenshot of the current context's page/window (or one element) to `file`. */
  async screenshot(file: string, el?: ElementRef): Promise<string> {
    const png = await this.marionette.takeScreenshot(el);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, png);
    return file;
  }
}
