/**
 * Full reconciliation of a cached calendar (src/sync/cached-sync.ts) against the reference
 * server in the three situations BlueMind's change log never admits to: a restore from a
 * backup, deletions purged during a long absence, a moved mailbox. Each ends with the cache
 * equal to BlueMind (uids and versions), costs the requests counted here, and never removes
 * nor overwrites an item holding an offline edit.
 */
import { strict as assert } from "node:assert";
import { currentUser, signIn } from "../../src/bluemind/auth";
import { CalendarItems } from "../../src/bluemind/calendar-items";
import { BlueMindHttp } from "../../src/bluemind/http";
import { MGET_BLOCK_SIZE, syncCachedCalendar, type SyncContext } from "../../src/sync/cached-sync";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { moveMailbox } from "../../server/history";
import { MemoryCache } from "./support/memory-cache";

const { alice } = DEMO.users;
const C = DEMO.calendars;
const E = DEMO.events;
const DAY = 86_400_000;

describe("full reconciliation when BlueMind's change log has gaps", () => {
  let server: RunningServer;
  let http: BlueMindHttp;
  let calendar: CalendarItems;
  let context: SyncContext;
  const calls = (start: number) =>
    server.requests.slice(start).map((r) => `${r.method} ${r.path.split("/").pop()}${r.path.includes("_changeset") ? r.query : ""}`);
  const onServer = (uid = C.alice.uid) =>
    new Map(
      server.state
        .calendar(uid)!
        .all()
        .map((i) => [i.uid, i.version]),
    );
  const retitle = async (uid: string, summary: string) => {
    const item = (await calendar.complete(uid))!;
    await calendar.update(uid, { ...item.value, main: { ...item.value.main!, summary } });
  };

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    const anonymous = new BlueMindHttp({ origin: server.url });
    const { apiKey } = await signIn(anonymous, alice.login, alice.password, "test", "k");
    http = anonymous.withKey(apiKey.sid);
    calendar = new CalendarItems(http, C.alice.uid);
    context = { mailboxCopyGuid: async () => (await currentUser(http)).value.mailboxCopyGuid ?? null };
  });
  afterEach(() => server.close());

  it("server restored from a backup: later items leave, reverted ones come back as they were, for _version + _changeset + one _mget", async () => {
    const cache = new MemoryCache();
    await syncCachedCalendar(calendar, cache, undefined, context);
    const backup = server.state.backup();
    await calendar.create("apres-sauvegarde", { ...(await calendar.complete(E.utcDeploy.uid))!.value, icsUid: "apres-sauvegarde" });
    await retitle(E.clientWorkshop.uid, "Atelier (après la sauvegarde)");
    await calendar.remove(E.pastReview.uid);
    await syncCachedCalendar(calendar, cache, undefined, context);
    assert.ok(cache.items.has("apres-sauvegarde") && !cache.items.has(E.pastReview.uid));

    server.state.restoreBackup(backup);
    const start = server.requestCount();
    const report = await syncCachedCalendar(calendar, cache, undefined, context);
    assert.deepEqual(report.reconciled, { depth: "everything", reasons: ["serverRestored"] });
    assert.deepEqual(calls(start), ["GET auth", "GET _version", "GET _changeset?since=0", "POST _mget"]);
    assert.deepEqual(new Map(cache.versions), onServer(), "every uid, every version as BlueMind has them");
    assert.equal(
      cache.items.get(E.clientWorkshop.uid)?.main?.summary,
      (await calendar.complete(E.clientWorkshop.uid))!.value.main!.summary,
    );
    assert.equal(report.fetched, 2, "only what differs is stored: the reverted event and the one back");
    assert.equal(report.deleted, 1);
    assert.equal(cache.version, await calendar.version());

    // Recovered: the next change is an ordinary incremental sync again.
    await retitle(E.utcDeploy.uid, "Déploiement (après la restauration)");
    const next = server.requestCount();
    const after = await syncCachedCalendar(calendar, cache, undefined, context);
    assert.equal(after.reconciled, undefined);
    assert.deepEqual(calls(next), ["GET auth", "GET _version", `GET _changeset?since=${report.version}`, "POST _mget"]);
    assert.deepEqual(new Map(cache.versions), onServer());
  });

  it("history purged during a long absence: the deletions never told are found by the live uids, for one more request", async () => {
    const cache = new MemoryCache();
    const trusting = new MemoryCache(); // the same copy, stamped as if it had synced yesterday
    await syncCachedCalendar(calendar, cache, undefined, context);
    await syncCachedCalendar(calendar, trusting, undefined, context);
    await calendar.remove(E.pastReview.uid);
    await retitle(E.clientWorkshop.uid, "Atelier (pendant l'absence)");
    server.state.clockOffsetMs = 61 * DAY; // the server lives on; its cleanup forgets the deletion
    assert.deepEqual((await calendar.changeset(cache.version!)).deleted, []);

    const absent = { ...context, now: () => Date.now() + 61 * DAY };
    trusting.syncedAt = absent.now() - DAY;
    await syncCachedCalendar(calendar, trusting, undefined, absent);
    assert.ok(trusting.items.has(E.pastReview.uid), "trusting the log leaves a ghost: why the check exists");

    const since = cache.version;
    const start = server.requestCount();
    const report = await syncCachedCalendar(calendar, cache, undefined, absent);
    assert.deepEqual(report.reconciled, { depth: "deletions", reasons: ["historyPurged"] });
    assert.deepEqual(
      calls(start).sort(),
      ["GET auth", "GET _version", `GET _changeset?since=${since}`, "GET _changeset?since=0", "POST _mget"].sort(),
    );
    assert.deepEqual(new Map(cache.versions), onServer());
    assert.equal(cache.items.get(E.clientWorkshop.uid)?.main?.summary, "Atelier (pendant l'absence)");
    assert.ok(Math.abs(cache.syncedAt! - absent.now()) < 60_000, "stamped again");
    const again = await syncCachedCalendar(calendar, cache, undefined, absent);
    assert.equal(again.reconciled, undefined, "once stamped, the next sync trusts the log again");
  });

  it("mailbox moved: a new mailboxCopyGuid makes every item compared; nothing unchanged is stored again", async () => {
    const cache = new MemoryCache();
    await syncCachedCalendar(calendar, cache, undefined, context);
    assert.equal(cache.mailboxCopyGuid, null, "the guid seen at that sync is stored");
    await calendar.remove(E.pastReview.uid);
    const guid = moveMailbox(server.state, alice.uid);
    const applied = cache.applied;
    const start = server.requestCount();
    const report = await syncCachedCalendar(calendar, cache, undefined, context);
    assert.deepEqual(report.reconciled, { depth: "everything", reasons: ["mailboxMoved"] });
    assert.deepEqual(calls(start), ["GET auth", "GET _version", "GET _changeset?since=0", "POST _mget"]);
    assert.deepEqual(new Map(cache.versions), onServer());
    assert.equal(report.fetched, 0);
    assert.equal(cache.applied - applied, 1, "one final batch: the deletion and the new stamp");
    assert.equal(cache.mailboxCopyGuid, guid);
    assert.equal((await syncCachedCalendar(calendar, cache, undefined, context)).unchanged, true);
  });

  it("costs _version + _changeset + one _mget per 500 items: 9,500 archived events, none stored again", async () => {
    const archives = new CalendarItems(http, C.archives.uid);
    const cache = new MemoryCache();
    await syncCachedCalendar(archives, cache, undefined, context);
    moveMailbox(server.state, alice.uid);
    const applied = cache.applied;
    const start = server.requestCount();
    const report = await syncCachedCalendar(archives, cache, undefined, context);
    const made = calls(start);
    assert.equal(made.filter((c) => c === "POST _mget").length, Math.ceil(DEMO.archivesEventCount / MGET_BLOCK_SIZE));
    assert.equal(made.length, 1 + 1 + 1 + Math.ceil(DEMO.archivesEventCount / MGET_BLOCK_SIZE), "auth, _version, _changeset, 19 _mget");
    assert.equal(report.fetched, 0);
    assert.equal(cache.applied - applied, 1);
  });

  it("never removes nor overwrites an item holding an offline edit; a replayed edit's own copy is replaced by BlueMind's", async () => {
    const cache = new MemoryCache();
    await syncCachedCalendar(calendar, cache, undefined, context);
    const backup = server.state.backup();
    await calendar.create("hors-ligne", { ...(await calendar.complete(E.utcDeploy.uid))!.value, icsUid: "hors-ligne" });
    await retitle(E.clientWorkshop.uid, "Atelier (version perdue)");
    await syncCachedCalendar(calendar, cache, undefined, context);
    // Offline edits in Thunderbird: one on an event of the lost period, one not sent yet.
    cache.flagged.add("hors-ligne");
    cache.flagged.add(E.clientWorkshop.uid);
    const replayed = E.utcDeploy.uid;
    cache.versions.set(replayed, -1);
    server.state.restoreBackup(backup);
    await syncCachedCalendar(calendar, cache, undefined, context);
    assert.ok(cache.items.has("hors-ligne"), "kept: its edit is not sent yet");
    assert.equal(cache.items.get(E.clientWorkshop.uid)?.main?.summary, "Atelier (version perdue)", "not overwritten");
    assert.equal(cache.versions.get(replayed), onServer().get(replayed), "BlueMind's copy of a replayed edit is stored");
  });

  it("an edit saved in Thunderbird while the reconciliation runs is not overwritten", async () => {
    const cache = new MemoryCache();
    await syncCachedCalendar(calendar, cache, undefined, context);
    const backup = server.state.backup();
    await retitle(E.clientWorkshop.uid, "Atelier (perdu)");
    await syncCachedCalendar(calendar, cache, undefined, context);
    server.state.restoreBackup(backup);
    cache.beforeApply = (batch) => {
      if (batch.meta && Object.values(batch.meta).some((m) => m.itemUid === E.clientWorkshop.uid)) {
        // The user's online edit lands first: BlueMind answers version 500 for it.
        cache.put(E.clientWorkshop.uid, { ...cache.items.get(E.clientWorkshop.uid)!, icsUid: E.clientWorkshop.uid }, 500);
        cache.beforeApply = null;
      }
    };
    await syncCachedCalendar(calendar, cache, undefined, context);
    assert.equal(cache.versions.get(E.clientWorkshop.uid), 500, "the edit saved meanwhile stays");
  });
});
