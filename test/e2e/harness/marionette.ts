/**
 * Minimal Marionette client: the WebDriver commands the harness uses (session, context, scripts,
 * add-ons, elements, screenshots) over ./marionette-wire.ts.
 *
 * Why: geckodriver is not packaged for Debian and the npm Marionette clients are obsolete, while the
 * wire protocol is tiny. Thunderbird-specific tricks (attaching the content context to an extension page, ...) live in
 * ./thunderbird.ts; this module only speaks the protocol. No dependencies beyond node:net.
 */
import type net from "node:net";
import { connectWire, MarionetteWire } from "./marionette-wire";

export { MarionetteError, type SendOptions } from "./marionette-wire";

/** Marionette context: privileged chrome window sandbox, or the (attached) content page. */
export type MarionetteContext = "chrome" | "content";

/** Element locator strategies understood by WebDriver:FindElement. */
export type LocatorStrategy = "css selector" | "xpath" | "link text" | "partial link text" | "tag name";

const WEB_ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
const REFERENCE_KEYS = [
  WEB_ELEMENT_KEY,
  "shadow-6066-11e4-a52e-4f735466cecf",
  "frame-075b-4da1-b6ba-e579c2d3230a",
  "window-fcc6-11e5-b4f8-330a88ab9d7f",
] as const;

/**
 * Reference to a DOM element living in Thunderbird. Serialises (JSON) back to the WebDriver
 * reference, so it can be passed as an argument to execute()/run() and arrives there as the element.
 */
export class ElementRef {
  constructor(
    readonly id: string,
    readonly raw: Record<string, string>,
  ) {}

  toJSON(): Record<string, string> {
    return this.raw;
  }

  static from(value: unknown): ElementRef {
    if (value && typeof value === "object") {
      const obj = value as Record<string, unknown>;
      for (const key of REFERENCE_KEYS) {
        const id = obj[key];
        if (typeof id === "string") return new ElementRef(id, { [key]: id });
      }
    }
    throw new Error(`Not a WebDriver element reference: ${JSON.stringify(value)}`);
  }
}

export interface ExecuteOptions {
  /** Named sandbox (content context only); scripts sharing a sandbox share globals. */
  sandbox?: string;
  newSandbox?: boolean;
  /** Overrides the session script timeout for this call (ms); Marionette default is 30 s. */
  scriptTimeoutMs?: number;
}

export interface Timeouts {
  implicit?: number;
  pageLoad?: number;
  script?: number | null;
}

export interface FindOptions {
  /** Default "css selector". */
  using?: LocatorStrategy;
  /** Search inside this element. */
  from?: ElementRef;
  /** Implicit wait for this call only (ms); default: the session's implicit timeout. */
  timeoutMs?: number;
}

export interface SessionInfo {
  sessionId: string;
  capabilities: Record<string, unknown>;
}

export class Marionette extends MarionetteWire {
  private currentContext: MarionetteContext = "content";
  private implicitMs = 0; // WebDriver default

  private constructor(socket: net.Socket) {
    super(socket);
  }

  /** Connects and waits for the server hello. Retries ECONNREFUSED until timeoutMs. */
  static connect(port: number, host = "127.0.0.1", timeoutMs = 10_000): Promise<Marionette> {
    return connectWire((socket) => new Marionette(socket), port, host, timeoutMs);
  }

  /** The context last set through setContext() (Marionette's own default is "content"). */
  get context(): MarionetteContext {
    return this.currentContext;
  }

  // ---------------------------------------------------------------- session / context

  async newSession(capabilities: Record<string, unknown> = {}): Promise<SessionInfo> {
    const result = await this.send<SessionInfo>("WebDriver:NewSession", { capabilities });
    // A new session starts in content context with default timeouts.
    this.currentContext = "content";
    const implicit = (result.capabilities.timeouts as { implicit?: unknown } | undefined)?.implicit;
    this.implicitMs = typeof implicit === "number" ? implicit : 0;
    return result;
  }

  async setContext(context: MarionetteContext): Promise<void> {
    await this.send("Marionette:SetContext", { value: context });
    this.currentContext = context;
  }

  async getContext(): Promise<MarionetteContext> {
    return this.command<MarionetteContext>("Marionette:GetContext");
  }

  /** Session-wide; `implicit` also applies to chrome-context FindElement. */
  async setTimeouts(timeouts: Timeouts): Promise<void> {
    await this.send("WebDriver:SetTimeouts", { ...timeouts });
    if (timeouts.implicit !== undefined) this.implicitMs = timeouts.implicit;
  }

  async getTimeouts(): Promise<Required<Timeouts>> {
    return this.send<Required<Timeouts>>("WebDriver:GetTimeouts");
  }

  // ---------------------------------------------------------------- scripts

  /**
   * WebDriver:ExecuteScript in the current context. `script` is a function body (use `arguments[i]`
   * or `return`); a returned Promise is awaited by Marionette. Element references in args/results
   * are passed through as JSON (wrap results with ElementRef.from()).
   */
  async execute<T = unknown>(script: string, args: unknown[] = [], opts: ExecuteOptions = {}): Promise<T> {
    const params: Record<string, unknown> = { script, args };
    if (opts.sandbox !== undefined) params.sandbox = opts.sandbox;
    if (opts.newSandbox !== undefined) params.newSandbox = opts.newSandbox;
    if (opts.scriptTimeoutMs !== undefined) params.scriptTimeout = opts.scriptTimeoutMs;
    return this.command<T>("WebDriver:ExecuteScript", params);
  }

  /**
   * Runs `body` inside an async arrow function, so it may use `await`; the arguments are available
   * as `args` (array). Marionette wraps scripts in a non-async function, hence this IIFE.
   */
  async run<T = unknown>(body: string, args: unknown[] = [], opts: ExecuteOptions = {}): Promise<T> {
    return this.execute<T>(`return (async (...args) => {\n${body}\n})(...arguments);`, args, opts);
  }

  // ---------------------------------------------------------------- add-ons

  /** Addon:Install; `path` must be absolute (unpacked directory or .xpi). Returns the add-on id. */
  async installAddon(path: string, temporary = true): Promise<string> {
    return this.command<string>("Addon:Install", { path, temporary });
  }

  async installAddonBase64(xpiBase64: string, temporary = true): Promise<string> {
    return this.command<string>("Addon:Install", { addon: xpiBase64, temporary });
  }

  async uninstallAddon(id: string): Promise<void> {
    await this.send("Addon:Uninstall", { id });
  }

  // ---------------------------------------------------------------- elements

  /**
   * Finds one element (CSS selector by default). Waits up to the session's implicit timeout (set by
   * setTimeouts; the Thunderbird launcher sets 5 s), or up to `timeoutMs` for this call only.
   * Throws MarionetteError "no such element" when nothing matches in time.
   */
  async findElement(selector: string, opts: FindOptions = {}): Promise<ElementRef> {
    const params: Record<string, unknown> = { using: opts.using ?? "css selector", value: selector };
    if (opts.from) params.element = opts.from.id;
    return ElementRef.from(await this.withImplicit(opts.timeoutMs, () => this.command("WebDriver:FindElement", params)));
  }

  /** Finds all matching elements (waits up to the implicit timeout for at least one; [] if none). */
  async findElements(selector: string, opts: FindOptions = {}): Promise<ElementRef[]> {
    const params: Record<string, unknown> = { using: opts.using ?? "css selector", value: selector };
    if (opts.from) params.element = opts.from.id;
    // FindElements is one of the legacy commands whose result is not wrapped in {value}.
    const list = await this.withImplicit(opts.timeoutMs, () => this.send<unknown[]>("WebDriver:FindElements", params));
    return list.map((v) => ElementRef.from(v));
  }

  private async withImplicit<T>(timeoutMs: number | undefined, fn: () => Promise<T>): Promise<T> {
    if (timeoutMs === undefined || timeoutMs === this.implicitMs) return fn();
    const previous = this.implicitMs;
    await this.setTimeouts({ implicit: timeoutMs });
    try {
      return await fn();
    } finally {
      if (!this.closed) await this.setTimeouts({ implicit: previous });
    }
  }

  async sendKeys(el: ElementRef, text: string): Promise<void> {
    await this.send("WebDriver:ElementSendKeys", { id: el.id, text });
  }

  async clear(el: ElementRef): Promise<void> {
    await this.send("WebDriver:ElementClear", { id: el.id });
  }

  async click(el: ElementRef): Promise<void> {
    await this.send("WebDriver:ElementClick", { id: el.id });
  }

  async getText(el: ElementRef): Promise<string> {
    return this.command<string>("WebDriver:GetElementText", { id: el.id });
  }

  async getAttribute(el: ElementRef, name: string): Promise<string | null> {
    return this.command<string | null>("WebDriver:GetElementAttribute", { id: el.id, name });
  }

  async getProperty<T = unknown>(el: ElementRef, name: string): Promise<T> {
    return this.command<T>("WebDriver:GetElementProperty", { id: el.id, name });
  }

  async isSelected(el: ElementRef): Promise<boolean> {
    return this.command<boolean>("WebDriver:IsElementSelected", { id: el.id });
  }

  async isEnabled(el: ElementRef): Promise<boolean> {
    return this.command<boolean>("WebDriver:IsElementEnabled", { id: el.id });
  }

  async isDisplayed(el: ElementRef): Promise<boolean> {
    return this.command<boolean>("WebDriver:IsElementDisplayed", { id: el.id });
  }

  async getComputedRole(el: ElementRef): Promise<string> {
    return this.command<string>("WebDriver:GetComputedRole", { id: el.id });
  }

  async getComputedLabel(el: ElementRef): Promise<string> {
    return this.command<string>("WebDriver:GetComputedLabel", { id: el.id });
  }

  async getPageSource(): Promise<string> {
    return this.command<string>("WebDriver:GetPageSource");
  }

  /** PNG screenshot (of the element, or the whole page/window), as a Buffer. */
  async takeScreenshot(el?: ElementRef): Promise<Buffer> {
    const params: Record<string, unknown> = el ? { id: el.id } : {};
    const b64 = await this.command<string>("WebDriver:TakeScreenshot", params);
    return Buffer.from(b64, "base64");
  }
}
