/**
 * The fault-injection control of the reference server, for tests only (never reachable over
 * HTTP): a test arms a rule, and the next matching requests fail the way a real BlueMind
 * behind its nginx fails — a 500 ServerFault, nginx's 503 page with Retry-After, a request
 * that never gets an answer, a connection cut in the middle of the body, a 200 whose JSON is
 * truncated, a 401 or a 403 ServerFault. Data faults (a calendar deleted, a subscription
 * removed, rights removed) are plain state changes and live in store.ts; the clock offset is
 * `ServerState.clockOffsetMs`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export type InjectedFaultKind = "http500" | "http503" | "hang" | "resetMidBody" | "malformedJson" | "http401" | "http403";

export interface FaultRule {
  kind: InjectedFaultKind;
  /** Only requests whose decoded path contains this text (default: every /api request). */
  pathContains?: string;
  /** Only this method (default: any). */
  method?: string;
  /** How many matching requests fail (default: all of them until cleared). */
  times?: number;
  /** Let this many matching requests through before failing any (default 0). */
  after?: number;
  /** For http503: the Retry-After header, in seconds or as an HTTP date (default "1"). */
  retryAfter?: string;
}

export interface ArmedFault extends FaultRule {
  /** Matching requests that were failed so far. */
  hits: number;
  /** Matching requests let through so far (see `after`). */
  passed: number;
}

export class FaultInjector {
  private rules: ArmedFault[] = [];
  private readonly hanging = new Set<ServerResponse>();

  /** Arms a rule; the returned object counts its hits. */
  arm(rule: FaultRule): ArmedFault {
    const armed: ArmedFault = { ...rule, hits: 0, passed: 0 };
    this.rules.push(armed);
    return armed;
  }

  /** Disarms every rule and lets go of the requests left hanging (their sockets are closed). */
  clear(): void {
    this.rules = [];
    for (const res of this.hanging) {
      res.socket?.destroy();
    }
    this.hanging.clear();
  }

  /** The rule that takes this request, counting the hit; null to serve it normally. */
  take(method: string, path: string): ArmedFault | null {
    if (!path.startsWith("/api/")) {
      return null;
    }
    const rule = this.rules.find(
      (r) =>
        (r.method === undefined || r.method.toUpperCase() === method) &&
        (r.pathContains === undefined || path.includes(r.pathContains)) &&
        (r.times === undefined || r.hits < r.times),
    );
    if (rule && rule.passed < (rule.after ?? 0)) {
      rule.passed++;
      return null;
    }
    if (rule) {
      rule.hits++;
    }
    return rule ?? null;
  }

  /**
   * Answers a request the rule takes before the handler runs; false when the rule needs the
   * real answer first (resetMidBody and malformedJson damage it, see `damage`).
   */
  answerEarly(rule: ArmedFault, req: IncomingMessage, res: ServerResponse, dateHeader: string): boolean {
    const fault = (status: number, errorCode: string, message: string): void => {
      const body = JSON.stringify({ errorCode, errorType: "ServerFault", message });
      res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), Date: dateHeader });
      res.end(body);
    };
    switch (rule.kind) {
      case "http500":
        fault(500, "UNKNOWN", "injected: java.lang.NullPointerException");
        return true;
      case "http401":
        fault(401, "AUTHENTICATION_FAIL", "Invalid credentials");
        return true;
      case "http403":
        fault(403, "PERMISSION_DENIED", "injected: no right on this container");
        return true;
      case "http503": {
        const page =
          "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>\n";
        res.writeHead(503, {
          "Content-Type": "text/html",
          "Content-Length": Buffer.byteLength(page),
          "Retry-After": rule.retryAfter ?? "1",
          Date: dateHeader,
        });
        res.end(page);
        return true;
      }
      case "hang":
        // Never answered: the client's timeout has to notice. The socket is closed on clear().
        this.hanging.add(res);
        req.on("close", () => this.hanging.delete(res));
        return true;
      default:
        return false;
    }
  }

  /**
   * Sends a damaged copy of the real answer: cut in the middle, or truncated JSON. An answer
   * without a body (void, 204) has no middle to cut: false, the caller sends it unharmed and
   * the hit is not counted.
   */
  damage(rule: ArmedFault, res: ServerResponse, status: number, body: string, dateHeader: string): boolean {
    if (body === "") {
      rule.hits--;
      return false;
    }
    const half = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    if (rule.kind === "malformedJson") {
      // Truncated, plus a stray byte, so even a short answer ("12") is no longer JSON.
      const damaged = `${half}\u0000`;
      res.writeHead(status === 204 ? 200 : status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(damaged),
        Date: dateHeader,
      });
      res.end(damaged);
      return true;
    }
    // resetMidBody: announce the whole length, send half, then cut the connection.
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) + 1, Date: dateHeader });
    res.write(half, () => res.socket?.destroy());
    return true;
  }
}
