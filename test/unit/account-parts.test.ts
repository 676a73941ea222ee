/**
 * The account service's parts that decide something on their own: the page's view model
 * (account-view.ts), the unsent-edits guard (unsent-edits.ts), the status line
 * (status-line.ts) and the one-at-a-time queue (one-at-a-time.ts). The service's own tests
 * (account-service.test.ts) cover them through the facade, against the reference server.
 */

import { strict as assert } from "node:assert";
import { buildAccountView, type AccountViewInput } from "../../src/background/account-view";
import { AccountStore } from "../../src/background/account-store";
import { CalendarActivity } from "../../src/background/calendar-activity";
import { OneAtATime } from "../../src/background/one-at-a-time";
import { StatusLine } from "../../src/background/status-line";
import { UnsentEditsGuard } from "../../src/background/unsent-edits";
import { BlueMindError } from "../../src/bluemind/errors";
import type { CalendarEntry } from "../../src/sync/calendar-lists";
import { FakeThunderbirdCalendars, MemoryStorage } from "./support/fakes";

const entry = (uid: string, offlineSync: boolean): CalendarEntry => ({
  uid,
  containerType: "calendar",
  name: uid,
  ownerUid: "alice",
  ownerDisplayName: "Alice",
  color: null,
  verbs: ["Read", "Write"],
  canRead: true,
  readOnly: false,
  subscribed: true,
  offlineSync,
  defaultContainer: false,
  managed: true,
});

describe("account view model", () => {
  const input = (over: Partial<AccountViewInput>): AccountViewInput => ({
    account: { serverUrl: "https://bm.example", login: "alice@example", userUid: "alice", domainUid: "example", displayName: "Alice" },
    lists: { mine: [entry("big", false), entry("projets", true)], others: [], myTodoLists: [], otherTodoLists: [] },
    counts: new Map([["big", 9_500]]),
    queued: new Map(),
    waitingForEdits: new Set(),
    activity: new CalendarActivity(
      () => 0,
      () => undefined,
    ),
    status: { lastRefresh: 1, lastError: null },
    busy: false,
    signInDefaults: null,
    serverPolicy: null,
    notice: null,
    userKeyKept: false,
    pollMinutes: 5,
    keptForEdits: [],
    ...over,
  });

  it("a queued switch shows as the user flipped it, with its 9000 warning, marked not sent", () => {
    const view = buildAccountView(input({ queued: new Map([["big", true]]) }));
    const big = view.mine.find((row) => row.uid === "big")!;
    assert.equal(big.offlineSync, true);
    assert.equal(big.sizeWarning, true);
    assert.equal(big.toggleQueued, true);
    assert.equal(view.mine.find((row) => row.uid === "projets")!.toggleQueued, false);
  });

  it("a switch-off waiting for offline edits says so; signed out, nothing names an account", () => {
    const waiting = buildAccountView(input({ waitingForEdits: new Set(["projets"]) }));
    assert.equal(waiting.mine.find((row) => row.uid === "projets")!.waitingForOfflineEdits, true);
    const out = buildAccountView(input({ account: null, lists: { mine: [], others: [], myTodoLists: [], otherTodoLists: [] } }));
    assert.deepEqual([out.signedIn, out.serverUrl, out.login, out.keySource], [false, null, null, null]);
  });
});

describe("unsent-edits guard", () => {
  it("keeps a cached calendar whose offline edits cannot be sent, and its cache on; the others go as planned", async () => {
    const calendars = new FakeThunderbirdCalendars();
    for (const uri of ["a", "b", "c"])
      await calendars.create({ uri, name: uri.toUpperCase(), color: "#000", readOnly: false, cached: true });
    calendars.online = false; // a refresh cannot replay anything
    calendars.calendars.find((c) => c.uri === "a")!.pending = 2;
    calendars.calendars.find((c) => c.uri === "b")!.pending = 1;
    const guard = new UnsentEditsGuard(calendars);
    const existing = await calendars.list();
    const { plan, kept } = await guard.safePlan(
      { create: [], remove: ["a", "c"], update: [{ uri: "b", changes: { cached: false, name: "B2" } }] },
      existing,
    );
    assert.deepEqual(plan.remove, ["c"]);
    assert.deepEqual(kept, ["A"]);
    assert.deepEqual(plan.update, [{ uri: "b", changes: { name: "B2" } }], "the rename goes, the cache stays");
  });
});

describe("status line", () => {
  const make = () => {
    const storage = new MemoryStorage();
    const told: string[] = [];
    let signedIn = true;
    const line = new StatusLine({
      store: new AccountStore(storage),
      now: () => 42,
      signedIn: () => signedIn,
      signInNeeded: () => told.push("signInNeeded"),
    });
    return { storage, told, line, signOut: () => (signedIn = false) };
  };

  it("an error keeps the time of the last success; a success clears it; both are stored", async () => {
    const { storage, line } = make();
    await line.refreshed();
    await line.failed(new BlueMindError("unreachable", "down"));
    assert.equal(line.value.lastRefresh, 42);
    assert.equal(line.value.lastError?.kind, "unreachable");
    assert.deepEqual(storage.data["status"], line.value);
    await line.refreshed();
    assert.deepEqual(line.value, { lastRefresh: 42, lastError: null });
  });

  it("a revoked key is told once per occurrence, again after the lists were read, never when signed out", async () => {
    const { told, line, signOut } = make();
    const revoked = new BlueMindError("keyRevoked", "revoked");
    await line.failed(revoked);
    await line.failed(revoked);
    assert.equal(told.length, 1);
    line.listsRead();
    await line.failed(revoked);
    assert.equal(told.length, 2);
    line.listsRead();
    signOut();
    await line.failed(revoked);
    assert.equal(told.length, 2);
  });
});

describe("one operation at a time", () => {
  it("runs operations in the order asked, one after another, and goes on after a failure", async () => {
    const busyWhenTold: boolean[] = [];
    const operations: OneAtATime = new OneAtATime(() => busyWhenTold.push(operations.busy));
    const log: string[] = [];
    const step =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([operations.run(step("a", true)), operations.run(step("b"))]);
    assert.deepEqual(log, ["a start", "a end", "b start", "b end"]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["rejected", "fulfilled"],
    );
    assert.deepEqual(busyWhenTold, [true, false, true, false], "the page hears each start and end");
    assert.equal(operations.busy, false);
  });
});
