/**
 * Why: wall time alone cannot say whether a sync waits or works. CPU time per thread, sampled
 * at the start and end of each step (ChromeUtils.requestProcInfo), tells Thunderbird's main
 * thread, its SQLite threads, the iCalendar parser's worker and our extension process apart;
 * what no thread spent is waiting (disk syncs, round trips, the other jobs on the machine).
 */

import type { Thunderbird } from "../../test/e2e/harness/thunderbird";
import { cpuSample, type CpuSample } from "./chrome";

export type CpuUse = Omit<CpuSample, "at"> & { wallMs: number };

const PARTS = ["main", "sqlite", "workers", "otherThreads", "extension", "otherProcesses"] as const;

export class CpuLog {
  private readonly samples = new Map<string, CpuSample>();

  constructor(private readonly tb: Thunderbird) {}

  async mark(label: string): Promise<void> {
    this.samples.set(label, await cpuSample(this.tb));
  }

  set(label: string, sample: CpuSample): void {
    this.samples.set(label, sample);
  }

  /** CPU used between two marks; a thread that ended meanwhile takes its time with it (clamped at 0). */
  between(from: string, to: string): CpuUse | null {
    const a = this.samples.get(from);
    const b = this.samples.get(to);
    if (!a || !b) return null;
    const use = { wallMs: b.at - a.at } as CpuUse;
    for (const part of PARTS) use[part] = Math.max(0, b[part] - a[part]);
    return use;
  }
}
