import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { signIn } from "../../src/bluemind/auth";
import { CalendarItems } from "../../src/bluemind/calendar-items";
import { BlueMindHttp } from "../../src/bluemind/http";
import { icsToSeriesList, seriesToIcs } from "../../src/convert";
import { MGET_BLOCK_SIZE, syncCachedCalendar, type CacheBatch } from "../../src/sync/cached-sync";
import { applyWrite } from "../../src/sync/event-writes";
import { queryRange, rangeBound } from "../../src/sync/live-query";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { MemoryCache } from "./support/memory-cache";

const { alice } = DEMO.users;
const C = DEMO.calendars;
const E = DEMO.events;

describe("calendar contents against the reference server", () => {
  let server: RunningServer;
  let http: BlueMindHttp;
  const items = (uid: string) => new CalendarItems(http, uid);
  const requestsSince = (start: number) => server.requests.slice(start).map((r) => `${r.method} ${r.path.split("/").pop()}`);

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    const anonymous = new BlueMindHttp({ origin: server.url });
    const { apiKey } = await signIn(anonymous, alice.login, alice.password, "test", "k");
    http = anonymous.withKey(apiKey.sid);
  });
  afterEach(() => server.close());

  describe("synced calendars (cached)", () => {
    it("first sync: _changeset since 0, then _mget in blocks of 500, then the version", async () => {
      const cache = new MemoryCache();
      const start = server.requestCount();
      const progress: number[] = [];
      const report = await syncCachedCalendar(items(C.archives.uid), cache, (p) => progress.push(p.done));
      assert.equal(cache.items.size, DEMO.archivesEventCount);
      assert.equal(cache.version, report.version);
      const calls = requestsSince(start);
      assert.equal(calls[0], "GET _changeset");
      assert.equal(calls.filter((c) => c === "POST _mget").length, Math.ceil(9500 / MGET_BLOCK_SIZE));
      assert.equal(calls.length, 1 + 19);
      assert.equal(progress.at(-1), 9500);
    });

    it("later syncs: one cheap _version request when nothing changed", async () => {
      const cache = new MemoryCache();
      await syncCachedCalendar(items(C.alice.uid), cache);
      const start = server.requestCount();
      const report = await syncCachedCalendar(items(C.alice.uid), cache);
      assert.equal(report.unchanged, true);
      assert.deepEqual(requestsSince(start), ["GET _version"]);
    });

    it("brings one server change with three requests, and applies a server deletion", async () => {
      const cache = new MemoryCache();
      const calendar = items(C.alice.uid);
      await syncCachedCalendar(calendar, cache);
      const workshop = await calendar.complete(E.clientWorkshop.uid);
      assert.ok(workshop?.value.main);
      workshop.value.main.summary = "Atelier client Dupont (déplacé)";
      await calendar.update(E.clientWorkshop.uid, workshop.value);
      let start = server.requestCount();
      const report = await syncCachedCalendar(calendar, cache);
      assert.equal(report.requests, 3);
      assert.deepEqual(requestsSince(start), ["GET _version", "GET _changeset", "POST _mget"]);
      assert.equal(cache.items.get(E.clientWorkshop.uid)?.main?.summary, "Atelier client Dupont (déplacé)");

      await calendar.remove(E.utcDeploy.uid);
      start = server.requestCount();
      await syncCachedCalendar(calendar, cache);
      assert.equal(cache.items.has(E.utcDeploy.uid), false);
    });

    it("resumes an interrupted first sync without gaps or duplicates", async () => {
      const cache = new MemoryCache();
      cache.failAtBatch = 3;
      await assert.rejects(syncCachedCalendar(items(C.archives.uid), cache));
      assert.equal(cache.version, null, "the version did not advance");
      assert.equal(cache.items.size, 3 * MGET_BLOCK_SIZE);
      // Meanwhile one archived event is deleted on the server.
      const [gone] = [...cache.items.keys()];
      assert.ok(gone);
      await items(C.archives.uid).remove(gone);
      await syncCachedCalendar(items(C.archives.uid), cache);
      assert.equal(cache.items.size, DEMO.archivesEventCount - 1);
      assert.equal(cache.items.has(gone), false);
      assert.notEqual(cache.version, null);
    });

    it("readies the next block while one is stored, hands blocks over one at a time, and none after a failed store", async () => {
      /** A cache that stages (as the background's, which splits rows on its worker) and stores slowly. */
      class StagingCache extends MemoryCache {
        readonly log: string[] = [];
        private staged = 0;
        private storing = 0;
        failAtStore: number | null = null;
        constructor(private readonly blocks: number) {
          super();
        }
        async stage(batch: CacheBatch): Promise<() => Promise<void>> {
          const n = this.staged++;
          this.log.push(`staged ${n}`);
          return async () => {
            assert.equal(this.storing, 0, "one block handed over at a time");
            this.storing++;
            this.log.push(`store ${n}`);
            // Storing takes until the next block is readied (or 2 s, if it never is).
            for (let waited = 0; this.staged <= n + 1 && n + 1 < this.blocks && waited < 2000; waited += 5) {
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
            this.storing--;
            if (n === this.failAtStore) throw new Error("Thunderbird went offline");
            await this.apply(batch);
            this.log.push(`stored ${n}`);
          };
        }
      }
      const blocks = Math.ceil(9500 / MGET_BLOCK_SIZE);
      const cache = new StagingCache(blocks);
      await syncCachedCalendar(items(C.archives.uid), cache);
      assert.equal(cache.items.size, DEMO.archivesEventCount);
      const at = (entry: string) => cache.log.indexOf(entry);
      for (let n = 0; n + 1 < blocks; n++) {
        assert.ok(at(`staged ${n + 1}`) < at(`stored ${n}`), `block ${n + 1} readied while block ${n} was stored`);
        assert.ok(at(`store ${n + 1}`) > at(`stored ${n}`), `block ${n + 1} handed over after block ${n} was stored`);
      }

      const failing = new StagingCache(blocks);
      failing.failAtStore = 2;
      await assert.rejects(syncCachedCalendar(items(C.archives.uid), failing), /offline/);
      await new Promise((resolve) => setTimeout(resolve, 200)); // what was readied meanwhile settles
      assert.ok(failing.log.includes("staged 3"), "the next block had been readied");
      assert.deepEqual(
        failing.log.filter((entry) => entry.startsWith("store ")),
        ["store 0", "store 1", "store 2"],
        "nothing handed over after the failed store",
      );
      assert.equal(failing.items.size, 2 * MGET_BLOCK_SIZE);
      assert.equal(failing.version, null);
    });

    it("fails with the next block's fetch error, unhandled nowhere, when it fails while a block is stored", async () => {
      const unhandled: unknown[] = [];
      const record = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", record);
      try {
        const calendar = items(C.archives.uid);
        let mgets = 0;
        const mget = calendar.mget.bind(calendar);
        calendar.mget = (uids) => (++mgets === 3 ? Promise.reject(new Error("connection reset")) : mget(uids));
        const cache = new MemoryCache();
        const apply = cache.apply.bind(cache);
        cache.apply = async (batch) => {
          await new Promise((resolve) => setTimeout(resolve, 50)); // the third fetch fails meanwhile
          await apply(batch);
        };
        await assert.rejects(syncCachedCalendar(calendar, cache), /connection reset/);
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(cache.items.size, 2 * MGET_BLOCK_SIZE, "the two blocks fetched were stored");
        assert.equal(cache.version, null);
        assert.deepEqual(unhandled, []);
      } finally {
        process.off("unhandledRejection", record);
      }
    });

    it("keeps recurrence exceptions and private masking as the server sends them", async () => {
      const cache = new MemoryCache();
      await syncCachedCalendar(items(C.bob.uid), cache);
      const masked = cache.items.get(E.bobPrivate.uid);
      assert.equal(masked?.main?.summary, "Private");
      const aliceCache = new MemoryCache();
      await syncCachedCalendar(items(C.alice.uid), aliceCache);
      const standup = aliceCache.items.get(E.weeklyStandup.uid);
      assert.equal(standup?.occurrences.length, 1);
      assert.equal(standup?.main?.exdate?.length, 1);
    });
  });

  describe("online-only calendars (live)", () => {
    it("answers a range with _search and returns only the events in it", async () => {
      const now = Date.now();
      const start = new Date(now - 30 * 86_400_000).toISOString();
      const end = new Date(now + 30 * 86_400_000).toISOString();
      const { ics, meta } = await queryRange(items(C.projets.uid), start, end);
      const found = icsToSeriesList(ics)
        .map((s) => s.main?.summary ?? s.occurrences[0]?.summary)
        .sort();
      assert.ok(found.includes(E.newYorkCall.summary), found.join());
      assert.ok(found.includes(E.offsite.summary));
      assert.equal(Object.values(meta).find((m) => m.itemUid === E.newYorkCall.uid)?.itemUid, E.newYorkCall.uid);
      assert.ok(meta[DEMO.newYorkIcsUid], "keyed by the iCalendar UID");
      const far = await queryRange(items(C.projets.uid), "2001-01-01", "2001-02-01");
      assert.deepEqual(Object.keys(far.meta), []);
    });

    it("sends again only what the provider does not hold at its version, and names the rest as kept", async () => {
      const now = Date.now();
      const start = new Date(now - 30 * 86_400_000).toISOString();
      const end = new Date(now + 30 * 86_400_000).toISOString();
      const first = await queryRange(items(C.projets.uid), start, end);
      const versions = Object.fromEntries(Object.values(first.meta).map((m) => [m.itemUid, m.version]));
      assert.ok(versions[E.newYorkCall.uid] !== undefined && versions[E.offsite.uid] !== undefined);
      assert.deepEqual(first.kept, []);

      const held = { ...versions, [E.offsite.uid]: versions[E.offsite.uid]! - 1, "gone-item": 3 };
      const again = await queryRange(items(C.projets.uid), start, end, held);
      assert.deepEqual(
        again.kept.sort(),
        Object.keys(versions)
          .filter((uid) => uid !== E.offsite.uid)
          .sort(),
        "every held item still in the range at its version, and nothing else",
      );
      assert.deepEqual(
        Object.values(again.meta).map((m) => m.itemUid),
        [E.offsite.uid],
        "the item held at an older version is sent again",
      );
      const titles = icsToSeriesList(again.ics).map((s) => s.main?.summary ?? s.occurrences[0]?.summary);
      assert.deepEqual(titles, [E.offsite.summary]);
    });

    it("turns Thunderbird's RFC 3339 bounds into BlueMind date-times", () => {
      assert.deepEqual(rangeBound("2026-11-27"), { iso8601: "2026-11-27T00:00:00.000Z", timezone: "UTC", precision: "DateTime" });
      assert.equal(rangeBound("2026-11-27T10:00:00+01:00")?.iso8601, "2026-11-27T09:00:00.000Z");
      assert.equal(rangeBound(null), null);
    });
  });

  describe("edits from Thunderbird", () => {
    const newEvent = (uid: string, summary: string): string =>
      seriesToIcs({
        icsUid: uid,
        main: {
          dtstart: { iso8601: "2026-12-01T10:00:00.000+01:00", timezone: "Europe/Paris", precision: "DateTime" },
          dtend: { iso8601: "2026-12-01T11:00:00.000+01:00", timezone: "Europe/Paris", precision: "DateTime" },
          summary,
        },
        occurrences: [],
      });

    it("creates an event idempotently (a replayed add does not duplicate it)", async () => {
      const calendar = items(C.alice.uid);
      const id = randomUUID();
      const first = await applyWrite(calendar, { op: "add", id, ics: newEvent(id, "Nouveau"), itemUid: null, version: null }, randomUUID);
      assert.equal(first.itemUid, id);
      const before = server.state.calendarItemCount(C.alice.uid);
      await applyWrite(calendar, { op: "add", id, ics: newEvent(id, "Nouveau"), itemUid: null, version: null }, randomUUID);
      assert.equal(server.state.calendarItemCount(C.alice.uid), before);
      assert.equal((await calendar.complete(id))?.value.main?.summary, "Nouveau");
      const logged = server.requests.filter((r) => r.method === "PUT" && r.path.endsWith(id));
      assert.ok(
        logged.every((r) => r.query.includes("sendNotifications=true")),
        "BlueMind sends the invitations",
      );
    });

    it("modifies only what changed, keeping what Thunderbird cannot show", async () => {
      const calendar = items(C.alice.uid);
      const original = await calendar.complete(E.clientWorkshop.uid);
      assert.ok(original?.value.main);
      original.value.main.conference = "https://visio.example/abc";
      await calendar.update(E.clientWorkshop.uid, original.value);
      const seen = await calendar.complete(E.clientWorkshop.uid);
      assert.ok(seen?.value.main);
      const edited = structuredClone(seen.value);
      edited.main!.summary = "Atelier client Dupont — v2";
      const outcome = await applyWrite(
        calendar,
        {
          op: "modify",
          id: seen.value.icsUid,
          ics: seriesToIcs({ ...edited, main: { ...edited.main!, conference: null } }),
          itemUid: seen.uid,
          version: seen.version,
        },
        randomUUID,
      );
      assert.equal(outcome.conflict, null);
      const saved = await calendar.complete(E.clientWorkshop.uid);
      assert.equal(saved?.value.main?.summary, "Atelier client Dupont — v2");
      assert.equal(saved?.value.main?.conference, "https://visio.example/abc");
      assert.deepEqual(
        saved?.value.main?.attendees?.map((a) => a.mailto),
        seen.value.main.attendees?.map((a) => a.mailto),
      );
    });

    it("settles a conflict by the README rule: Thunderbird's edit wins and the replaced version is reported", async () => {
      const calendar = items(C.alice.uid);
      const seen = await calendar.complete(E.utcDeploy.uid);
      assert.ok(seen?.value.main);
      const serverSide = structuredClone(seen.value);
      serverSide.main!.location = "changed on the web";
      await calendar.update(E.utcDeploy.uid, serverSide);
      const local = structuredClone(seen.value);
      local.main!.summary = "Déploiement (offline edit)";
      const outcome = await applyWrite(
        calendar,
        { op: "modify", id: local.icsUid, ics: seriesToIcs(local), itemUid: seen.uid, version: seen.version },
        randomUUID,
      );
      assert.equal(outcome.conflict?.kind, "modified");
      assert.equal(outcome.conflict?.serverUpdatedBy !== undefined, true);
      assert.equal((await calendar.complete(E.utcDeploy.uid))?.value.main?.summary, "Déploiement (offline edit)");
    });

    it("refuses to edit a private event it sees masked", async () => {
      const calendar = items(C.bob.uid);
      const masked = await calendar.complete(E.bobPrivate.uid);
      assert.ok(masked);
      await assert.rejects(
        applyWrite(
          calendar,
          { op: "modify", id: masked.value.icsUid, ics: seriesToIcs(masked.value), itemUid: masked.uid, version: masked.version },
          randomUUID,
        ),
        { kind: "permissionDenied" },
      );
    });

    it("deletes an event, and a read-only calendar refuses writes", async () => {
      const calendar = items(C.alice.uid);
      await applyWrite(calendar, { op: "delete", id: "x", ics: null, itemUid: E.pastReview.uid, version: null }, randomUUID);
      assert.equal(await calendar.complete(E.pastReview.uid), null);
      const id = randomUUID();
      await assert.rejects(
        applyWrite(items(C.bob.uid), { op: "add", id, ics: newEvent(id, "x"), itemUid: null, version: null }, randomUUID),
        { kind: "permissionDenied" },
      );
    });
  });
});
