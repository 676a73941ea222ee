/**
 * HTTP plumbing in BlueMind's style: a tree-like router (literal segments win over
 * `{params}`), Netty-style path decoding (`+` is a space), JSON bodies, and replies where
 * void is 200 with an empty body, null is 204, and faults are `{errorCode, errorType, message}`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Fault } from "./fault";
import type { Caller } from "./model";
import type { ServerState } from "./store";

export interface Ctx {
  state: ServerState;
  method: string;
  /** Decoded path, e.g. /api/calendars/calendar:Default:x/_changeset. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  rawBody: string;
  caller: Caller | null;
  headers: IncomingMessage["headers"];
}

/** A non-JSON reply (ICS export). */
export class RawReply {
  constructor(
    readonly body: string,
    readonly contentType: string,
    readonly status = 200,
  ) {}
}

export type Handler = (ctx: Ctx) => unknown;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  /** Body left unparsed (not JSON). */
  raw: boolean;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, opts: { raw?: boolean } = {}): void {
    this.routes.push({ method, segments: pattern.split("/").filter(Boolean), handler, raw: opts.raw ?? false });
  }

  get(p: string, h: Handler): void {
    this.add("GET", p, h);
  }
  post(p: string, h: Handler): void {
    this.add("POST", p, h);
  }
  put(p: string, h: Handler): void {
    this.add("PUT", p, h);
  }
  delete(p: string, h: Handler): void {
    this.add("DELETE", p, h);
  }

  /** Literal segments are preferred over parameters at every level (BlueMind's TreePathNode). */
  match(method: string, segs: string[]): { route: Route; params: Record<string, string> } | null {
    const candidates = this.routes.filter((r) => r.method === method && r.segments.length === segs.length);
    const score = (r: Route): number[] => r.segments.map((s) => (s.startsWith("{") ? 1 : 0));
    const ok = candidates.filter((r) => r.segments.every((s, i) => s.startsWith("{") || s === segs[i]));
    ok.sort((a, b) => {
      const sa = score(a);
      const sb = score(b);
      for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i]! - sb[i]!;
      return 0;
    });
    const route = ok[0];
    if (!route) return null;
    const params: Record<string, string> = {};
    route.segments.forEach((s, i) => {
      if (s.startsWith("{")) params[s.slice(1, -1)] = segs[i]!;
    });
    return { route, params };
  }
}

/** Netty QueryStringDecoder.decodeComponent: `+` becomes a space, then percent-decoding. */
export function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw new Fault(`invalid path segment ${s}`, "INVALID_PARAMETER", 400);
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === "") return null;
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new Fault(`Cannot convert ${raw.slice(0, 80)} to JSON: ${(e as Error).message}`, "INVALID_PARAMETER", 400);
  }
}

export function sendFault(res: ServerResponse, f: Fault): void {
  const body = JSON.stringify(f.body);
  res.writeHead(f.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** What a handler's result is sent as: void is 200 with an empty body, null is 204. */
export function renderResult(result: unknown): { status: number; contentType: string | null; body: string } {
  if (result instanceof RawReply) {
    return { status: result.status, contentType: result.contentType, body: result.body };
  }
  if (result === undefined) {
    return { status: 200, contentType: "application/json", body: "" };
  }
  if (result === null) {
    return { status: 204, contentType: null, body: "" };
  }
  return { status: 200, contentType: "application/json", body: JSON.stringify(result) };
}

export function sendResult(res: ServerResponse, result: unknown): number {
  const { status, contentType, body } = renderResult(result);
  if (contentType === null) {
    res.writeHead(status);
    res.end();
    return status;
  }
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
  return status;
}

// ---- small request helpers shared by the route modules ----

export function requireCaller(ctx: Ctx): Caller {
  if (!ctx.caller) throw new Fault("not authorized call", "PERMISSION_DENIED");
  return ctx.caller;
}

export function bodyArray<T>(ctx: Ctx): T[] {
  if (ctx.body == null) return [];
  if (!Array.isArray(ctx.body)) throw new Fault("body must be a JSON array", "INVALID_PARAMETER", 400);
  return ctx.body as T[];
}

export function bodyObject<T extends object>(ctx: Ctx): T {
  if (ctx.body == null || typeof ctx.body !== "object" || Array.isArray(ctx.body)) {
    throw new Fault("body must be a JSON object", "INVALID_PARAMETER", 400);
  }
  return ctx.body as T;
}

export function bodyString(ctx: Ctx): string {
  if (typeof ctx.body !== "string") throw new Fault("body must be a JSON string", "INVALID_PARAMETER", 400);
  return ctx.body;
}

export function queryLong(ctx: Ctx, name: string, dflt = 0): number {
  const v = ctx.query.get(name);
  if (v == null || v === "") return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Fault(`invalid ${name}: ${v}`, "INVALID_PARAMETER", 400);
  return n;
}
