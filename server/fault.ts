/**
 * BlueMind's ServerFault as a JS error. Handlers throw these; http.ts turns them into the
 * `{errorCode, errorType, message}` body with BlueMind's status mapping (JsonObjectCodec:
 * PERMISSION_DENIED 403, NOT_FOUND 404, invalid session 401, everything else 500).
 */

export type ErrorCode =
  | "UNKNOWN"
  | "PERMISSION_DENIED"
  | "NOT_FOUND"
  | "AUTHENTICATION_FAIL"
  | "ALREADY_EXISTS"
  | "INVALID_PARAMETER"
  | "FORBIDDEN"
  | "EVENT_ERROR"
  | "NO_EVENT_DATE"
  | "EMPTY_EVENT_TITLE"
  | "EVENT_ENDREPEAT_PRIOR_TO_EVENT_DATE"
  | "EMPTY_EVENT_ATTACHMENT_VALUE"
  | "EVENT_ACCEPTS_NO_COUNTERS"
  | "MULTIPLE_EVENT_COUNTERS";

export class Fault extends Error {
  constructor(
    message: string,
    readonly errorCode: ErrorCode = "UNKNOWN",
    /** Only for statuses BlueMind does not derive from the code (401 invalid session, 400 bad JSON). */
    readonly statusOverride?: number,
  ) {
    super(message);
  }

  get status(): number {
    if (this.statusOverride) return this.statusOverride;
    if (this.errorCode === "PERMISSION_DENIED") return 403;
    if (this.errorCode === "NOT_FOUND") return 404;
    if (this.errorCode === "AUTHENTICATION_FAIL") return 401;
    return 500;
  }

  get body(): { errorCode: string; errorType: string; message: string } {
    return { errorCode: this.errorCode, errorType: "ServerFault", message: this.message };
  }
}

export const notFound = (message: string): Fault => new Fault(message, "NOT_FOUND");
export const denied = (message: string): Fault => new Fault(message, "PERMISSION_DENIED");
