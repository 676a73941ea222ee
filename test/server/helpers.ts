/**
 * Shared plumbing for the reference-server conformance tests: start a server on a free
 * port over a fixed-anchor demo state, log in, and call the API over loopback HTTP with
 * fetch, returning status, headers, raw text and parsed JSON.
 */
import { startServer, type RunningServer } from "../../server/app";
import { demoState } from "../../server/demo-data";

/** Fixed anchor (Wed 26 March 2025, noon UTC): the week before the Paris DST switch. */
export const ANCHOR = Date.UTC(2025, 2, 26, 12, 0, 0);

/** A JSON answer as the server sends it: the tests read it untyped and check its shape themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped on purpose, like the test rules for no-unsafe-* in eslint.config.mjs
type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export const enc = encodeURIComponent;

export async function start(): Promise<RunningServer> {
  return startServer({ port: 0, state: demoState({ now: ANCHOR }) });
}

export function client(server: RunningServer) {
  async function call<T = Json>(method: string, path: string, body?: unknown, key?: string | null): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (key) headers["X-BM-ApiKey"] = key;
    const res = await fetch(server.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" && body.startsWith("RAW:") ? body.slice(4) : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text && (res.headers.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, body: parsed as T };
  }
  async function login(login: string, password: string): Promise<string> {
    const r = await call("POST", `/api/auth/login?login=${enc(login)}&origin=mocha`, password);
    if (r.body?.status !== "Ok") throw new Error(`login ${login} failed: ${r.text}`);
    return r.body.authKey as string;
  }
  return { call, login };
}

/** Asserts every key exists with the given typeof ("null" allowed where listed). */
export function shape(obj: Record<string, unknown>, spec: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [k, t] of Object.entries(spec)) {
    if (!(k in obj)) {
      problems.push(`missing ${k}`);
      continue;
    }
    const v = obj[k];
    const actual = v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
    if (!t.split("|").includes(actual)) problems.push(`${k}: expected ${t}, got ${actual}`);
  }
  return problems;
}
