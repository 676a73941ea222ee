/**
 * Assembles the reference BlueMind server: routes, request pipeline (route, then key,
 * then body, then handler, like BlueMind's REST layer), request log and persistence.
 * Paths outside /api go to the web login (web-login.ts), as nginx sends them to
 * bm-webserver rather than to core.
 * `startServer` is the one entry point used by tests, `npm run server` and `npm start`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolveCaller, registerAuth } from "./auth";
import { registerCalendars } from "./calendars";
import { registerContainers } from "./containers";
import { demoState } from "./demo-data";
import { registerDirectory } from "./directory";
import { Fault } from "./fault";
import { FaultInjector } from "./fault-injection";
import { registerFreebusy } from "./freebusy";
import { decodeSegment, parseJsonBody, readBody, renderResult, Router, sendFault, sendResult, type Ctx } from "./http";
import { outboxOf, type Outbox } from "./outbox";
import { loadState, Saver } from "./persistence";
import type { ServerState } from "./store";
import { registerSubscriptions } from "./subscriptions";
import { registerSystem } from "./system";
import { registerTodoLists } from "./todolist";
import { handleWeb, isApiPath } from "./web-login";

export type { ServerState } from "./store";

export interface StartOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Load state from this file if it exists (else demo data) and save it after each mutation. */
  dataFile?: string;
  /** Initial state when no dataFile state exists; default demoState(). */
  state?: ServerState;
}

export interface RequestLogEntry {
  method: string;
  /** Path with each segment percent-decoded, without the query string. */
  path: string;
  query: string;
  status: number;
  /** When it arrived (real clock, ms). */
  at: number;
  /** The injected fault that answered it, if any. */
  fault?: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:34567, no trailing slash. */
  url: string;
  state: ServerState;
  close(): Promise<void>;
  requestCount(): number;
  requests: RequestLogEntry[];
  /** Test-only fault injection (not reachable over HTTP). */
  faults: FaultInjector;
  /** Test-only: the iMIP messages BlueMind would have mailed (not reachable over HTTP). */
  outbox: Outbox;
}

function buildRouter(): Router {
  const r = new Router();
  registerSystem(r);
  registerAuth(r);
  registerSubscriptions(r);
  registerContainers(r);
  registerCalendars(r);
  registerFreebusy(r);
  registerDirectory(r);
  registerTodoLists(r);
  return r;
}

const router = buildRouter();

async function handle(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  log: RequestLogEntry[],
  faults: FaultInjector,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = (req.method ?? "GET").toUpperCase();
  const entry: RequestLogEntry = { method, path: url.pathname, query: url.search, status: 0, at: Date.now() };
  log.push(entry);
  // The server's own clock, so a clock-offset fault shows in the Date header too.
  const date = new Date(state.now()).toUTCString();
  res.setHeader("Date", date);
  try {
    const segs = url.pathname.split("/").filter(Boolean).map(decodeSegment);
    entry.path = "/" + segs.join("/");
    const rawBody = await readBody(req);
    if (!isApiPath(url.pathname)) {
      entry.status = handleWeb(state, req, res, url, rawBody);
      return;
    }
    // BlueMind's cleanup timer, run when due on the server's (controllable) clock.
    state.changesetCleanup.runIfDue(state);
    const injected = faults.take(method, entry.path);
    if (injected && faults.answerEarly(injected, req, res, date)) {
      entry.status = injected.kind === "hang" ? -1 : res.statusCode;
      entry.fault = injected.kind;
      return;
    }
    const match = router.match(method, segs);
    if (!match) throw new Fault(`no service registered on path ${entry.path}`, "NOT_FOUND");
    const headerKey = req.headers["x-bm-apikey"];
    const key = (Array.isArray(headerKey) ? headerKey[0] : headerKey) ?? url.searchParams.get("apikey");
    const caller = resolveCaller(state, key ?? null);
    const ctx: Ctx = {
      state,
      method,
      path: entry.path,
      params: match.params,
      query: url.searchParams,
      rawBody,
      body: match.route.raw ? rawBody : parseJsonBody(rawBody),
      caller,
      headers: req.headers,
    };
    const result = await match.route.handler(ctx);
    if (injected) {
      const reply = renderResult(result);
      entry.status = reply.status;
      if (faults.damage(injected, res, reply.status, reply.body, date)) {
        entry.fault = injected.kind;
        return;
      }
    }
    entry.status = sendResult(res, result);
  } catch (e) {
    const fault = e instanceof Fault ? e : new Fault(e instanceof Error ? e.message : String(e));
    if (!(e instanceof Fault)) console.error("reference server: unexpected error", e);
    entry.status = fault.status;
    sendFault(res, fault);
  }
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const state = (options.dataFile ? loadState(options.dataFile) : null) ?? options.state ?? demoState();
  const saver = options.dataFile ? new Saver(options.dataFile, state) : null;
  if (saver) {
    state.onChange = () => saver.schedule();
    state.changed(); // a fresh demo state is written right away
  }
  const requests: RequestLogEntry[] = [];
  const faults = new FaultInjector();
  const server = createServer((req, res) => {
    void handle(state, req, res, requests, faults);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    state,
    requests,
    requestCount: () => requests.length,
    faults,
    outbox: outboxOf(state),
    close: async () => {
      faults.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (saver) {
        await saver.flush();
        state.onChange = null;
      }
    },
  };
}
