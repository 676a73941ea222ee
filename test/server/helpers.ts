/**
 * Shared plumbing for the reference-server conformance tests: `useServer()` registers the
 * mocha hooks that start a server on a free port over a fixed-anchor demo state (or a data
 * file), log demo users in and close it; `client()` calls the API over loopback HTTP with
 * fetch, returning status, headers, raw text and parsed JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer, type StartOptions } from "../../server/app";
import { DEMO, demoState } from "../../server/demo-data";
import type { ServerState } from "../../server/store";
import type { VEventSeries } from "../../src/bluemind/types";

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

/** A client of whatever `server.url` names at each call (a RunningServer, or a useServer handle). */
export function client(server: { readonly url: string }) {
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

export type Client = ReturnType<typeof client>;

/** The demo users who have a BlueMind password to log in with. */
export type DemoLogin = {
  [K in keyof typeof DEMO.users]: (typeof DEMO.users)[K] extends { password: string } ? K : never;
}[keyof typeof DEMO.users];

export interface ServerSetup<U extends DemoLogin> {
  /**
   * When the server runs: "test" (default) a fresh one for each test (beforeEach/afterEach);
   * "suite" one for the whole describe block (before/after); "manual" only between the test's
   * own start() and stop() calls (as often as it likes), and closed after each test if still running.
   */
  lifetime?: "test" | "suite" | "manual";
  /** Demo users to log in (POST /api/auth/login) after each start; their session keys are in `keys`. */
  login?: readonly U[];
  /** The state to start on, made afresh for each start; default demoState at ANCHOR (none with dataFile). */
  state?: () => ServerState;
  /**
   * Persist the state in a file of this name inside a temporary folder made for each test
   * (each block with "suite") and removed after it: startServer loads the file if it exists,
   * else writes there a fresh demoState(), on the real clock unless `state` says otherwise.
   */
  dataFile?: string;
}

export interface ServerHandle<U extends DemoLogin> {
  /** The running server (throws when none runs). */
  readonly server: RunningServer;
  /** Its URL, e.g. http://127.0.0.1:34567. */
  readonly url: string;
  /** A client of the running server: one object for the whole block (it follows restarts), so it may be destructured. */
  readonly api: Client;
  /**
   * The session keys of the `login` users, refilled at each start and emptied at each stop:
   * one object for the whole block, so it may be destructured (and a test may replace a key).
   */
  readonly keys: Record<U, string>;
  /** The temporary folder (with `dataFile`). */
  readonly dir: string;
  /** The data file's path in it (with `dataFile`). */
  readonly dataFile: string;
  /** Starts a server on the same options (the same data file), closing the running one first, and logs the `login` users in. */
  start(): Promise<RunningServer>;
  /** Closes the running server, if any (the data file stays). */
  stop(): Promise<void>;
}

/**
 * The set-up of a describe block of server tests: registers its mocha hooks and returns a
 * handle on what they start. `api` and `keys` are stable objects; `server`, `url`, `dir` and
 * `dataFile` are getters of the current ones (read them inside tests and hooks, through the handle).
 */
export function useServer<U extends DemoLogin = never>(setup: ServerSetup<U> = {}): ServerHandle<U> {
  const lifetime = setup.lifetime ?? "test";
  let running: RunningServer | undefined;
  const keys = {} as Record<U, string>;
  let dir: string | undefined;
  function need<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`useServer: no ${what} here (read the handle inside tests and hooks)`);
    return value;
  }
  const current = () => need(running, "running server");
  const folder = () => need(dir, "temporary folder (useServer({ dataFile }))");
  const file = () => join(folder(), need(setup.dataFile, "dataFile"));
  const api = client({
    get url() {
      return current().url;
    },
  });

  async function start(): Promise<RunningServer> {
    if (running) await stop();
    const options: StartOptions = { port: 0 };
    if (setup.dataFile !== undefined) options.dataFile = file();
    const state = setup.state ? setup.state() : setup.dataFile === undefined ? demoState({ now: ANCHOR }) : undefined;
    if (state) options.state = state;
    running = await startServer(options);
    for (const name of setup.login ?? []) keys[name] = await api.login(DEMO.users[name].login, DEMO.users[name].password);
    return running;
  }
  async function stop(): Promise<void> {
    const server = running;
    running = undefined;
    for (const name of Object.keys(keys)) delete keys[name as U];
    await server?.close();
  }

  const [setUp, tearDown] = lifetime === "suite" ? [before, after] : [beforeEach, afterEach];
  setUp(async () => {
    if (setup.dataFile !== undefined) dir = mkdtempSync(join(tmpdir(), "bm-ref-"));
    if (lifetime !== "manual") await start();
  });
  tearDown(async () => {
    await stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  return {
    get server() {
      return current();
    },
    get url() {
      return current().url;
    },
    api,
    keys,
    get dir() {
      return folder();
    },
    get dataFile() {
      return file();
    },
    start,
    stop,
  };
}

/** A new public event, 10:00 to 11:00 Paris time on a day of April 2025 (the 2nd by default), without icsUid. */
export function newEvent(summary: string, extra: Partial<VEventSeries["main"] & object> = {}, day = "02"): VEventSeries {
  return {
    main: {
      dtstart: { iso8601: `2025-04-${day}T10:00:00.000+02:00`, timezone: "Europe/Paris", precision: "DateTime" },
      dtend: { iso8601: `2025-04-${day}T11:00:00.000+02:00`, timezone: "Europe/Paris", precision: "DateTime" },
      summary,
      classification: "Public",
      ...extra,
    },
    occurrences: [],
    icsUid: null as unknown as string,
  };
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
