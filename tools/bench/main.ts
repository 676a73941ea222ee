/**
 * `npm run bench`: our sync against Thunderbird's own ICS subscription and against the storage
 * floor, on 10,000 realistic events, in one real headless Thunderbird and the in-process
 * reference server. Why one run: the measures are only comparable on the same machine load,
 * profile and data. Order: converter (Node, before Thunderbird starts), then a and b (our
 * add-on), f (two ways to parse: before c and d, which leave Thunderbird holding a 1.2 GB heap
 * whose collections dominated f when it ran after them), c (ICS), d (floor), g and h (month
 * queries), one after the other, each on its own calendar, with Thunderbird settled (forced
 * GC/CC, quiet main thread and storage) before each, and its memory sampled then (before and
 * after a, where the memory target is judged, again once it has stopped falling with
 * Thunderbird left alone). Prints a table, writes bench-results.json; exits non-zero only if
 * something broke.
 */

import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, type RunningServer } from "../../server/app";
import { MGET_BLOCK_SIZE } from "../../src/sync/cached-sync";
import { calendarUri } from "../../src/sync/calendar-identity";
import { launchThunderbird, type Thunderbird } from "../../test/e2e/harness/thunderbird";
import { ADDON_ID, assertBuilt, XPI } from "../../test/e2e/support/addon";
import { BENCH_CALENDAR, BENCH_PERSON, benchState } from "./bench-state";
import { idleCompaction, settle, storageCosts, thunderbirdVersion } from "./chrome";
import { converterThroughput } from "./convert-throughput";
import { CpuLog } from "./cpu";
import { benchEvents, kindCounts } from "./events";
import { icsSubscription } from "./measure-ics";
import { floor } from "./measure-floor";
import { firstSync, oneChangeSync, verifyFirstSync, type SyncTarget } from "./measure-ours";
import { monthQueries, parseComparison } from "./measure-queries";
import { memoryOnceSettled, otherThunderbirds, processGroupMemory } from "./memory";
import { heldText, resultsJson, table, type BenchRun, type Checkpoint } from "./report";
import { mainThreadWindow, MONITOR_PREFS, startMonitor } from "./monitor";
import { stampRequests, SYNC_TIMEOUT_MS, type Window } from "./wait";

const EVENT_COUNT = 10_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RESULTS = path.join(root, "bench-results.json");

const step = (message: string): void => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function main(): Promise<void> {
  const wallStart = Date.now();
  const loadStart = os.loadavg();
  assertBuilt();

  step(`generating ${EVENT_COUNT} events and the server state`);
  const events = benchEvents(EVENT_COUNT, BENCH_PERSON);
  const state = benchState(events);
  // The one event changed in b and c: a plain single event in the middle of the calendar.
  const changed = events.find((e, i) => i >= EVENT_COUNT / 2 && e.kind === "single")!;
  const item = { uid: changed.uid, icsUid: changed.series.icsUid };
  const originalTitle = changed.series.main!.summary!;

  step("e. converter throughput (Node)");
  const e = converterThroughput(
    events.map((x) => x.series),
    MGET_BLOCK_SIZE,
  );

  let server: RunningServer | undefined;
  let tb: Thunderbird | undefined;
  try {
    server = await startServer({ port: 0, state });
    const stamped = stampRequests(server);
    step(`reference server at ${server.url}; launching Thunderbird`);
    tb = await launchThunderbird({ prefs: MONITOR_PREFS });
    // Long chrome scripts (the floor, reading 10,000 items) need more than Marionette's 30 s.
    await tb.marionette.setTimeouts({ script: SYNC_TIMEOUT_MS + 60_000 });
    const pgid = tb.pid!;
    const othersStart = otherThunderbirds(pgid);
    const version = await thunderbirdVersion(tb);
    await startMonitor(tb);
    await tb.installAddon(XPI, { temporary: false });
    await tb.openOptionsPage(ADDON_ID);
    const checkpoints: Checkpoint[] = [];
    /**
     * Settled Thunderbird (see settle()) before every timed step, and its memory then. Where the
     * memory target is judged (before and after a), memory is read again once it has stopped
     * falling with Thunderbird left alone; elsewhere not, so that the later steps start as soon
     * after the forced collection as they always did.
     */
    const checkpoint = async (
      name: string,
      { untilStable = false, settled }: { untilStable?: boolean; settled?: { ms: number; quiet: boolean } } = {},
    ): Promise<Checkpoint> => {
      settled ??= await settle(tb!);
      const firstMemory = processGroupMemory(pgid);
      const left = untilStable ? await memoryOnceSettled(pgid) : { sample: firstMemory, waitedMs: 0, stopped: true };
      const point: Checkpoint = {
        name,
        settleMs: settled.ms,
        quiet: settled.quiet,
        firstMemory,
        memory: left.sample,
        memoryWaitMs: left.waitedMs,
        memoryStopped: left.stopped,
      };
      checkpoints.push(point);
      step(
        `${name}: settled in ${settled.ms} ms${settled.quiet ? "" : " (not quiet)"}, ${Math.round(point.memory.rssMb)} MB RSS, held ${heldText(point)}`,
      );
      return point;
    };
    const memoryBefore = (await checkpoint("add-on installed", { untilStable: true })).memory;
    step(`Thunderbird ${version} (pid ${pgid}), add-on installed`);

    const target: SyncTarget = {
      server,
      stamped,
      containerUid: BENCH_CALENDAR.uid,
      uri: calendarUri(server.url, BENCH_CALENDAR.uid),
      expected: EVENT_COUNT,
      cpu: new CpuLog(tb),
    };
    step("a. our first sync");
    const a = await firstSync(tb, target);
    step(`   ${a.seconds.toFixed(2)} s`);
    await checkpoint("after a", { untilStable: true });
    const compaction = await idleCompaction(tb);
    await checkpoint("after a, compacted", { untilStable: true, settled: { ms: compaction.ms, quiet: true } });
    step(`   idle compaction: main thread held ${compaction.ms} ms`);
    // Only now, after a's memory samples: reading the 10,000 events back fills Thunderbird's item cache.
    await verifyFirstSync(tb, target);
    step("b. our sync of one change");
    const b = await oneChangeSync(tb, target, item, `${originalTitle} (modifié, bench b)`);
    step(`   ${b.seconds.toFixed(3)} s, ${b.requests} requests`);
    await checkpoint("after b");
    step("f. parsing the blocks: on the worker, then synchronously in pieces");
    const parse = await parseComparison(tb, events, MGET_BLOCK_SIZE);
    step(
      `   worker ${parse.worker.ms} ms (main ${parse.worker.mainCpuMs} ms CPU), pieces ${parse.syncPieces.ms} ms (main ${parse.syncPieces.mainCpuMs} ms CPU)`,
    );
    await checkpoint("after f");
    step("c. Thunderbird's ICS subscription with Offline support");
    const c = await icsSubscription(tb, target, item, `${originalTitle} (modifié, bench c)`);
    step(`   first load ${c.firstLoadS.toFixed(2)} s, refresh ${c.refreshS.toFixed(2)} s`);
    await checkpoint("after c");
    step("d. floor: adoptItem into a storage calendar");
    const d = await floor(tb, c.url, EVENT_COUNT, MGET_BLOCK_SIZE);
    step(`   ${d.seconds.toFixed(2)} s`);
    const memoryAfter = (await checkpoint("after d")).memory;
    step("g/h. a month query, cached then online-only");
    const months = await monthQueries(tb, target.uri);
    step(
      `   online-only ${months.onlineMs} ms (${months.onlineItems} items), cached ${months.cachedMs} ms (${months.cachedItems} items), cached as first read ${months.cachedFirstReadMs} ms`,
    );
    target.cpu.set("d:start", d.cpuStart);
    target.cpu.set("d:end", d.cpuEnd);
    const cpu: BenchRun["cpu"] = [];
    for (const [name, from, to] of [
      ["a. first sync", "a:start", "a:end"],
      ["b. one-change sync", "b:start", "b:end"],
      ["c. ICS first load", "c1:start", "c1:end"],
      ["   ICS refresh", "c2:start", "c2:end"],
      ["d. floor", "d:start", "d:end"],
    ] as const) {
      const use = target.cpu.between(from, to);
      if (use) cpu.push({ name, ...use });
    }
    const costs = await storageCosts(tb, target.uri, d.calendarId, MGET_BLOCK_SIZE);
    const windows: [string, Window | null][] = [
      ["a. first sync", a.window],
      ["   its slowest storage batch", a.longestBlock],
      ["b. one-change sync", b.window],
      ["c. ICS first load", c.firstLoadWindow],
      ["   ICS refresh", c.refreshWindow],
      ["d. floor", d.window],
      ["   its slowest block", d.longestBlock],
      ["g. online-only month", months.onlineWindow],
    ];
    const mainThread: BenchRun["mainThread"] = [];
    for (const [name, window] of windows) {
      if (window) mainThread.push({ name, ms: window.to - window.from, ...(await mainThreadWindow(tb, window.from, window.to)) });
    }

    const run: BenchRun = {
      date: new Date(wallStart).toISOString(),
      thunderbirdVersion: version,
      events: EVENT_COUNT,
      kinds: kindCounts(events),
      blockSize: MGET_BLOCK_SIZE,
      a,
      b,
      c,
      d,
      e,
      parse,
      months,
      memoryBefore,
      memoryAfter,
      compaction,
      checkpoints,
      costs,
      mainThread,
      cpu,
      loadAverage: { start: loadStart, end: os.loadavg() },
      otherThunderbirds: { start: othersStart, end: otherThunderbirds(pgid) },
      wallS: (Date.now() - wallStart) / 1000,
    };
    console.log("\n" + table(run) + "\n");
    writeFileSync(RESULTS, JSON.stringify(resultsJson(run), null, 2) + "\n");
    step(`wrote ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
  } catch (error) {
    if (tb) console.error("---- Thunderbird log tail ----\n" + tb.logTail(60));
    throw error;
  } finally {
    await tb?.quit();
    await server?.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
