/**
 * Every failure the BlueMind client can report, as a small closed set of kinds. Each kind has
 * a message key `error_<kind>` in _locales, so the user reads it in their own language; the
 * server's own message is kept as detail for the log and the status line.
 */

export type BlueMindErrorKind =
  | "invalidUrl"
  | "insecureUrl"
  | "badCredentials"
  | "passwordExpired"
  | "unreachable"
  | "tls"
  | "timeout"
  | "notBlueMind"
  | "keyRevoked"
  | "permissionDenied"
  | "notFound"
  | "pendingEdits"
  | "unavailable"
  | "malformed"
  | "refused"
  | "serverLocked"
  | "apiKeyMalformed"
  | "apiKeyUnknown"
  | "noCalendarRole"
  | "loginWindowClosed"
  | "loginTimedOut"
  | "server";

/**
 * Failures that say nothing about the request itself: the same request may work later. An
 * edit failing so stays in Thunderbird's offline journal; a toggle failing so is queued.
 */
const TRANSIENT_KINDS: ReadonlySet<BlueMindErrorKind> = new Set<BlueMindErrorKind>([
  "unreachable",
  "timeout",
  "unavailable",
  "malformed",
  "server",
]);

export function isTransient(error: unknown): boolean {
  return error instanceof BlueMindError && TRANSIENT_KINDS.has(error.kind);
}

export class BlueMindError extends Error {
  readonly kind: BlueMindErrorKind;
  readonly status: number | null;
  readonly errorCode: string | null;
  /** The server asked not to be called again before this many milliseconds (Retry-After). */
  readonly retryAfterMs: number | null;

  constructor(
    kind: BlueMindErrorKind,
    detail: string,
    options: { status?: number; errorCode?: string | null; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BlueMindError";
    this.kind = kind;
    this.status = options.status ?? null;
    this.errorCode = options.errorCode ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** Serialisable form, for messages between the background and the options page. */
export interface ErrorReport {
  kind: BlueMindErrorKind | "unexpected";
  detail: string;
}

export function toErrorReport(error: unknown): ErrorReport {
  if (error instanceof BlueMindError) {
    return { kind: error.kind, detail: error.message };
  }
  return { kind: "unexpected", detail: error instanceof Error ? error.message : String(error) };
}
