/**
 * Property test of offline editing (issue 4 §3), in a real Thunderbird: 1,000 random
 * operations made offline (create, modify, delete, edit or delete one occurrence), on events
 * created offline and on events that were on the server, then reconnect. Afterwards the
 * server and Thunderbird must hold the same events, and both must equal what the test's own
 * model (support/offline-model.ts) says the operations produce.
 *
 * Seeded: the seed is printed, and OFFLINE_PROPERTY_SEED=<n> replays a run
 * (OFFLINE_PROPERTY_OPERATIONS=<n> changes the count). The demo data is anchored to a fixed
 * date, so a seed gives the same operations on every machine and day.
 *
 * How the sides are read, and why:
 * - The server from its item store, as BlueMind JSON normalized here without the add-on's
 *   converter: a converter bug that loses a field on the way to BlueMind shows up.
 * - Thunderbird from its own cache after the incremental sync that follows the replay, not after
 *   a fresh full resync: that is what the user sees, and a full resync would paper over an
 *   incremental sync that missed a change.
 * - Thunderbird is also compared with the model while still offline, before anything reached
 *   the add-on: a mismatch there is the model's (or Thunderbird's), not the add-on's.
 */

import { strict as assert } from "node:assert";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO, demoState } from "../../server/demo-data";
import { seriesDisplayName } from "../../server/store";
import type { AccountView } from "../../src/background/protocol";
import { calendarUri } from "../../src/sync/calendar-identity";
import { launchThunderbird, type Thunderbird } from "./harness/thunderbird";
import { ADDON_ID, assertBuilt, dumpLogOnFailure, signInFromOptionsPage, waitFor, XPI } from "./support/addon";
import { applyOperations, cachedVersion, pendingOfflineChanges, readSeries, refresh, setOffline } from "./support/calendar-chrome";
import {
  describeDifferences,
  normalFromSeries,
  normalFromThunderbird,
  OfflineWorld,
  sortNormal,
  type NormalEvent,
} from "./support/offline-model";

const { alice } = DEMO.users;
const C = DEMO.calendars;

const DEFAULT_SEED = 20261127;
const SEED = Number(process.env.OFFLINE_PROPERTY_SEED ?? DEFAULT_SEED);
const OPERATIONS = Number(process.env.OFFLINE_PROPERTY_OPERATIONS ?? 1000);
/** The demo data's "now": fixed, so the operations depend on the seed only (and span two DST changes). */
const ANCHOR = Date.UTC(2026, 9, 12, 8, 0, 0);
/** Events put on the server before the first sync, so offline edits hit server events too. */
const SERVER_EVENTS = 40;
/** Operations per chrome call (each call stays far below Marionette's 30 s script timeout). */
const BATCH = 100;

describe("offline property: random offline edits, then reconnect", function () {
  this.timeout(300_000);

  let server: RunningServer;
  let tb: Thunderbird;
  let world: OfflineWorld;
  const uri = (): string => calendarUri(server.url, C.alice.uid);
  const store = () => {
    const s = server.state.calendar(C.alice.uid);
    assert.ok(s, "alice's calendar on the server");
    return s;
  };
  const onServer = (): NormalEvent[] =>
    sortNormal(
      store()
        .all()
        .map((item) => normalFromSeries(item.value)),
    );
  const inThunderbird = async (): Promise<NormalEvent[]> => sortNormal((await readSeries(tb, uri())).map(normalFromThunderbird));
  const assertSame = (left: NormalEvent[], right: NormalEvent[], names: [string, string]): void => {
    const differences = describeDifferences(left, right, names);
    assert.equal(differences.length, 0, `${names[0]} and ${names[1]} differ (seed ${SEED}):\n  ${differences.join("\n  ")}`);
    assert.deepEqual(left, right);
  };

  before(async () => {
    assert.ok(Number.isInteger(SEED), "OFFLINE_PROPERTY_SEED must be an integer");
    assertBuilt();
    console.log(`      offline property: seed ${SEED} (replay with OFFLINE_PROPERTY_SEED=${SEED})`);
    world = new OfflineWorld(SEED, ANCHOR);
    const state = demoState({ now: ANCHOR });
    // Alice's 9,500 archived events would only slow the first sync: Archives stays online-only.
    state.patchSubscription(alice.uid, C.archives.uid, { offlineSync: false });
    const calendar = state.calendar(C.alice.uid);
    assert.ok(calendar);
    world.adopt(calendar.all().map((item) => item.value));
    for (const series of world.seedServerEvents(SERVER_EVENTS)) {
      calendar.create(series.icsUid, series, seriesDisplayName(series), alice.uid, ANCHOR);
    }
    server = await startServer({ state });
    tb = await launchThunderbird();
    await tb.installAddon(XPI, { temporary: false });
    await signInFromOptionsPage(tb, server.url, alice.login, alice.password);
    await waitFor(
      "alice's first sync",
      () => cachedVersion(tb, uri()).catch(() => null),
      (v) => v === store().version,
      60_000,
    );
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
  });

  afterEach(dumpLogOnFailure(() => tb));

  it(`${OPERATIONS} random offline operations, then reconnect: server = Thunderbird = model`, async () => {
    const started = Date.now();
    assertSame(onServer(), world.expected(), ["server", "model"]);
    assertSame(await inThunderbird(), onServer(), ["Thunderbird", "server"]);
    const versionBefore = store().version;

    await setOffline(tb, true);
    const operations = world.generate(OPERATIONS);
    const t0 = Date.now();
    for (let i = 0; i < operations.length; i += BATCH) {
      const failures = await applyOperations(tb, uri(), operations.slice(i, i + BATCH));
      assert.deepEqual(
        failures.map((f) => ({ ...f, op: operations[i + f.index] })),
        [],
        "every operation applies offline",
      );
    }
    const applyMs = Date.now() - t0;
    const pending = await pendingOfflineChanges(tb, uri());
    assert.ok(pending > 0, "the edits wait in Thunderbird's offline journal");
    assert.equal(store().version, versionBefore, "nothing reached the server while offline");
    assertSame(await inThunderbird(), world.expected(), ["Thunderbird offline", "model"]);

    const t1 = Date.now();
    const requestsBefore = server.requests.length;
    await setOffline(tb, false);
    await waitFor(
      "the offline journal replayed",
      () => pendingOfflineChanges(tb, uri()),
      (n) => n === 0,
      180_000,
    );
    const replayMs = Date.now() - t1;
    // The replay ends with a sync; while the cache lags behind the server's last version (a
    // sync that started before a late write), refreshes (nothing left to replay) catch it up.
    await waitFor(
      "Thunderbird synced with the server",
      async () => {
        const version = await cachedVersion(tb, uri());
        if (version !== store().version) await refresh(tb, uri());
        return version;
      },
      (v) => v === store().version,
      60_000,
    );
    const syncMs = Date.now() - t1;
    const writes = server.requests
      .slice(requestsBefore)
      .filter((r) => r.method !== "GET" && r.path.startsWith(`/api/calendars/${C.alice.uid}/`) && !r.path.includes("/_")).length;

    // Nothing changed in BlueMind meanwhile: each journal item is sent once, and the options
    // page reports no conflict and no error.
    assert.equal(writes, pending, "one write per offline journal item");
    await tb.openOptionsPage(ADDON_ID);
    const { state } = await tb.content<{ state: AccountView }>(`return browser.runtime.sendMessage({ type: "getState" });`);
    assert.deepEqual(state.conflicts, []);
    assert.equal(state.mine.find((row) => row.uid === C.alice.uid)?.activity.error, null);

    const expected = world.expected();
    const serverNow = onServer();
    assertSame(serverNow, expected, ["server", "model"]);
    assertSame(await inThunderbird(), serverNow, ["Thunderbird", "server"]);

    const mix = [...world.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([label, n]) => `${label} ${n}`)
      .join(", ");
    console.log(`      offline property: ${OPERATIONS} operations (seed ${SEED}), ${expected.length} events, server = Thunderbird = model`);
    console.log(`      mix: ${mix}; ${world.onServerEvents} on events already on the server`);
    console.log(`      replay: ${pending} items in Thunderbird's offline journal, ${writes} writes to BlueMind`);
    console.log(
      `      time: apply offline ${(applyMs / 1000).toFixed(1)} s, replay ${(replayMs / 1000).toFixed(1)} s, until synced ${(syncMs / 1000).toFixed(1)} s, test ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
