/**
 * Retries with backoff against the reference server's injected faults: each fault is tried
 * again only when trying again can help, never sooner than the server asked, and the test
 * counts the requests that reached the server, so hammering would show.
 */

import { strict as assert } from "node:assert";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { BlueMindError } from "../../src/bluemind/errors";
import { apiPath, BlueMindHttp, retryAfterMs } from "../../src/bluemind/http";
import type { LoginResponse } from "../../src/bluemind/types";

const { alice } = DEMO.users;
const C = DEMO.calendars;
const VERSION_PATH = apiPath("calendars", C.alice.uid, "_version");

describe("retries with backoff (reference server fault injection)", () => {
  let server: RunningServer;
  let http: BlueMindHttp;
  let waits: number[];

  before(async () => {
    server = await startServer({ port: 0 });
    const login = await new BlueMindHttp({ origin: server.url }).call<LoginResponse>("POST", apiPath("auth", "login"), {
      query: { login: alice.login, origin: "test" },
      body: alice.password,
    });
    waits = [];
    http = new BlueMindHttp({
      origin: server.url,
      apiKey: login.authKey,
      timeoutMs: 400,
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  });
  after(() => server.close());
  beforeEach(() => {
    server.faults.clear();
    server.state.clockOffsetMs = 0;
    waits = [];
  });

  /** Calls `_version` and returns what reached the server for it, and the outcome. */
  async function versionCall(): Promise<{ requests: number; result: number | BlueMindError }> {
    const before = server.requests.filter((r) => r.path.endsWith("/_version")).length;
    let result: number | BlueMindError;
    try {
      result = await http.call<number>("GET", VERSION_PATH);
    } catch (error) {
      assert.ok(error instanceof BlueMindError, String(error));
      result = error;
    }
    return { requests: server.requests.filter((r) => r.path.endsWith("/_version")).length - before, result };
  }

  it("a 500 twice: tried three times, waiting 1 s then 2 s, then it works", async () => {
    server.faults.arm({ kind: "http500", pathContains: "/_version", times: 2 });
    const { requests, result } = await versionCall();
    assert.equal(typeof result, "number");
    assert.equal(requests, 3);
    assert.deepEqual(waits, [1000, 2000]);
  });

  it("a 500 that lasts: three requests in all, then a 'server' error", async () => {
    server.faults.arm({ kind: "http500", pathContains: "/_version" });
    const { requests, result } = await versionCall();
    assert.equal(requests, 3);
    assert.ok(result instanceof BlueMindError && result.kind === "server");
  });

  it("a 503 with Retry-After: waits what the server asked before the next request", async () => {
    server.faults.arm({ kind: "http503", pathContains: "/_version", times: 1, retryAfter: "4" });
    const { requests, result } = await versionCall();
    assert.equal(typeof result, "number");
    assert.equal(requests, 2);
    assert.deepEqual(waits, [4000]);
  });

  it("a 503 asking for two minutes: no retry inside the request, the error says when", async () => {
    server.faults.arm({ kind: "http503", pathContains: "/_version", retryAfter: "120" });
    const { requests, result } = await versionCall();
    assert.equal(requests, 1);
    assert.ok(result instanceof BlueMindError && result.kind === "unavailable");
    assert.equal(result.retryAfterMs, 120_000);
  });

  it("a Retry-After date is read on the server's clock, even five hours ahead of ours", async () => {
    server.state.clockOffsetMs = 5 * 3_600_000;
    const at = new Date(server.state.now() + 3_000).toUTCString();
    server.faults.arm({ kind: "http503", pathContains: "/_version", times: 1, retryAfter: at });
    const { requests, result } = await versionCall();
    assert.equal(typeof result, "number");
    assert.equal(requests, 2);
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! >= 2_000 && waits[0]! <= 3_000, String(waits[0]));
    const headers = new Headers({ "Retry-After": "Wed, 21 Oct 2026 07:28:03 GMT", Date: "Wed, 21 Oct 2026 07:28:00 GMT" });
    assert.equal(retryAfterMs({ headers }), 3_000);
  });

  it("a connection cut in the middle of the body, and a damaged JSON answer: tried again, then it works", async () => {
    server.faults.arm({ kind: "resetMidBody", pathContains: "/_version", times: 1 });
    const cut = await versionCall();
    assert.equal(typeof cut.result, "number");
    assert.equal(cut.requests, 2);
    server.faults.arm({ kind: "malformedJson", pathContains: "/_version", times: 1 });
    const damaged = await versionCall();
    assert.equal(typeof damaged.result, "number");
    assert.equal(damaged.requests, 2);
  });

  it("a rule armed with `after` lets that many requests through first", async () => {
    const rule = server.faults.arm({ kind: "http500", pathContains: "/_version", after: 1, times: 1 });
    const first = await versionCall();
    assert.deepEqual([first.requests, rule.hits, waits.length], [1, 0, 0]);
    const second = await versionCall();
    assert.equal(typeof second.result, "number");
    assert.deepEqual([second.requests, rule.hits], [2, 1]);
  });

  it("a hang: one request, a 'timeout' error, no retry inside the request", async () => {
    server.faults.arm({ kind: "hang", pathContains: "/_version" });
    const { requests, result } = await versionCall();
    assert.equal(requests, 1);
    assert.ok(result instanceof BlueMindError && result.kind === "timeout");
  });

  it("401, 403 and a refused request are verdicts: one request each, never repeated", async () => {
    const expected = [
      ["http401", "keyRevoked"],
      ["http403", "permissionDenied"],
    ] as const;
    for (const [kind, errorKind] of expected) {
      server.faults.clear();
      server.faults.arm({ kind, pathContains: "/_version" });
      const { requests, result } = await versionCall();
      assert.equal(requests, 1, kind);
      assert.ok(result instanceof BlueMindError && result.kind === errorKind, `${kind}: ${String(result)}`);
    }
    server.faults.clear();
    const before = server.requestCount();
    await assert.rejects(
      http.call("GET", apiPath("calendars", C.alice.uid, "_changeset"), { query: { since: "x" } }),
      (error: unknown) => error instanceof BlueMindError && error.kind === "refused",
    );
    assert.equal(server.requestCount() - before, 1);
    assert.deepEqual(waits, []);
  });
});
