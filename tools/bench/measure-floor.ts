/**
 * Why: measures d, the floor — what storing these events costs Thunderbird at the least: the
 * same ICS text the subscription downloads, parsed before the clock starts, then every item
 * adopted into a registered storage calendar, one after the other, inside one batch. No sync
 * can store the events faster through Thunderbird's storage, so it is what a first sync is
 * compared with.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Thunderbird } from "../../test/e2e/harness/thunderbird";
import { adoptIntoStorage, itemCount, type CpuSample } from "./chrome";
import type { Window } from "./wait";

export interface FloorResult {
  /** The storage calendar the floor filled (kept for the storage cost probes). */
  calendarId: string;
  seconds: number;
  window: Window;
  /** The slowest block of `blockSize` adoptions. */
  longestBlock: Window | null;
  parseMs: number;
  cpuStart: CpuSample;
  cpuEnd: CpuSample;
  /** Time per `blockSize` adopted items, in order. */
  blockMs: number[];
  icsBytes: number;
}

export async function floor(tb: Thunderbird, icsUrl: string, expected: number, blockSize: number): Promise<FloorResult> {
  const response = await fetch(icsUrl);
  if (!response.ok) throw new Error(`ICS export: HTTP ${response.status}`);
  const text = await response.text();
  const dir = mkdtempSync(path.join(tmpdir(), "bm-bench-"));
  const file = path.join(dir, "bench.ics");
  writeFileSync(file, text);
  try {
    const run = await adoptIntoStorage(tb, file, "Bench floor", blockSize);
    if (run.items !== expected) throw new Error(`floor: the ICS parsed into ${run.items} items, expected ${expected}`);
    const count = await itemCount(tb, run.id);
    if (count !== expected) throw new Error(`floor: ${count} events in Thunderbird, expected ${expected}`);
    const starts = [run.t0, ...run.marks];
    const blockMs = run.marks.map((mark, i) => mark - starts[i]!);
    const slowest = blockMs.indexOf(Math.max(...blockMs));
    return {
      calendarId: run.id,
      seconds: (run.t1 - run.t0) / 1000,
      window: { from: run.t0, to: run.t1 },
      longestBlock: slowest >= 0 ? { from: starts[slowest]!, to: run.marks[slowest]! } : null,
      parseMs: run.parseMs,
      cpuStart: run.cpuStart,
      cpuEnd: run.cpuEnd,
      blockMs,
      icsBytes: Buffer.byteLength(text),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
