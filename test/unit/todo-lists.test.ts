/**
 * BlueMind todo lists in the add-on (issue 12), against the reference server: « Mes listes de
 * tâches » / « Autres listes de tâches » built as BlueMind's preferences build them (the calendars'
 * rules with type=todolist), identity by URI (`/api/todolist/<uid>`), the account service making
 * one task calendar per subscribed readable list with the Synchronisation rule, and the sync, live
 * query and writes of the calendars working unchanged over ITodoList with the task codec.
 */
import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import ICAL from "ical.js";
import { AccountService } from "../../src/background/account-service";
import { AccountStore } from "../../src/background/account-store";
import { signIn } from "../../src/bluemind/auth";
import { fetchCalendarLists } from "../../src/sync/calendar-directory";
import { BlueMindHttp } from "../../src/bluemind/http";
import { TodoItems } from "../../src/bluemind/todo-items";
import type { VTodo } from "../../src/bluemind/todo-types";
import type { ContainerDescriptor } from "../../src/bluemind/types";
import { todoToIcs } from "../../src/convert";
import { syncCachedCalendar, type CacheBatch } from "../../src/sync/cached-sync";
import { calendarUri, containerOfUri } from "../../src/sync/calendar-identity";
import { buildCalendarLists, calendarsForThunderbird, shownName } from "../../src/sync/calendar-lists";
import { applyWrite } from "../../src/sync/event-writes";
import { queryRange } from "../../src/sync/live-query";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { FakeThunderbirdCalendars, MemorySecrets, MemoryStorage } from "./support/fakes";

const { alice } = DEMO.users;
const L = DEMO.todoLists;
const T = DEMO.tasks;

function descriptor(uid: string, type: string, owner: string, verbs: ContainerDescriptor["verbs"], name = uid): ContainerDescriptor {
  return {
    uid,
    name,
    owner,
    type,
    verbs,
    defaultContainer: false,
    readOnly: false,
    domainUid: "d",
    ownerDisplayname: owner,
    ownerDirEntryPath: "",
    settings: {},
    deleted: false,
    datalocation: null,
    internalId: 1,
    writable: verbs.includes("Write"),
    offlineSync: true,
    automount: true,
  };
}

/** A cached task calendar as the sync sees it: iCalendar UID and version per BlueMind item uid. */
class TaskCache {
  readonly items = new Map<string, { uid: string; version: number; summary: string }>();
  version: number | null = null;
  syncedAt: number | null = null;
  async state() {
    return { version: this.version, syncedAt: this.syncedAt };
  }
  async index() {
    return Object.fromEntries([...this.items].map(([k, v]) => [k, v.version]));
  }
  async apply(batch: CacheBatch) {
    const todos = batch.ics ? new ICAL.Component(ICAL.parse(batch.ics)).getAllSubcomponents("vtodo") : [];
    for (const c of todos) {
      const uid = String(c.getFirstPropertyValue("uid"));
      const meta = batch.meta?.[uid];
      assert.ok(meta, `meta for ${uid}`);
      this.items.set(meta.itemUid, { uid, version: meta.version, summary: String(c.getFirstPropertyValue("summary")) });
    }
    for (const itemUid of batch.deletes ?? []) this.items.delete(itemUid);
    if (batch.keepOnly) for (const k of [...this.items.keys()]) if (!batch.keepOnly.includes(k)) this.items.delete(k);
    if (batch.version != null) {
      this.version = batch.version;
      this.syncedAt = (batch as { syncedAt?: number }).syncedAt ?? this.syncedAt;
    }
  }
}

describe("todo lists: the preferences' lists, identity, Thunderbird's task calendars, sync and writes", () => {
  let server: RunningServer;
  let http: BlueMindHttp;
  const me = () => ({ uid: alice.uid, domainUid: DEMO.domainUid });

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    const anonymous = new BlueMindHttp({ origin: server.url });
    http = anonymous.withKey((await signIn(anonymous, alice.login, alice.password, "test", "k")).apiKey.sid);
  });
  afterEach(() => server.close());

  it("builds the lists of one type with the calendars' rules: default first by its uid prefix, managed and subscribed others", () => {
    const mine = [
      descriptor("todolist:user_z", "todolist", "me", ["All"], "Zèbre"),
      descriptor("todolist:default_me", "todolist", "me", ["All"], "$$mytasks$$"),
    ];
    const shared = descriptor("team", "todolist", "bob", ["Read"], "Équipe");
    const lists = buildCalendarLists({
      userUid: "me",
      containerType: "todolist",
      owned: [...mine, descriptor("calendar:Default:me", "calendar", "me", ["All"])],
      manageable: [descriptor("managed", "todolist", "carol", ["Manage"], "Astreintes")],
      subscriptions: [
        {
          containerUid: "todolist:default_me",
          containerType: "todolist",
          owner: "me",
          offlineSync: true,
          defaultContainer: true,
          name: "x",
        },
        { containerUid: "team", containerType: "todolist", owner: "bob", offlineSync: false, defaultContainer: false, name: "x" },
        {
          containerUid: "calendar:Default:me",
          containerType: "calendar",
          owner: "me",
          offlineSync: true,
          defaultContainer: true,
          name: "x",
        },
      ],
      subscribedOthers: [shared],
    });
    assert.deepEqual(
      lists.mine.map((e) => [e.name, e.defaultContainer, e.subscribed, e.containerType]),
      [
        ["$$mytasks$$", true, true, "todolist"],
        ["Zèbre", false, false, "todolist"],
      ],
    );
    assert.deepEqual(
      lists.others.map((e) => [e.name, e.readOnly, e.managed]),
      [
        ["Astreintes", true, true],
        ["Équipe", true, false],
      ],
    );
    assert.deepEqual(
      calendarsForThunderbird(lists).map((e) => e.uid),
      ["todolist:default_me", "team"],
    );
    assert.equal(shownName("$$mytasks$$", "Mes tâches"), "Mes tâches");
    assert.equal(shownName("Zèbre", "Mes tâches"), "Zèbre");
  });

  it("fetches alice's calendar lists and task lists in one go, each kind with its own containers", async () => {
    const lists = await fetchCalendarLists(http, me());
    assert.deepEqual(
      lists.mine.map((e) => e.name),
      ["Alice", "Archives", "Projets"],
    );
    assert.deepEqual(
      lists.myTodoLists.map((e) => [e.name, e.subscribed, e.offlineSync, e.readOnly]),
      [
        ["$$mytasks$$", true, true, false],
        ["Courses", true, false, false],
      ],
    );
    assert.deepEqual(
      lists.otherTodoLists.map((e) => [e.name, e.ownerDisplayName, e.offlineSync, e.readOnly, e.canRead]),
      [["Tâches de l'équipe", DEMO.users.bob.displayName, true, true, true]],
    );
  });

  it("identifies a todo list by its REST resource, apart from calendars", () => {
    const origin = "https://bm.example.com";
    const uri = calendarUri(origin, L.alice.uid, "todolist");
    assert.equal(uri, `${origin}/api/todolist/${encodeURIComponent(L.alice.uid)}`);
    assert.deepEqual(containerOfUri(origin, uri), { uid: L.alice.uid, kind: "todolist" });
    assert.deepEqual(containerOfUri(origin, calendarUri(origin, "calendar:Default:x")), { uid: "calendar:Default:x", kind: "calendar" });
    assert.equal(containerOfUri(origin, `${origin}/api/todolist/a/b`), null);
  });

  it("gives Thunderbird one task calendar per subscribed readable list, with the Synchronisation rule, and follows a switch", async () => {
    const calendars = new FakeThunderbirdCalendars();
    const service = new AccountService({
      store: new AccountStore(new MemoryStorage()),
      secrets: new MemorySecrets(),
      calendars,
      connect: (origin, apiKey) => new BlueMindHttp({ origin, apiKey }),
      clientOrigin: "test",
      keyDisplayName: "k",
      myTasksName: "Mes tâches",
      now: () => Date.now(),
      onChange: () => undefined,
    });
    await service.start();
    await service.signIn(server.url, alice.login, alice.password);
    const uri = (uid: string) => calendarUri(server.url, uid, "todolist");
    const tasks = calendars.calendars.filter((c) => c.uri.includes("/api/todolist/"));
    assert.deepEqual(
      tasks.map((c) => [c.uri, c.name, c.cached, c.readOnly]).sort(),
      [
        [uri(L.alice.uid), "Mes tâches", true, false],
        [uri(L.courses.uid), "Courses", false, false],
        [uri(L.equipeBob.uid), "Tâches de l'équipe", true, true],
      ].sort(),
    );
    const view = service.view();
    assert.deepEqual([view.myTodoLists.map((r) => r.itemCount), view.otherTodoLists.map((r) => r.itemCount)], [[3, 1], [1]]);
    const before = calendars.byUri(uri(L.courses.uid))?.id;
    await service.setSync(L.courses.uid, true);
    assert.equal(server.state.subscription(alice.uid, L.courses.uid)?.offlineSync, true, "written back with _subscribe");
    const after = calendars.calendars.filter((c) => c.uri === uri(L.courses.uid));
    assert.deepEqual([after.length, after[0]?.cached, after[0]?.id !== before], [1, true, true]);
    assert.ok((await service.calendarItems(uri(L.alice.uid))) instanceof TodoItems);
  });

  it("syncs a todo list as a calendar: _changeset, _mget, the version; then only what changed", async () => {
    const items = new TodoItems(http, L.alice.uid);
    const cache = new TaskCache();
    const first = await syncCachedCalendar(items, cache);
    assert.deepEqual(
      [...cache.items.values()].map((t) => t.summary).sort(),
      [T.invoice.summary, T.passport.summary, T.weeklyReport.summary].sort(),
    );
    assert.equal(cache.version, first.version);
    const start = server.requestCount();
    const store = server.state.stores.get(L.alice.uid)!;
    const invoice = store.get(T.invoice.uid)!.value as VTodo;
    store.update(T.invoice.uid, { ...invoice, summary: "Facture (web)" }, "Facture (web)", alice.uid, Date.now());
    const next = await syncCachedCalendar(items, cache);
    assert.deepEqual([next.fetched, cache.items.get(T.invoice.uid)?.summary], [1, "Facture (web)"]);
    assert.deepEqual(
      server.requests.slice(start).map((r) => `${r.method} ${r.path.split("/").pop()}`),
      ["GET _version", "GET _changeset", "POST _mget"],
    );
  });

  it("answers an online-only list's queries with every task, whatever the window (BlueMind's window drops tasks without a due date)", async () => {
    const { ics, meta } = await queryRange(new TodoItems(http, L.courses.uid), "2001-01-01", "2001-02-01");
    assert.match(ics, /SUMMARY:Acheter du pain/);
    assert.deepEqual(
      Object.values(meta).map((m) => m.itemUid),
      [T.bread.uid],
    );
  });

  it("writes tasks as events are written: create (idempotent), tick over base, delete; a Read-only list refuses", async () => {
    const items = new TodoItems(http, L.alice.uid);
    const id = randomUUID();
    const ics = todoToIcs({ uid: id, summary: "Nouvelle tâche", status: "NeedsAction" });
    const made = await applyWrite(items, { op: "add", id, ics, itemUid: null, version: null }, randomUUID);
    assert.equal((server.state.stores.get(L.alice.uid)?.get(made.itemUid)?.value as VTodo).summary, "Nouvelle tâche");
    await applyWrite(items, { op: "add", id, ics, itemUid: null, version: null }, randomUUID);
    assert.equal(server.state.stores.get(L.alice.uid)?.size, 4, "a replayed add does not duplicate");
    const invoice = (await items.complete(T.invoice.uid))!;
    const ticked = todoToIcs({
      ...invoice.value,
      status: "Completed",
      percent: 100,
      completed: { iso8601: "2026-12-01T10:00:00.000Z", timezone: "UTC", precision: "DateTime" },
    });
    const outcome = await applyWrite(
      items,
      { op: "modify", id: invoice.value.uid, ics: ticked, itemUid: invoice.uid, version: invoice.version },
      randomUUID,
    );
    assert.match(outcome.ics ?? "", /STATUS:COMPLETED/);
    const stored = server.state.stores.get(L.alice.uid)?.get(T.invoice.uid)?.value as VTodo;
    assert.deepEqual(
      [stored.status, stored.percent, stored.alarm?.[0]?.trigger, stored.location],
      ["Completed", 100, -86400, "Comptabilité"],
    );
    await applyWrite(items, { op: "delete", id, ics: null, itemUid: made.itemUid, version: null }, randomUUID);
    assert.equal(server.state.stores.get(L.alice.uid)?.get(made.itemUid), undefined);
    const team = new TodoItems(http, L.equipeBob.uid);
    const demo = (await team.complete(T.demo.uid))!;
    await assert.rejects(
      applyWrite(
        team,
        { op: "modify", id: demo.value.uid, ics: todoToIcs({ ...demo.value, summary: "x" }), itemUid: demo.uid, version: demo.version },
        randomUUID,
      ),
      { kind: "permissionDenied" },
    );
  });
});
