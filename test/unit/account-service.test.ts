import { strict as assert } from "node:assert";
import type { AccountService } from "../../src/background/account-service";
import type { AccountView } from "../../src/background/protocol";
import { calendarUri } from "../../src/sync/calendar-identity";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { makeAccountService } from "./support/account-service";
import { FakeThunderbirdCalendars, MemorySecrets, MemoryStorage } from "./support/fakes";
import { webSession } from "./support/servers";

const { alice } = DEMO.users;
const C = DEMO.calendars;
/** Thunderbird's calendars of BlueMind calendars (her three todo lists are task calendars beside them). */
const eventCalendars = (list: { uri: string }[]) => list.filter((c) => c.uri.includes("/api/calendars/"));

describe("account service: sign-in, lists, toggle, reconciliation (Thunderbird faked at the messenger boundary)", () => {
  let server: RunningServer;
  let storage: MemoryStorage;
  let secrets: MemorySecrets;
  let calendars: FakeThunderbirdCalendars;
  let views: AccountView[];
  let service: AccountService;
  const uri = (uid: string) => calendarUri(server.url, uid);

  const makeService = () =>
    makeAccountService({ storage, secrets, calendars }, { now: () => 1_700_000_000_000, onChange: (view) => views.push(view) });

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    storage = new MemoryStorage();
    secrets = new MemorySecrets();
    calendars = new FakeThunderbirdCalendars();
    views = [];
    service = makeService();
    await service.start();
    await service.signIn(server.url, alice.login, alice.password);
  });
  afterEach(() => server.close());

  it("keeps only the API key, in the secret store, and nothing secret in storage.local", () => {
    const [key] = server.state.apiKeys(alice.uid);
    assert.ok(key);
    assert.deepEqual([...secrets.entries.values()], [key.sid]);
    const stored = JSON.stringify(storage.data);
    assert.ok(!stored.includes(key.sid), "the key is not in storage.local");
    assert.ok(!stored.includes(JSON.stringify(alice.password)), "the password is not in storage.local");
  });

  it("registers exactly the subscribed, readable calendars: synced cached, others online-only", () => {
    const byUri = new Map(calendars.calendars.map((c) => [c.uri, c]));
    assert.equal(eventCalendars(calendars.calendars).length, 5);
    const expect = [
      [C.alice.uid, "Alice", true, false, "#3D99FF"],
      [C.projets.uid, "Projets", false, false, "#2EB398"],
      [C.archives.uid, "Archives", true, false, "#8E8E8E"],
      [C.bob.uid, "Bob", true, true, "#F5A623"],
      [C.salles.uid, "Salles de réunion", false, true, "#B065D8"],
    ] as const;
    for (const [uid, name, cached, readOnly, color] of expect) {
      const calendar = byUri.get(uri(uid));
      assert.deepEqual(
        calendar && [calendar.name, calendar.cached, calendar.readOnly, calendar.color],
        [name, cached, readOnly, color],
        name,
      );
    }
  });

  it("shows the warning for Archives (9,500 entries, synced) and only there", () => {
    const view = service.view();
    const warned = [...view.mine, ...view.others].filter((row) => row.sizeWarning).map((row) => [row.name, row.itemCount]);
    assert.deepEqual(warned, [["Archives", 9500]]);
  });

  it("writes a toggle to BlueMind and switches the calendar's mode under the same URI", async () => {
    const before = calendars.byUri(uri(C.salles.uid));
    const oldId = before?.id;
    await service.setSync(C.salles.uid, true);
    assert.equal(server.state.subscription(alice.uid, C.salles.uid)?.offlineSync, true);
    const after = calendars.calendars.filter((c) => c.uri === uri(C.salles.uid));
    assert.equal(after.length, 1);
    assert.equal(after[0]?.cached, true);
    assert.notEqual(after[0]?.id, oldId);
  });

  it("follows a toggle made in BlueMind's web page on 'Synchroniser maintenant'", async () => {
    const web = await webSession(server.url, alice.login, alice.password);
    await web.call("POST", `/api/users/${DEMO.domainUid}/subscriptions/${alice.uid}/_subscribe`, {
      body: [{ containerUid: C.alice.uid, offlineSync: false }],
    });
    assert.equal(calendars.byUri(uri(C.alice.uid))?.cached, true);
    await service.syncNow();
    assert.equal(calendars.byUri(uri(C.alice.uid))?.cached, false);
  });

  it("subscribes 'Équipe Bob' when its switch is turned on, and adds it to Thunderbird", async () => {
    await service.setSync(C.equipeBob.uid, true);
    assert.equal(calendars.byUri(uri(C.equipeBob.uid))?.cached, true);
    assert.equal(calendars.byUri(uri(C.equipeBob.uid))?.readOnly, false);
  });

  /** Stops the server; the returned function starts it again, same port and state. */
  async function serverDown(): Promise<() => Promise<void>> {
    const port = Number(new URL(server.url).port);
    const state = server.state;
    await server.close();
    return async () => {
      server = await startServer({ port, state });
    };
  }

  it("queues a switch flipped while BlueMind cannot be reached, and sends it when BlueMind is back", async () => {
    const state = server.state;
    const serverBack = await serverDown();
    await service.setSync(C.salles.uid, true);
    let row = service.view().others.find((r) => r.uid === C.salles.uid);
    assert.deepEqual([row?.offlineSync, row?.toggleQueued], [true, true], "the switch shows the wish, marked as not sent");
    assert.equal(service.view().status.lastError?.kind, "unreachable");
    assert.equal(calendars.byUri(uri(C.salles.uid))?.cached, false, "Thunderbird waits for BlueMind");
    assert.deepEqual(storage.data["pendingToggles"], { [C.salles.uid]: true }, "kept across a restart");

    await serverBack();
    await service.poll();
    row = service.view().others.find((r) => r.uid === C.salles.uid);
    assert.deepEqual([row?.offlineSync, row?.toggleQueued], [true, false]);
    assert.equal(state.subscription(alice.uid, C.salles.uid)?.offlineSync, true, "BlueMind has it");
    assert.equal(calendars.byUri(uri(C.salles.uid))?.cached, true);
    assert.equal(service.view().status.lastError, null);
  });

  it("a switch flipped back before BlueMind could hear it is not sent at all", async () => {
    const state = server.state;
    const serverBack = await serverDown();
    await service.setSync(C.salles.uid, true);
    await service.setSync(C.salles.uid, false);
    await serverBack();
    const before = state.ownerSubscriptions(alice.uid).version;
    await service.poll();
    assert.equal(state.ownerSubscriptions(alice.uid).version, before);
    assert.equal(service.view().others.find((r) => r.uid === C.salles.uid)?.toggleQueued, false);
  });

  it("removes a calendar unsubscribed in BlueMind on the next sync", async () => {
    const web = await webSession(server.url, alice.login, alice.password);
    await web.call("POST", `/api/users/${DEMO.domainUid}/subscriptions/${alice.uid}/_unsubscribe`, { body: [C.projets.uid] });
    await service.syncNow();
    assert.equal(calendars.byUri(uri(C.projets.uid)), undefined);
    assert.equal(eventCalendars(calendars.calendars).length, 4);
  });

  it("restores the account after a restart with no duplicate", async () => {
    const restarted = makeService();
    await restarted.start();
    assert.equal(restarted.view().signedIn, true);
    assert.equal(eventCalendars(calendars.calendars).length, 5);
    assert.equal(new Set(calendars.calendars.map((c) => c.uri)).size, 5 + 3);
  });

  it("reads the API key from the login manager once per session, not at every request", async () => {
    const restarted = makeService();
    await restarted.start();
    secrets.reads = 0;
    for (let i = 0; i < 3; i++) await restarted.syncNow();
    await restarted.calendarItems(uri(C.alice.uid));
    assert.ok(server.requestCount() > 3, "BlueMind was asked");
    assert.equal(secrets.reads, 1);
    await restarted.signOut();
    secrets.reads = 0;
    await restarted.signIn(server.url, alice.login, alice.password);
    await restarted.syncNow();
    assert.equal(secrets.reads, 0, "a new sign-in keeps the key it was given");
    assert.ok([...secrets.entries.values()].length === 1, "and the login manager holds it");
  });

  it("signs out: revokes the key, removes our calendars, forgets the account", async () => {
    await service.signOut();
    assert.deepEqual(server.state.apiKeys(alice.uid), []);
    assert.deepEqual(calendars.calendars, []);
    assert.equal(secrets.entries.size, 0);
    assert.equal(storage.data["account"], undefined);
    assert.equal(service.view().signedIn, false);
    assert.equal(service.view().notice, null);
  });

  describe("offline edits are never dropped", () => {
    it("switching Synchronisation off pushes pending edits first, then switches", async () => {
      const alicesCalendar = calendars.byUri(uri(C.alice.uid));
      assert.ok(alicesCalendar);
      alicesCalendar.pending = 2;
      await service.setSync(C.alice.uid, false);
      assert.ok(alicesCalendar.refreshes > 0, "Thunderbird replayed the edits");
      assert.equal(server.state.subscription(alice.uid, C.alice.uid)?.offlineSync, false);
      assert.equal(calendars.byUri(uri(C.alice.uid))?.cached, false);
    });

    it("when the edits cannot be sent, the switch waits, says so, and happens once they are sent", async () => {
      const alicesCalendar = calendars.byUri(uri(C.alice.uid));
      assert.ok(alicesCalendar);
      alicesCalendar.pending = 1;
      calendars.online = false;
      await service.setSync(C.alice.uid, false);
      assert.equal(server.state.subscription(alice.uid, C.alice.uid)?.offlineSync, true, "nothing written to BlueMind yet");
      assert.equal(calendars.byUri(uri(C.alice.uid))?.cached, true, "the cache (and the edit) is kept");
      const row = service.view().mine.find((r) => r.uid === C.alice.uid);
      assert.equal(row?.waitingForOfflineEdits, true);
      // A toggle made in BlueMind meanwhile must not drop the cache either.
      await service.syncNow();
      assert.equal(calendars.byUri(uri(C.alice.uid))?.cached, true);
      calendars.online = true;
      await service.syncNow();
      assert.equal(server.state.subscription(alice.uid, C.alice.uid)?.offlineSync, false);
      assert.equal(calendars.byUri(uri(C.alice.uid))?.cached, false);
      assert.equal(service.view().mine.find((r) => r.uid === C.alice.uid)?.waitingForOfflineEdits, false);
    });

    it("keeps a calendar unsubscribed in BlueMind while it holds edits that cannot be sent", async () => {
      const projets = calendars.byUri(uri(C.alice.uid));
      assert.ok(projets);
      projets.pending = 1;
      calendars.online = false;
      const web = await webSession(server.url, alice.login, alice.password);
      await web.call("POST", `/api/users/${DEMO.domainUid}/subscriptions/${alice.uid}/_subscribe`, {
        body: [{ containerUid: C.alice.uid, offlineSync: false }],
      });
      await service.syncNow();
      assert.equal(calendars.byUri(uri(C.alice.uid))?.cached, true);
    });

    it("refuses to sign out while edits cannot be sent, and removes nothing", async () => {
      const alicesCalendar = calendars.byUri(uri(C.alice.uid));
      assert.ok(alicesCalendar);
      alicesCalendar.pending = 1;
      calendars.online = false;
      await assert.rejects(service.signOut(), { kind: "pendingEdits" });
      assert.equal(eventCalendars(calendars.calendars).length, 5);
      assert.equal(server.state.apiKeys(alice.uid).length, 1);
    });
  });

  it("tells the page when an operation starts and ends", async () => {
    views.length = 0;
    await service.syncNow();
    const busy = views.map((v) => v.status.busy);
    assert.equal(busy[0], true);
    assert.equal(busy.at(-1), false);
  });
});
