/**
 * Why: the converter (src/convert) runs on every synced block in the background page and on
 * every edit; its speed in Node is a fair proxy for its speed in Thunderbird's JS engine.
 * Measured both ways over the bench series, after a short warm-up so JIT compilation is not
 * what gets timed; also the time of one 500-series VCALENDAR, what one sync block costs.
 */

import type { VEventSeries } from "../../src/bluemind/types";
import { icsToSeries, seriesListToIcs, seriesToIcs } from "../../src/convert";

export interface ConvertResult {
  toIcsPerS: number;
  fromIcsPerS: number;
  toIcsS: number;
  fromIcsS: number;
  /** Median time to write one block of `blockSize` series as one VCALENDAR (what a sync block does). */
  blockToIcsMs: number;
  icsBytes: number;
}

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

export function converterThroughput(list: readonly VEventSeries[], blockSize: number, warmup = 500): ConvertResult {
  for (const s of list.slice(0, warmup)) icsToSeries(seriesToIcs(s));

  let start = process.hrtime.bigint();
  const texts = list.map((s) => seriesToIcs(s));
  const toIcsS = seconds(start);

  start = process.hrtime.bigint();
  for (const text of texts) icsToSeries(text);
  const fromIcsS = seconds(start);

  const blocks: number[] = [];
  for (let i = 0; i + blockSize <= list.length && blocks.length < 6; i += blockSize) {
    start = process.hrtime.bigint();
    seriesListToIcs(list.slice(i, i + blockSize));
    blocks.push(seconds(start) * 1000);
  }
  blocks.sort((a, b) => a - b);

  return {
    toIcsPerS: list.length / toIcsS,
    fromIcsPerS: list.length / fromIcsS,
    toIcsS,
    fromIcsS,
    blockToIcsMs: blocks[Math.floor(blocks.length / 2)] ?? 0,
    icsBytes: texts.reduce((n, t) => n + t.length, 0),
  };
}
