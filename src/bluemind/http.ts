/**
 * The one place that talks HTTP to BlueMind. It speaks BlueMind's REST conventions
 * (X-BM-ApiKey header, JSON bodies, single strings as JSON string literals, fault bodies
 * {errorCode, errorType, message}) and turns every failure into a BlueMindError kind.
 * It runs unchanged in Node (tests) and in Thunderbird's background page.
 */

import { BlueMindError } from "./errors";
import type { ServerFault } from "./types";

export type ConnectionDiagnosis = "tls" | "unreachable" | "ok";

/**
 * How a failed request is tried again: only for failures that say nothing about the request
 * (a 5xx, a cut connection, a damaged answer), a few times, waiting longer each time, and never
 * sooner than the server's Retry-After. A timeout is not retried here: it already cost a long
 * wait; the poller tries again later.
 */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** Wait before the first retry; doubled for each further one, with ±20 % jitter. */
  baseDelayMs: number;
  /** A Retry-After longer than this is not waited for inside the request: the error carries it. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1_000, maxWaitMs: 10_000 };

export interface TransportOptions {
  /** Server origin, e.g. https://bluemind.example.com */
  origin: string;
  apiKey?: string | null;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Tells a TLS failure from an unreachable host when fetch cannot (Thunderbird). */
  diagnose?: (url: string) => Promise<ConnectionDiagnosis>;
}

export interface CallOptions {
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** Return the response text instead of parsing JSON (ICS export). */
  text?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Encodes each path segment: BlueMind decodes '+' as a space, so encodeURIComponent is required. */
export function apiPath(...segments: string[]): string {
  return `/api/${segments.map(encodeURIComponent).join("/")}`;
}

export class BlueMindHttp {
  readonly origin: string;
  private readonly options: TransportOptions;

  constructor(options: TransportOptions) {
    this.options = options;
    this.origin = options.origin;
  }

  /** Same server, another key (a session key or a permanent API key). */
  withKey(apiKey: string | null): BlueMindHttp {
    return new BlueMindHttp({ ...this.options, apiKey });
  }

  get hasKey(): boolean {
    return !!this.options.apiKey;
  }

  async call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const retry = this.options.retry ?? DEFAULT_RETRY;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const random = this.options.random ?? Math.random;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt<T>(method, path, options, attempt === 1);
      } catch (error) {
        if (!(error instanceof RetryableError)) {
          throw error;
        }
        const backoff = retry.baseDelayMs * 2 ** (attempt - 1) * (0.8 + 0.4 * random());
        const wait = Math.max(backoff, error.cause.retryAfterMs ?? 0);
        if (attempt >= retry.attempts || wait > retry.maxWaitMs || isOfflineMode()) {
          throw error.cause;
        }
        await sleep(wait);
      }
    }
  }

  /** One request; `probe`: tell TLS from unreachable on a network failure (first attempt only, one probe per call). */
  private async attempt<T>(method: string, path: string, options: CallOptions, probe: boolean): Promise<T> {
    const url = new URL(path, this.origin);
    if (isOfflineMode()) {
      // "Work offline" in Thunderbird: not a single request, even to a server on this machine.
      throw new BlueMindError("unreachable", `${url.origin}: Thunderbird is offline`);
    }
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null) {
        url.searchParams.set(name, String(value));
      }
    }
    const headers: Record<string, string> = { Accept: options.text ? "text/calendar, */*" : "application/json" };
    if (this.options.apiKey) {
      headers["X-BM-ApiKey"] = this.options.apiKey;
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, headers, body, signal: controller.signal, credentials: "omit", redirect: "error" });
      text = await response.text();
    } catch (error) {
      const failure = await this.networkError(url, error, probe);
      // A connection cut or refused may work on the next attempt; a timeout or TLS will not.
      throw failure.kind === "unreachable" ? new RetryableError(failure) : failure;
    } finally {
      clearTimeout(timer);
    }

    if (!response.ok) {
      const failure = faultError(response, text, `${method} ${url.pathname}`);
      throw failure.kind === "server" || failure.kind === "unavailable" ? new RetryableError(failure) : failure;
    }
    if (options.text) {
      return text as T;
    }
    if (text === "") {
      return undefined as T;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      if (/json/i.test(response.headers.get("Content-Type") ?? "")) {
        // Announced as JSON but cut or damaged on the way: try again.
        throw new RetryableError(
          new BlueMindError("malformed", `${method} ${url.pathname}: damaged JSON answer`, { status: response.status, cause: error }),
        );
      }
      throw new BlueMindError("notBlueMind", `${method} ${url.pathname}: answer is not JSON`, { status: response.status, cause: error });
    }
  }

  private async networkError(url: URL, error: unknown, probe: boolean): Promise<BlueMindError> {
    if (error instanceof Error && error.name === "AbortError") {
      return new BlueMindError("timeout", `${url.origin} did not answer in time`, { cause: error });
    }
    const detail = error instanceof Error ? error.message : String(error);
    if (looksLikeTlsFailure(error)) {
      return new BlueMindError("tls", `${url.origin}: ${detail}`, { cause: error });
    }
    if (this.options.diagnose && probe) {
      const diagnosis = await this.options.diagnose(url.origin + "/").catch(() => "unreachable" as const);
      if (diagnosis === "tls") {
        return new BlueMindError("tls", `${url.origin}: certificate or TLS failure`, { cause: error });
      }
    }
    return new BlueMindError("unreachable", `${url.origin}: ${detail}`, { cause: error });
  }
}

/** Node's fetch exposes the TLS cause; Thunderbird's does not (see TransportOptions.diagnose). */
function looksLikeTlsFailure(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const text = `${String(cause?.code ?? "")} ${String(cause?.message ?? "")}`;
  return /CERT|SSL|TLS|self[- ]signed|EPROTO/i.test(text);
}

/** Thunderbird is in offline mode: no request can work, retrying would only delay the answer. */
function isOfflineMode(): boolean {
  return typeof navigator !== "undefined" && navigator.onLine === false;
}

/** An attempt that failed in a way worth trying again. */
class RetryableError extends Error {
  constructor(override readonly cause: BlueMindError) {
    super(cause.message);
  }
}

/**
 * Retry-After in milliseconds: delta-seconds, or an HTTP date read against the server's own
 * Date header (the two clocks may differ by hours; only the server's difference counts).
 */
export function retryAfterMs(response: Pick<Response, "headers">, clientNow = Date.now()): number | null {
  const value = response.headers.get("Retry-After")?.trim();
  if (!value) {
    return null;
  }
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000;
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) {
    return null;
  }
  const serverNow = Date.parse(response.headers.get("Date") ?? "");
  return Math.max(0, at - (Number.isNaN(serverNow) ? clientNow : serverNow));
}

function isFault(value: unknown): value is ServerFault {
  return typeof value === "object" && value !== null && typeof (value as ServerFault).errorCode === "string";
}

function faultError(response: Response, text: string, what: string): BlueMindError {
  const status = response.status;
  if (status === 502 || status === 503 || status === 504) {
    // The proxy in front of BlueMind, or BlueMind starting up or overloaded.
    return new BlueMindError("unavailable", `${what}: HTTP ${status}`, { status, retryAfterMs: retryAfterMs(response) });
  }
  let fault: ServerFault | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    fault = isFault(parsed) ? parsed : null;
  } catch {
    fault = null;
  }
  if (!fault && status >= 500) {
    return new BlueMindError("server", `${what}: HTTP ${status}`, { status });
  }
  if (!fault) {
    // A 404 page, a proxy's HTML, a login portal: not BlueMind's REST API.
    return new BlueMindError("notBlueMind", `${what}: HTTP ${status} without a BlueMind fault`, { status });
  }
  const detail = `${what}: ${fault.errorCode}: ${fault.message}`;
  const options = { status, errorCode: fault.errorCode };
  if (status === 401 || fault.errorCode === "AUTHENTICATION_FAIL") {
    return new BlueMindError("keyRevoked", detail, options);
  }
  if (status === 403 || fault.errorCode === "PERMISSION_DENIED") {
    return new BlueMindError("permissionDenied", detail, options);
  }
  if (fault.errorCode === "NOT_FOUND") {
    return new BlueMindError("notFound", detail, options);
  }
  if (status >= 500 && (fault.errorCode === "UNKNOWN" || fault.errorCode === "TIMEOUT" || fault.errorCode === "SQL_ERROR")) {
    // An internal failure (BlueMind's default errorCode), not a verdict on the request.
    return new BlueMindError("server", detail, options);
  }
  return new BlueMindError("refused", detail, options);
}
