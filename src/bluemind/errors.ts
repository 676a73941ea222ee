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
  | "serverLocked"
  | "server";

export class BlueMindError extends Error {
  readonly kind: BlueMindErrorKind;
  readonly status: number | null;
  readonly errorCode: string | null;

  constructor(kind: BlueMindErrorKind, detail: string, options: { status?: number; errorCode?: string | null; cause?: unknown } = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BlueMindError";
    this.kind = kind;
    this.status = options.status ?? null;
    this.errorCode = options.errorCode ?? null;
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
