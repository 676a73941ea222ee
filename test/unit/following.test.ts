import { strict as assert } from "node:assert";
import { AccountService, type ServiceEvent } from "../../src/background/account-service";
import { AccountStore } from "../../src/background/account-store";
import { clampPollMinutes, Poller } from "../../src/background/poller";
import { StartupGate } from "../../src/background/startup-gate";
import type { AccountView } from "../../src/background/protocol";
import { toolbarState } from "../../src/background/toolbar";
import { BlueMindHttp } from "../../src/bluemind/http";
import { calendarUri } from "../../src/sync/calendar-identity";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { FakeThunderbirdCalendars, MemorySecrets, MemoryStorage } from "./support/fakes";
import { webSession } from "./support/servers";

const { alice } = DEMO.users;
const C = DEMO.calendars;

describe("following BlueMind by itself", () => {
  let server: RunningServer;
  let calendars: FakeThunderbirdCalendars;
  let events: ServiceEvent[];
  let storage: MemoryStorage;
  let service: AccountService;
  let clock = 0;

  beforeEach(async () => {
    clock = 0;
    server = await startServer({ port: 0 });
    calendars = new FakeThunderbirdCalendars();
    events = [];
    storage = new MemoryStorage();
    service = new AccountService({
      store: new AccountStore(storage),
      secrets: new MemorySecrets(),
      calendars,
      connect: (origin, apiKey) => new BlueMindHttp({ origin, apiKey }),
      clientOrigin: "test",
      keyDisplayName: "k",
      now: () => clock,
      onChange: () => undefined,
      notify: (event) => events.push(event),
    });
    await service.start();
    await service.signIn(server.url, alice.login, alice.password);
  });
  afterEach(() => server.close());

  it("a poll costs two requests when nothing changed in BlueMind: owner-subscriptions _changeset, containers _mget", async () => {
    await service.poll(); // the first poll after sign-in
    const before = server.requestCount();
    await service.poll();
    assert.deepEqual(
      server.requests.slice(before).map((r) => r.path.split("/").pop()),
      ["_changeset", "_mget"],
    );
  });

  it("every check moves the status line's time, also when nothing changed in BlueMind", async () => {
    await service.poll();
    clock = 120_000;
    await service.poll();
    assert.equal(service.view().status.lastRefresh, 120_000);
    clock = 240_000;
    await service.poll();
    assert.equal(service.view().status.lastRefresh, 240_000);
    assert.equal((await new AccountStore(storage).load()).status?.lastRefresh, 240_000, "kept across restarts");
  });

  it("follows a rename, a colour and a rights change made in BlueMind within one poll", async () => {
    const before = calendars.byUri(calendarUri(server.url, C.bob.uid));
    assert.equal(before?.readOnly, true);
    const bob = await webSession(server.url, DEMO.users.bob.login, DEMO.users.bob.password);
    const manage = `/api/containers/_manage/${encodeURIComponent(C.bob.uid)}`;
    const acl = await bob.call<{ subject: string; verb: string }[]>("GET", `${manage}/_acl`);
    await bob.call("PUT", `${manage}/_acl`, {
      body: [...acl.filter((ace) => ace.subject !== alice.uid), { subject: alice.uid, verb: "Write" }],
    });
    // The colour is personal in BlueMind: alice picks it in her web calendar.
    const aliceWeb = await webSession(server.url, alice.login, alice.password);
    await aliceWeb.call("PUT", `${manage}/_personalSettings`, { body: { bm_color: "#123456" } });
    await service.poll();
    const after = calendars.byUri(calendarUri(server.url, C.bob.uid));
    assert.deepEqual([after?.color, after?.readOnly], ["#123456", false]);

    await bob.call("POST", `/api/containers/_manage/${encodeURIComponent(C.bob.uid)}`, {
      body: { name: "Bob (renamed)", defaultContainer: true },
    });
    await service.poll();
    assert.equal(calendars.byUri(calendarUri(server.url, C.bob.uid))?.name, "Bob (renamed)");
  });

  it("follows a Synchronisation switch flipped in BlueMind's web preferences within one poll", async () => {
    const web = await webSession(server.url, alice.login, alice.password);
    await web.call("POST", `/api/users/${DEMO.domainUid}/subscriptions/${alice.uid}/_subscribe`, {
      body: [{ containerUid: C.projets.uid, offlineSync: true }],
    });
    assert.equal(calendars.byUri(calendarUri(server.url, C.projets.uid))?.cached, false);
    await service.poll();
    assert.equal(calendars.byUri(calendarUri(server.url, C.projets.uid))?.cached, true);
  });

  it("follows a new subscription and a removed one", async () => {
    const web = await webSession(server.url, alice.login, alice.password);
    await web.call("POST", `/api/users/${DEMO.domainUid}/subscriptions/${alice.uid}/_subscribe`, {
      body: [{ containerUid: C.equipeBob.uid, offlineSync: false }],
    });
    await web.call("POST", `/api/users/${DEMO.domainUid}/subscriptions/${alice.uid}/_unsubscribe`, { body: [C.salles.uid] });
    await service.poll();
    assert.ok(calendars.byUri(calendarUri(server.url, C.equipeBob.uid)));
    assert.equal(calendars.byUri(calendarUri(server.url, C.salles.uid)), undefined);
  });

  it("notifies when Synchronisation is switched on for a calendar over 9000 entries", async () => {
    server.state.addEvents(C.projets.uid, 9001);
    await service.setSync(C.projets.uid, true);
    assert.deepEqual(events, [{ kind: "sizeWarning", calendarName: "Projets", count: 9001 + 3 }]);
  });

  it("asks once to sign in again when the key is revoked, and keeps the calendars", async () => {
    for (const key of server.state.apiKeys(alice.uid)) {
      const web = await webSession(server.url, alice.login, alice.password);
      await web.call("DELETE", `/api/auth/keys/${key.sid}`);
    }
    await assert.rejects(service.poll(), { kind: "keyRevoked" });
    await assert.rejects(service.poll(), { kind: "keyRevoked" });
    assert.deepEqual(events, [{ kind: "signInNeeded" }]);
    assert.equal(calendars.calendars.length, 5 + 3, "her 5 calendars and 3 task lists are kept");
    assert.equal(service.view().status.lastError?.kind, "keyRevoked");
  });

  it("keeps the poll interval between 1 and 60 minutes, 2 by default, and stores it", async () => {
    assert.equal(service.view().pollMinutes, 2);
    assert.equal(await service.setPollMinutes(0), 1);
    assert.equal(await service.setPollMinutes(500), 60);
    assert.equal(await service.setPollMinutes(5), 5);
    assert.deepEqual(storage.data["settings"], { pollMinutes: 5 });
    assert.equal(clampPollMinutes("x"), 2);
  });
});

describe("poller", () => {
  it("first ticks after a random part of the startup delay, then at the interval", async () => {
    const ticks: number[] = [];
    const start = Date.now();
    const poller = new Poller(
      async () => {
        ticks.push(Date.now() - start);
      },
      () => 0.5,
    );
    poller.start(1, 100);
    await new Promise((resolve) => setTimeout(resolve, 120));
    poller.stop();
    assert.equal(ticks.length, 1);
    assert.ok((ticks[0] ?? 0) >= 45 && (ticks[0] ?? 0) < 110, String(ticks[0]));
  });
});

describe("start-up", () => {
  it("sends nothing when Thunderbird starts: the first poll, after the random delay, reads BlueMind", async () => {
    const server = await startServer({ port: 0 });
    try {
      const storage = new MemoryStorage();
      const secrets = new MemorySecrets();
      const calendars = new FakeThunderbirdCalendars();
      const make = () =>
        new AccountService({
          store: new AccountStore(storage),
          secrets,
          calendars,
          connect: (origin, apiKey) => new BlueMindHttp({ origin, apiKey }),
          clientOrigin: "test",
          keyDisplayName: "k",
          now: () => 0,
          onChange: () => undefined,
        });
      const first = make();
      await first.start();
      await first.signIn(server.url, alice.login, alice.password);
      const before = server.requestCount();
      const restarted = make();
      await restarted.start();
      assert.equal(server.requestCount(), before, "no request at start-up");
      assert.equal(restarted.view().mine.length, 0);
      await restarted.poll();
      assert.ok(restarted.view().mine.length > 0, "the first poll reads the lists");
    } finally {
      await server.close();
    }
  });

  it("the start-up gate opens after its random delay, or at once when the user asks", async () => {
    const gate = new StartupGate(100, () => 0.5);
    assert.equal(gate.delayMs, 50);
    const start = Date.now();
    await gate.wait();
    assert.ok(Date.now() - start >= 45);
    const asked = new StartupGate(60_000, () => 0.99);
    setTimeout(() => asked.open(), 10);
    await asked.wait();
    assert.ok(Date.now() - start < 1_000);
  });
});

describe("poller backoff", () => {
  it("waits twice as long after each failed check, never less than Retry-After, and resets after a good one", async () => {
    let fail = true;
    const ticks: number[] = [];
    const start = Date.now();
    const poller = new Poller(
      async () => {
        ticks.push(Date.now() - start);
        if (fail) throw new Error("down");
      },
      () => 0,
      10,
    );
    poller.start(1, 0);
    await new Promise((resolve) => setTimeout(resolve, 160));
    // Ticks at ~0, 20, 60, 140 ms: waits of 2, 4, 8 "minutes" of 10 ms.
    assert.equal(ticks.length, 4, JSON.stringify(ticks));
    assert.equal(poller.failedChecks, 4);
    assert.equal(poller.nextDelayMs(), 160);
    assert.equal(poller.nextDelayMs(500), 500, "Retry-After wins when longer");
    fail = false;
    await new Promise((resolve) => setTimeout(resolve, 200));
    poller.stop();
    assert.equal(poller.failedChecks, 0);
    assert.equal(poller.nextDelayMs(), 10);
  });

  it("caps the wait at an hour", () => {
    const poller = new Poller(async () => undefined);
    (poller as unknown as { failures: number }).failures = 12;
    assert.equal(poller.nextDelayMs(), 60 * 60_000);
  });
});

describe("toolbar badge", () => {
  const view = (over: Partial<AccountView> = {}): AccountView => ({
    signedIn: true,
    serverUrl: "https://bm",
    login: "a",
    displayName: "A",
    mine: [],
    others: [],
    myTodoLists: [],
    otherTodoLists: [],
    status: { lastRefresh: 1, lastError: null, busy: false },
    signInDefaults: null,
    serverPolicy: null,
    notice: null,
    conflicts: [],
    pollMinutes: 2,
    keptForEdits: [],
    keySource: "addon",
    userKeyKept: false,
    ...over,
  });
  const describeError = (kind: string) => `E:${kind}`;

  it("shows syncing, then errors, then the count of offline edits waiting", () => {
    assert.equal(toolbarState(view({ status: { lastRefresh: 1, lastError: null, busy: true } }), 3, describeError).badge, "…");
    const error = toolbarState(
      view({ status: { lastRefresh: 1, lastError: { kind: "unreachable", detail: "" }, busy: false } }),
      3,
      describeError,
    );
    assert.deepEqual([error.badge, error.title], ["!", ["toolbarTitleError", ["E:unreachable"]]]);
    assert.deepEqual(toolbarState(view(), 3, describeError).title, ["toolbarTitlePending", ["3"]]);
    assert.equal(toolbarState(view(), 3, describeError).badge, "3");
    assert.equal(toolbarState(view(), 0, describeError).badge, "");
  });
});
