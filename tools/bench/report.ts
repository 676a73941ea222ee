/**
 * Why: one place turns a run's measures into what people read and what tools compare: an
 * aligned plain-text table (values, ratios, targets, PASS/MISS) with the first sync's time
 * breakdown, and bench-results.json with fixed key names. A MISS is reported, never thrown:
 * the bench is not a test.
 */

import type { StorageCosts } from "./chrome";
import type { ConvertResult } from "./convert-throughput";
import type { CpuUse } from "./cpu";
import type { EventKind } from "./events";
import type { IcsRun } from "./measure-ics";
import type { MonthQueries, ParseComparison } from "./measure-queries";
import type { FloorResult } from "./measure-floor";
import type { FirstSync, OneChange } from "./measure-ours";
import type { MemorySample } from "./memory";
import type { MainThreadWindow } from "./monitor";

export const TARGETS = {
  firstSyncVsIcsFirstLoad: 0.35,
  firstSyncVsFloor: 1.5,
  oneChangeVsIcsRefresh: 1 / 100,
  oneChangeRequests: 3,
  convertPerS: 5000,
  firstSyncLongestStallMs: 250,
  firstSyncMemoryDeltaMb: 150,
  onlineVsCachedMonthQuery: 3,
} as const;

/**
 * Thunderbird settled before a step (forced GC/CC, quiet), and its memory: read right after the
 * forced collection, and once it had stopped falling with Thunderbird left alone (memory.ts
 * memoryOnceSettled; what the memory target is judged on).
 */
export interface Checkpoint {
  name: string;
  settleMs: number;
  quiet: boolean;
  /** Right after the forced collection. */
  firstMemory: MemorySample;
  /** Once held memory had stopped falling. */
  memory: MemorySample;
  /** How long Thunderbird was left alone until then. */
  memoryWaitMs: number;
  /** False when memory was still falling at the end of the wait. */
  memoryStopped: boolean;
}

export interface BenchRun {
  /** The idle compaction run after a's checkpoint (chrome.ts idleCompaction). */
  compaction: { ms: number; onInactive: boolean; delayMs: number };
  date: string;
  thunderbirdVersion: string;
  events: number;
  kinds: Record<EventKind, number>;
  blockSize: number;
  a: FirstSync;
  b: OneChange;
  c: IcsRun;
  d: FloorResult;
  e: ConvertResult;
  /** The two ways to parse the first sync's blocks, each once. */
  parse: ParseComparison;
  /** g and h: one month, online-only and cached. */
  months: MonthQueries;
  memoryBefore: MemorySample;
  memoryAfter: MemorySample;
  checkpoints: Checkpoint[];
  costs: StorageCosts;
  /** Main-thread stalls and cycle collections during each timed step. */
  mainThread: ({ name: string; ms: number } & MainThreadWindow)[];
  /** CPU time per thread group during each step. */
  cpu: ({ name: string } & CpuUse)[];
  loadAverage: { start: number[]; end: number[] };
  otherThunderbirds: { start: number; end: number };
  wallS: number;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
const median = (xs: number[]): number => {
  const sorted = [...xs].sort((p, q) => p - q);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN;
};
const sum = (xs: number[]): number => xs.reduce((p, q) => p + q, 0);
const int = (x: number): string => Math.round(x).toLocaleString("en-US");
const secs = (x: number): string => (x < 1 ? `${x.toFixed(3)} s` : `${x.toFixed(2)} s`);
const mb = (m: MemorySample): string =>
  `${int(m.rssMb)} MB RSS${m.pssMb === null ? "" : ` / ${int(m.pssMb)} MB PSS`} / ${int(m.heldMb)} MB held (${m.processes} processes)`;
const verdict = (ok: boolean): string => (ok ? "PASS" : "MISS");
/**
 * A checkpoint's held memory: "657 → 612 MB in 32.22 s" where it was read again once it stopped
 * falling (memoryOnceSettled), else "646 MB". Used by the progress log and the table alike.
 */
export const heldText = (c: Checkpoint): string =>
  c.memoryWaitMs
    ? `${int(c.firstMemory.heldMb)} → ${int(c.memory.heldMb)} MB in ${secs(c.memoryWaitMs / 1000)}${c.memoryStopped ? "" : " (still falling)"}`
    : `${int(c.memory.heldMb)} MB`;

function ratios(run: BenchRun) {
  return {
    firstSyncVsIcsFirstLoad: run.a.seconds / run.c.firstLoadS,
    firstSyncVsFloor: run.a.seconds / run.d.seconds,
    oneChangeVsIcsRefresh: run.b.seconds / run.c.refreshS,
    onlineVsCachedMonthQuery: run.months.onlineMs / Math.max(1, run.months.cachedMs),
    /** No target: g against h′, the cached month as Thunderbird first reads it after a restart. */
    onlineVsCachedFirstRead: run.months.onlineMs / Math.max(1, run.months.cachedFirstReadMs),
  };
}

interface MemoryGrowth {
  /** What the processes still hold (RSS minus LazyFree, memory.ts): the target's measure. */
  heldMb: number;
  rssMb: number;
  lazyFreeMb: number;
  heldByProcess: Record<string, number>;
}

function growth(before: MemorySample, after: MemorySample): MemoryGrowth {
  const heldByProcess: Record<string, number> = {};
  for (const name of new Set([...Object.keys(before.heldByProcess), ...Object.keys(after.heldByProcess)])) {
    heldByProcess[name] = (after.heldByProcess[name] ?? 0) - (before.heldByProcess[name] ?? 0);
  }
  return {
    heldMb: after.heldMb - before.heldMb,
    rssMb: after.rssMb - before.rssMb,
    lazyFreeMb: after.lazyFreeMb - before.lazyFreeMb,
    heldByProcess,
  };
}

/**
 * The longest main-thread stall during the first sync, and Thunderbird's growth from it:
 * settled (what the target is judged on), and after the idle compaction Thunderbird runs by
 * itself five minutes later (shown beside it).
 */
function firstSyncCosts(run: BenchRun): {
  longestStallMs: number | null;
  memory: MemoryGrowth | null;
  /** Growth read right after the forced collections, before and after a. */
  firstRead: MemoryGrowth | null;
  /** How long Thunderbird was left alone after a until its memory stopped falling, and whether it did. */
  settledAfterMs: number | null;
  stopped: boolean;
  compacted: MemoryGrowth | null;
} {
  const window = run.mainThread.find((w) => w.name === "a. first sync");
  const before = run.checkpoints.find((c) => c.name === "add-on installed");
  const after = run.checkpoints.find((c) => c.name === "after a");
  const compacted = run.checkpoints.find((c) => c.name === "after a, compacted");
  return {
    longestStallMs: window ? window.longestStallMs : null,
    memory: after ? growth(run.memoryBefore, after.memory) : null,
    firstRead: after && before ? growth(before.firstMemory, after.firstMemory) : null,
    settledAfterMs: after ? after.memoryWaitMs : null,
    stopped: (after?.memoryStopped ?? false) && (before?.memoryStopped ?? false),
    compacted: compacted ? growth(run.memoryBefore, compacted.memory) : null,
  };
}

const signed = (x: number): string => `${x >= 0 ? "+" : ""}${int(x)}`;
/** "thunderbird +209, WebExtensions +11": the processes that grew or shrank by half a megabyte or more. */
const byProcessText = (byProcess: Record<string, number>): string =>
  Object.entries(byProcess)
    .filter(([, v]) => Math.abs(v) >= 0.5)
    .map(([k, v]) => `${k} ${signed(v)}`)
    .join(", ");
const megabytes = (byProcess: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(byProcess).map(([k, v]) => [k, round(v, 1)]));

function passes(run: BenchRun) {
  const r = ratios(run);
  return {
    first_sync_vs_ics: r.firstSyncVsIcsFirstLoad <= TARGETS.firstSyncVsIcsFirstLoad,
    first_sync_vs_floor: r.firstSyncVsFloor <= TARGETS.firstSyncVsFloor,
    one_change_vs_ics_refresh: r.oneChangeVsIcsRefresh <= TARGETS.oneChangeVsIcsRefresh,
    one_change_requests: run.b.requests <= TARGETS.oneChangeRequests,
    convert_to_ics: run.e.toIcsPerS >= TARGETS.convertPerS,
    convert_from_ics: run.e.fromIcsPerS >= TARGETS.convertPerS,
    first_sync_longest_stall: (firstSyncCosts(run).longestStallMs ?? Infinity) <= TARGETS.firstSyncLongestStallMs,
    first_sync_memory_delta: (firstSyncCosts(run).memory?.heldMb ?? Infinity) <= TARGETS.firstSyncMemoryDeltaMb,
    online_vs_cached_month_query: r.onlineVsCachedMonthQuery <= TARGETS.onlineVsCachedMonthQuery,
  };
}

export function resultsJson(run: BenchRun): Record<string, unknown> {
  const r = ratios(run);
  const storage = run.a.blocks.map((b) => b.storageMs);
  const gaps = run.a.blocks.slice(1).map((b) => b.gapBeforeMs);
  const {
    memory: firstSyncMemory,
    firstRead: firstSyncFirstRead,
    settledAfterMs,
    stopped,
    compacted: firstSyncCompacted,
    longestStallMs,
  } = firstSyncCosts(run);
  return {
    first_sync_s: round(run.a.seconds),
    ics_first_load_s: round(run.c.firstLoadS),
    floor_s: round(run.d.seconds),
    one_change_sync_s: round(run.b.seconds),
    ics_refresh_s: round(run.c.refreshS),
    one_change_requests: run.b.requests,
    convert_to_ics_per_s: Math.round(run.e.toIcsPerS),
    convert_from_ics_per_s: Math.round(run.e.fromIcsPerS),
    online_month_query_ms: run.months.onlineMs,
    cached_month_query_ms: run.months.cachedMs,
    cached_month_first_read_ms: run.months.cachedFirstReadMs,
    online_month_query_longest_stall_ms: run.months.onlineLongestStallMs,
    online_next_month_query_ms: run.months.onlineNextMs,
    online_month_again_query_ms: run.months.onlineAgainMs,
    month_query: run.months,
    first_sync_longest_stall_ms: longestStallMs,
    first_sync_memory_delta_mb: firstSyncMemory === null ? null : round(firstSyncMemory.heldMb, 1),
    first_sync_memory: firstSyncMemory && {
      held_delta_mb: round(firstSyncMemory.heldMb, 1),
      rss_delta_mb: round(firstSyncMemory.rssMb, 1),
      lazy_free_delta_mb: round(firstSyncMemory.lazyFreeMb, 1),
      held_delta_mb_by_process: megabytes(firstSyncMemory.heldByProcess),
      settled_after_ms: settledAfterMs,
      stopped_falling: stopped,
      right_after_forced_collection: firstSyncFirstRead && {
        held_delta_mb: round(firstSyncFirstRead.heldMb, 1),
        held_delta_mb_by_process: megabytes(firstSyncFirstRead.heldByProcess),
      },
      after_idle_compaction: firstSyncCompacted && {
        held_delta_mb: round(firstSyncCompacted.heldMb, 1),
        held_delta_mb_by_process: megabytes(firstSyncCompacted.heldByProcess),
        compaction_ms: run.compaction.ms,
        thunderbird_compacts_on_inactive: run.compaction.onInactive,
        thunderbird_compaction_delay_ms: run.compaction.delayMs,
      },
    },
    parse_ways: run.parse,
    tb_memory_delta_mb: round(run.memoryAfter.rssMb - run.memoryBefore.rssMb, 1),
    tb_memory_before_mb: round(run.memoryBefore.rssMb, 1),
    tb_memory_after_mb: round(run.memoryAfter.rssMb, 1),
    tb_pss_before_mb: run.memoryBefore.pssMb === null ? null : round(run.memoryBefore.pssMb, 1),
    tb_pss_after_mb: run.memoryAfter.pssMb === null ? null : round(run.memoryAfter.pssMb, 1),
    tb_pss_delta_mb:
      run.memoryBefore.pssMb === null || run.memoryAfter.pssMb === null ? null : round(run.memoryAfter.pssMb - run.memoryBefore.pssMb, 1),
    tb_processes: { before: run.memoryBefore.processes, after: run.memoryAfter.processes },
    ratios: {
      first_sync_vs_ics_first_load: round(r.firstSyncVsIcsFirstLoad),
      first_sync_vs_floor: round(r.firstSyncVsFloor),
      one_change_vs_ics_refresh: round(r.oneChangeVsIcsRefresh, 5),
      online_vs_cached_month_query: round(r.onlineVsCachedMonthQuery),
      online_vs_cached_month_first_read: round(r.onlineVsCachedFirstRead),
    },
    targets: {
      first_sync_vs_ics_first_load_max: TARGETS.firstSyncVsIcsFirstLoad,
      first_sync_vs_floor_max: TARGETS.firstSyncVsFloor,
      one_change_vs_ics_refresh_max: TARGETS.oneChangeVsIcsRefresh,
      one_change_requests_max: TARGETS.oneChangeRequests,
      convert_per_s_min: TARGETS.convertPerS,
      first_sync_longest_stall_ms_max: TARGETS.firstSyncLongestStallMs,
      first_sync_memory_delta_mb_max: TARGETS.firstSyncMemoryDeltaMb,
      online_vs_cached_month_query_max: TARGETS.onlineVsCachedMonthQuery,
    },
    pass: passes(run),
    first_sync_poll_s: round(run.a.pollSeconds),
    first_sync_requests: run.a.requests,
    first_sync_breakdown_ms: {
      sign_in_answered: run.a.signInAnsweredMs,
      calendar_registered: run.a.registeredMs,
      changeset_request: run.a.changesetAtMs,
      first_batch_start: run.a.blocks[0]?.startMs ?? null,
      last_mget_request: Math.max(...run.a.blocks.map((b) => b.mgetAtMs ?? -1)),
      blocks: run.a.blocks.length,
      storage_batches_total: sum(storage),
      storage_batch_median: median(storage),
      between_batches_total: sum(gaps),
      between_batches_median: median(gaps),
      final_batch: run.a.finalBatchMs,
      per_block: run.a.blocks,
    },
    storage_costs_ms: {
      offline_journal_scan_3_queries: run.costs.offlineScanMs,
      metadata_read_all: run.costs.metaReadAllMs,
      [`metadata_write_${run.costs.count}`]: run.costs.metaWriteMs,
    },
    checkpoints: run.checkpoints.map((c) => ({
      name: c.name,
      settle_ms: c.settleMs,
      quiet: c.quiet,
      rss_mb: round(c.memory.rssMb, 1),
      pss_mb: c.memory.pssMb === null ? null : round(c.memory.pssMb, 1),
      lazy_free_mb: round(c.memory.lazyFreeMb, 1),
      held_mb: round(c.memory.heldMb, 1),
      held_mb_right_after_forced_collection: round(c.firstMemory.heldMb, 1),
      memory_wait_ms: c.memoryWaitMs,
      memory_stopped_falling: c.memoryStopped,
      processes: c.memory.processes,
      rss_mb_by_process: megabytes(c.memory.byProcess),
      held_mb_by_process: megabytes(c.memory.heldByProcess),
    })),
    main_thread: run.mainThread.map((w) => ({
      step: w.name.trim(),
      window_ms: w.ms,
      stalls_50ms: w.stalls,
      stalled_ms: w.stalledMs,
      longest_stall_ms: w.longestStallMs,
      cycle_collections: w.cycleCollections,
      cc_pause_ms: w.ccPauseMs,
      longest_cc_pause_ms: w.longestCcPauseMs,
    })),
    cpu_ms: run.cpu.map((c) => ({
      step: c.name.trim(),
      wall: c.wallMs,
      main_thread: Math.round(c.main),
      sqlite_threads: Math.round(c.sqlite),
      workers: Math.round(c.workers),
      other_parent_threads: Math.round(c.otherThreads),
      extension_process: Math.round(c.extension),
      other_processes: Math.round(c.otherProcesses),
    })),
    one_change_request_log: run.b.requestLog,
    ics_refresh_complete_s: round(run.c.refreshCompleteS),
    ics_first_load_requests: run.c.firstLoadRequests,
    ics_refresh_requests: run.c.refreshRequests,
    ics_bytes: run.d.icsBytes,
    floor_parse_ms: run.d.parseMs,
    floor_block_median_ms: median(run.d.blockMs),
    floor_block_ms: run.d.blockMs,
    convert_to_ics_s: round(run.e.toIcsS),
    convert_from_ics_s: round(run.e.fromIcsS),
    convert_block_to_ics_ms: round(run.e.blockToIcsMs, 1),
    events: run.events,
    event_kinds: run.kinds,
    block_size: run.blockSize,
    thunderbird_version: run.thunderbirdVersion,
    date: run.date,
    load_average: run.loadAverage,
    other_thunderbirds_running: run.otherThunderbirds,
    wall_s: round(run.wallS, 1),
  };
}

function aligned(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell + " ".repeat((widths[i] ?? 0) - [...cell].length))
        .join("   ")
        .trimEnd(),
    )
    .join("\n");
}

export function table(run: BenchRun): string {
  const r = ratios(run);
  const p = passes(run);
  const n = run.events.toLocaleString("en-US");
  const storage = run.a.blocks.map((b) => b.storageMs);
  const gaps = run.a.blocks.slice(1).map((b) => b.gapBeforeMs);
  const perEvent = sum(storage) / Math.max(1, sum(run.a.blocks.map((b) => b.items)));
  const mgets = run.a.blocks.map((b) => b.mgetAtMs).filter((x): x is number => x !== null);
  const lastMget = mgets.length ? Math.max(...mgets) : null;
  const before = run.memoryBefore;
  const after = run.memoryAfter;
  const pssDelta = before.pssMb === null || after.pssMb === null ? "" : ` / ${signed(after.pssMb - before.pssMb)} MB PSS`;
  const costs = firstSyncCosts(run);
  const way = (w: ParseComparison["worker"]): string =>
    `${int(w.ms)} ms wall, main thread ${int(w.mainCpuMs)} ms CPU, workers ${int(w.workersCpuMs)} ms, longest stall ${int(w.longestStallMs)} ms`;
  const rows = [
    ["measure", "value", "ratio", "target", "result"],
    [
      `a. first sync, ours (sign-in → ${n} readable)`,
      secs(run.a.seconds),
      `${r.firstSyncVsIcsFirstLoad.toFixed(2)} × ICS first load`,
      `≤ ${TARGETS.firstSyncVsIcsFirstLoad} ×`,
      verdict(p.first_sync_vs_ics),
    ],
    ["", "", `${r.firstSyncVsFloor.toFixed(2)} × floor`, `≤ ${TARGETS.firstSyncVsFloor} ×`, verdict(p.first_sync_vs_floor)],
    [
      "   longest main-thread stall during it",
      costs.longestStallMs === null ? "?" : `${int(costs.longestStallMs)} ms`,
      "",
      `≤ ${TARGETS.firstSyncLongestStallMs} ms`,
      verdict(p.first_sync_longest_stall),
    ],
    [
      `   Thunderbird memory after it (settled${costs.settledAfterMs === null ? "" : `, left alone ${secs(costs.settledAfterMs / 1000)}`}${costs.stopped ? "" : ", STILL FALLING"}), held`,
      costs.memory === null ? "?" : `${signed(costs.memory.heldMb)} MB`,
      costs.memory === null ? "" : byProcessText(costs.memory.heldByProcess),
      `≤ +${TARGETS.firstSyncMemoryDeltaMb} MB`,
      verdict(p.first_sync_memory_delta),
    ],
    [
      "   … RSS (held + freed, not yet taken back)",
      costs.memory === null ? "?" : `${signed(costs.memory.rssMb)} MB`,
      costs.memory === null ? "" : `LazyFree ${signed(costs.memory.lazyFreeMb)} MB`,
      "",
      "",
    ],
    [
      "   … held right after one forced GC/CC (not yet settled)",
      costs.firstRead === null ? "?" : `${signed(costs.firstRead.heldMb)} MB`,
      costs.firstRead === null ? "" : byProcessText(costs.firstRead.heldByProcess),
      "",
      "",
    ],
    [
      "   … held after Thunderbird's idle compaction (5 min idle)",
      costs.compacted === null ? "?" : `${signed(costs.compacted.heldMb)} MB`,
      costs.compacted === null ? "" : `${byProcessText(costs.compacted.heldByProcess)}; main thread held ${int(run.compaction.ms)} ms`,
      "",
      "",
    ],
    [
      "b. one-change sync, ours (refresh → title readable)",
      secs(run.b.seconds),
      `1/${int(run.c.refreshS / run.b.seconds)} of ICS refresh`,
      `≤ 1/${int(1 / TARGETS.oneChangeVsIcsRefresh)}`,
      verdict(p.one_change_vs_ics_refresh),
    ],
    [
      "   HTTP requests under /api/calendars/<uid>",
      String(run.b.requests),
      "",
      `≤ ${TARGETS.oneChangeRequests}`,
      verdict(p.one_change_requests),
    ],
    [`c. ICS + Offline support, first load (${n} readable)`, secs(run.c.firstLoadS), "", "", ""],
    ["   ICS refresh (one change → title readable)", secs(run.c.refreshS), "", "", ""],
    [`   ICS refresh (… and all ${n} back in the cache)`, secs(run.c.refreshCompleteS), "", "", ""],
    [`d. floor: adoptItem × ${n} into registered storage`, secs(run.d.seconds), "", "", ""],
    ["e. seriesToIcs (Node)", `${int(run.e.toIcsPerS)} events/s`, "", `≥ ${int(TARGETS.convertPerS)}/s`, verdict(p.convert_to_ics)],
    ["   icsToSeries (Node)", `${int(run.e.fromIcsPerS)} events/s`, "", `≥ ${int(TARGETS.convertPerS)}/s`, verdict(p.convert_from_ics)],
    [`f. parse the ${n} events, ${run.blockSize} a block, on the worker`, way(run.parse.worker), "", "", ""],
    [`   synchronously in pieces of ${run.parse.pieceItems} (kept)`, way(run.parse.syncPieces), "", "", ""],
    [
      `g. month query ${run.months.month}, online-only (${int(run.months.onlineItems)} items)`,
      `${int(run.months.onlineMs)} ms`,
      `${r.onlineVsCachedMonthQuery.toFixed(2)} × cached`,
      `≤ ${TARGETS.onlineVsCachedMonthQuery} ×`,
      verdict(p.online_vs_cached_month_query),
    ],
    ["   longest main-thread stall during g", `${int(run.months.onlineLongestStallMs)} ms`, "", "", ""],
    [`h. the same month, cached (${int(run.months.cachedItems)} items)`, `${int(run.months.cachedMs)} ms`, "", "", ""],
    [
      `h′. the same month, cached, as first read after a restart (${int(run.months.cachedFirstReadItems)} items)`,
      `${int(run.months.cachedFirstReadMs)} ms`,
      `g = ${r.onlineVsCachedFirstRead.toFixed(2)} × h′`,
      "no target",
      "",
    ],
    [
      `   online-only, then the next month (${int(run.months.onlineNextItems)} items)`,
      `${int(run.months.onlineNextMs)} ms`,
      "series held since g not sent again",
      "",
      "",
    ],
    [
      `   online-only, g's month again, nothing changed (${int(run.months.onlineAgainItems)} items)`,
      `${int(run.months.onlineAgainMs)} ms`,
      `${(run.months.onlineAgainMs / Math.max(1, run.months.cachedMs)).toFixed(2)} × cached`,
      "",
      "",
    ],
    ["   Thunderbird memory before (settled)", mb(before), "", "", ""],
    ["   after a-d (settled)", mb(after), "", "", ""],
    ["   delta", `${signed(after.rssMb - before.rssMb)} MB RSS${pssDelta}, ${signed(after.heldMb - before.heldMb)} MB held`, "", "", ""],
  ];
  const lines = [
    `BlueMind Calendar Sync bench — ${n} events, Thunderbird ${run.thunderbirdVersion}, ${run.date}`,
    `events: ${Object.entries(run.kinds)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ", ",
      )}; load average at start ${run.loadAverage.start.map((x) => x.toFixed(2)).join(" ")}, at end ${run.loadAverage.end.map((x) => x.toFixed(2)).join(" ")}; other Thunderbirds running: ${run.otherThunderbirds.start} at start, ${run.otherThunderbirds.end} at end`,
    "",
    aligned(rows),
    "",
    "Where the first sync's time goes (ms after sign-in was sent; stamps taken inside Thunderbird and at the server):",
    aligned([
      ["sign-in answered (login, API key, lists, counts, calendar created)", `${int(run.a.signInAnsweredMs)} ms`],
      ["calendar registered", run.a.registeredMs === null ? "?" : `${int(run.a.registeredMs)} ms`],
      ["_changeset reached the server", run.a.changesetAtMs === null ? "?" : `${int(run.a.changesetAtMs)} ms`],
      ["first storage batch starts", run.a.blocks[0] ? `${int(run.a.blocks[0].startMs)} ms` : "?"],
      [
        `last _mget reached the server (blocks are fetched as soon as the previous one is parsed)`,
        lastMget === null ? "?" : `${int(lastMget)} ms`,
      ],
      [
        `${run.a.blocks.length} storage batches of ≤ ${run.blockSize} (rows bound, recurring series parsed and adopted; parsing interleaves)`,
        `${int(sum(storage))} ms total, median ${int(median(storage))} ms (${perEvent.toFixed(2)} ms/event), longest ${int(Math.max(...storage))} ms`,
      ],
      [
        "storage idle between batches (the next block's fetch, parse and plan; queue hand-over)",
        `${int(sum(gaps))} ms total, median ${int(median(gaps))} ms`,
      ],
      ["final batch (deletions check + version)", run.a.finalBatchMs === null ? "?" : `${int(run.a.finalBatchMs)} ms`],
      [
        `floor, same storage, per ${run.blockSize} events (adoptItem awaited one by one)`,
        `median ${int(median(run.d.blockMs))} ms, longest ${int(Math.max(...run.d.blockMs))} ms; its ICS parse (before the clock) ${int(run.d.parseMs)} ms`,
      ],
      [`converter, one ${run.blockSize}-event VCALENDAR in Node`, `${run.e.blockToIcsMs.toFixed(1)} ms`],
      [`${run.costs.count} × setMetaData (ours: one per event, on top of adoptItem)`, `${int(run.costs.metaWriteMs)} ms`],
      [`offline-journal scan, 3 queries on ${n} cached events (before each write, and at refresh)`, `${int(run.costs.offlineScanMs)} ms`],
      [
        `getAllMetaDataIds + Values on ${n} (once a sync: its later blocks plan against the index the last left)`,
        `${int(run.costs.metaReadAllMs)} ms`,
      ],
      ["first sync: requests under /api/calendars/<uid>", String(run.a.requests)],
      ["one-change sync: requests", run.b.requestLog.join(", ")],
    ]),
    "",
    "Parent-process main thread during each step (held ≥ 50 ms at a time; cycle-collector pauses):",
    aligned([
      ["step", "duration", "main thread held", "longest", "cycle collections", "CC pause", "longest CC"],
      ...run.mainThread.map((w) => [
        w.name,
        `${int(w.ms)} ms`,
        `${int(w.stalledMs)} ms (${w.stalls}×)`,
        `${int(w.longestStallMs)} ms`,
        String(w.cycleCollections),
        `${int(w.ccPauseMs)} ms`,
        `${int(w.longestCcPauseMs)} ms`,
      ]),
    ]),
    "",
    "CPU time during each step (Thunderbird's parent process by thread, then its child processes; workers are a lower bound, an ended worker takes its time with it):",
    aligned([
      ["step", "wall", "main thread", "SQLite threads", "workers", "other threads", "extension process", "other processes"],
      ...run.cpu.map((c) => [
        c.name,
        `${int(c.wallMs)} ms`,
        ...[c.main, c.sqlite, c.workers, c.otherThreads, c.extension, c.otherProcesses].map((ms) => `${int(ms)} ms`),
      ]),
    ]),
    "",
    `Memory (RSS; held = RSS minus LazyFree) after each step, once settled (before and after a: held right after the forced GC/CC → once it stopped falling): ${run.checkpoints
      .map(
        (c) =>
          `${c.name} ${int(c.memory.rssMb)} MB, held ${heldText(c)} (${Object.entries(c.memory.byProcess)
            .map(([k, v]) => `${k} ${int(v)}/${int(c.memory.heldByProcess[k] ?? 0)}`)
            .join(", ")})`,
      )
      .join("; ")}`,
  ];
  return lines.join("\n");
}
