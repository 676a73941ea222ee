/**
 * Why: Thunderbird is several processes (main, content, extension, socket...), all in the
 * process group the harness spawns it in. Summing RSS (and PSS, which shares shared pages out
 * fairly, when smaps_rollup is readable) over that group is what the machine really pays.
 * RSS also counts pages a process has already freed with madvise(MADV_FREE), as Thunderbird's
 * allocator does: the kernel's "LazyFree" (smaps_rollup), taken back by the kernel at the first
 * memory pressure without any write, and counted as available in /proc/meminfo. So each sample
 * also gives the memory a process still holds: RSS minus LazyFree.
 * Also counts other Thunderbird processes, since concurrent test runs skew timings.
 */

import { readdirSync, readFileSync } from "node:fs";

export interface MemorySample {
  processes: number;
  rssMb: number;
  /** null when no process's smaps_rollup could be read. */
  pssMb: number | null;
  /** Pages freed with MADV_FREE and not yet taken back by the kernel (0 where smaps_rollup is unreadable). */
  lazyFreeMb: number;
  /** RSS minus LazyFree: what the processes still hold. */
  heldMb: number;
  /** RSS per process, keyed by command name ("thunderbird" is the parent, "WebExtensions" our background page). */
  byProcess: Record<string, number>;
  /** Held memory (RSS minus LazyFree) per process, keyed as byProcess. */
  heldByProcess: Record<string, number>;
}

function read(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** Process group id, from /proc/<pid>/stat (fields after the parenthesised command name). */
function pgidOf(pid: string): number | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[2]);
}

function kb(text: string | null, field: string): number | null {
  const match = text ? new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text) : null;
  return match ? Number(match[1]) : null;
}

const pids = (): string[] => readdirSync("/proc").filter((name) => /^\d+$/.test(name));

export function processGroupMemory(pgid: number): MemorySample {
  let processes = 0;
  let rss = 0;
  let pss = 0;
  let pssSeen = false;
  let lazyFree = 0;
  const byProcess: Record<string, number> = {};
  const heldByProcess: Record<string, number> = {};
  for (const pid of pids()) {
    if (pgidOf(pid) !== pgid) continue;
    const rssKb = kb(read(`/proc/${pid}/status`), "VmRSS");
    if (rssKb === null) continue; // gone meanwhile, or a zombie
    processes++;
    rss += rssKb;
    const comm = read(`/proc/${pid}/comm`)?.trim() ?? pid;
    byProcess[comm] = (byProcess[comm] ?? 0) + rssKb / 1024;
    const rollup = read(`/proc/${pid}/smaps_rollup`);
    const pssKb = kb(rollup, "Pss");
    if (pssKb !== null) {
      pss += pssKb;
      pssSeen = true;
    }
    const lazyKb = kb(rollup, "LazyFree") ?? 0;
    lazyFree += lazyKb;
    heldByProcess[comm] = (heldByProcess[comm] ?? 0) + (rssKb - lazyKb) / 1024;
  }
  return {
    processes,
    rssMb: rss / 1024,
    pssMb: pssSeen ? pss / 1024 : null,
    lazyFreeMb: lazyFree / 1024,
    heldMb: (rss - lazyFree) / 1024,
    byProcess,
    heldByProcess,
  };
}

/** Thunderbird main processes on the machine outside this process group (other test runs). */
export function otherThunderbirds(ownPgid: number | undefined): number {
  let n = 0;
  for (const pid of pids()) {
    const comm = read(`/proc/${pid}/comm`)?.trim();
    if (comm === "thunderbird" || comm === "thunderbird-bin") {
      if (pgidOf(pid) !== ownPgid) n++;
    }
  }
  return n;
}

/** One held-memory reading, ms since the wait began. */
export interface HeldReading {
  atMs: number;
  heldMb: number;
}

/**
 * Whether held memory has stopped falling: the last reading is no more than `toleranceMb` below
 * the last one taken at least `windowMs` before it. False until the readings span the window.
 */
export function stoppedFalling(readings: readonly HeldReading[], windowMs: number, toleranceMb: number): boolean {
  const last = readings[readings.length - 1];
  if (!last) return false;
  const earlier = readings.filter((r) => r.atMs <= last.atMs - windowMs).pop();
  return earlier !== undefined && last.heldMb >= earlier.heldMb - toleranceMb;
}

export interface SettledMemory {
  /** The last reading: where held memory stopped falling, or where the wait gave up. */
  sample: MemorySample;
  waitedMs: number;
  /** False when `maxMs` passed with memory still falling. */
  stopped: boolean;
}

/**
 * Why: one forced GC/CC is not the end of what Thunderbird frees after a large step. Left alone,
 * its own collections and the nursery's shrinking go on for some 10-20 s (measured after a
 * 10,000-event first sync: the parent's held memory +153 MB right after the forced collection,
 * +110 MB 16 s later, then flat for two minutes). So memory is read while Thunderbird is left
 * alone, every `intervalMs`, until it has stopped falling over `windowMs`.
 */
export async function memoryOnceSettled(
  pgid: number,
  { intervalMs = 2_000, windowMs = 10_000, toleranceMb = 2, maxMs = 60_000 } = {},
): Promise<SettledMemory> {
  const start = Date.now();
  const readings: HeldReading[] = [];
  for (;;) {
    const sample = processGroupMemory(pgid);
    const atMs = Date.now() - start;
    readings.push({ atMs, heldMb: sample.heldMb });
    const stopped = stoppedFalling(readings, windowMs, toleranceMb);
    if (stopped || atMs >= maxMs) return { sample, waitedMs: atMs, stopped };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
