/**
 * The one place that talks HTTP to BlueMind. It speaks BlueMind's REST conventions
 * (X-BM-ApiKey header, JSON bodies, single strings as JSON string literals, fault bodies
 * {errorCode, errorType, message}) and turns every failure into a BlueMindError kind.
 * It runs unchanged in Node (tests) and in Thunderbird's background page.
 */

import { BlueMindError } from "./errors";
import type { ServerFault } from "./types";

export type ConnectionDiagnosis = "tls" | "unreachable" | "ok";

export interface TransportOptions {
  /** Server origin, e.g. https://bluemind.example.com */
  origin: string;
  apiKey?: string | null;
  timeoutMs?: number;
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
    const url = new URL(path, this.origin);
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
      throw await this.networkError(url, error);
    } finally {
      clearTimeout(timer);
    }

    if (!response.ok) {
      throw faultError(response.status, text, `${method} ${url.pathname}`);
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
      throw new BlueMindError("notBlueMind", `${method} ${url.pathname}: answer is not JSON`, { status: response.status, cause: error });
    }
  }

  private async networkError(url: URL, error: unknown): Promise<BlueMindError> {
    if (error instanceof Error && error.name === "AbortError") {
      return new BlueMindError("timeout", `${url.origin} did not answer in time`, { cause: error });
    }
    const detail = error instanceof Error ? error.message : String(error);
    if (looksLikeTlsFailure(error)) {
      return new BlueMindError("tls", `${url.origin}: ${detail}`, { cause: error });
    }
    if (this.options.diagnose) {
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
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const text = `${String(cause?.code ?? "")} ${String(cause?.message ?? "")}`;
  return /CERT|SSL|TLS|self[- ]signed|EPROTO/i.test(text);
}

function isFault(value: unknown): value is ServerFault {
  return typeof value === "object" && value !== null && typeof (value as ServerFault).errorCode === "string";
}

function faultError(status: number, text: string, what: string): BlueMindError {
  let fault: ServerFault | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    fault = isFault(parsed) ? parsed : null;
  } catch {
    fault = null;
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
  return new BlueMindError("server", detail, options);
}
