/**
 * Why: timings on a shared 2-core machine swing a lot, and a slow storage batch can mean a
 * busy main thread (parsing, cycle collection, synchronous SQL) or an idle one waiting on the
 * disk. A chained 50 ms timer in Thunderbird's parent process records every time it fired
 * late by ≥ 50 ms (main thread held that long), and Gecko's cycle-collection statistics
 * (pref javascript.options.mem.notify) record each CC pause; each step's window is summed.
 */

import type { Thunderbird } from "../../test/e2e/harness/thunderbird";
import { chrome } from "./chrome";

/** Add to launchThunderbird's prefs: makes Gecko publish "cycle-collection-statistics". */
export const MONITOR_PREFS = { "javascript.options.mem.notify": true } as const;

export interface MainThreadWindow {
  /** Main thread held ≥ 50 ms at a time: count, sum, longest (ms). */
  stalls: number;
  stalledMs: number;
  longestStallMs: number;
  cycleCollections: number;
  ccPauseMs: number;
  longestCcPauseMs: number;
}

export function startMonitor(tb: Thunderbird): Promise<void> {
  return chrome(
    tb,
    `
    if (registry.monitor) return;
    const m = (registry.monitor = { stalls: [], cc: [] });
    let due = Date.now() + 50;
    const tick = () => {
      const now = Date.now();
      if (now - due >= 50) m.stalls.push([due, now - due]);
      due = now + 50;
      setTimeout(tick, 50);
    };
    setTimeout(tick, 50);
    m.observer = {
      observe(subject, topic, data) {
        try {
          const stats = JSON.parse(data);
          m.cc.push([Date.now(), stats.total_slice_pause, stats.max_slice_pause]);
        } catch (e) {}
      },
    };
    Services.obs.addObserver(m.observer, "cycle-collection-statistics");`,
  );
}

/** What the monitor saw between two Date.now() instants. */
export function mainThreadWindow(tb: Thunderbird, from: number, to: number): Promise<MainThreadWindow> {
  return chrome(
    tb,
    `
    const [from, to] = args;
    const m = registry.monitor;
    const stalls = m.stalls.filter(([at]) => at >= from && at <= to).map(([, ms]) => ms);
    const cc = m.cc.filter(([at]) => at >= from && at <= to);
    return {
      stalls: stalls.length,
      stalledMs: stalls.reduce((a, b) => a + b, 0),
      longestStallMs: Math.max(0, ...stalls),
      cycleCollections: cc.length,
      ccPauseMs: cc.reduce((a, [, total]) => a + total, 0),
      longestCcPauseMs: Math.max(0, ...cc.map(([, , max]) => max)),
    };`,
    [from, to],
  );
}
