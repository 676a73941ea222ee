/**
 * Why: two questions the first sync's figures do not answer. f: which parse of BlueMind's blocks
 * costs Thunderbird's main thread less, its iCalendar worker or the parser run synchronously on
 * pieces of 50 items without the VTIMEZONEs of its own zones (what the provider does); the same
 * 10,000 events, the same blocks of 500, each way once. g/h: what a user of an online-only
 * calendar waits for when a month view opens (Thunderbird's month query answered by BlueMind
 * through the add-on), against the same month read from the cached copy (h: as the bench's
 * earlier reads left it; h′: as Thunderbird first reads it after a restart); then what the
 * online-only calendar's next month and the same month asked again cost, once it holds the
 * series it parsed.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ItemValue } from "../../src/bluemind/types";
import { EVENT_CODEC } from "../../src/convert/codecs";
import { toCacheBatch } from "../../src/sync/cached-sync";
import { splitIcs } from "../../src/sync/ics-blocks";
import type { Thunderbird } from "../../test/e2e/harness/thunderbird";
import { chrome, settle, type CpuSample } from "./chrome";
import type { Window } from "./wait";
import type { BenchEvent } from "./events";
import { mainThreadWindow } from "./monitor";

export interface ParseWay {
  ms: number;
  mainCpuMs: number;
  workersCpuMs: number;
  longestStallMs: number;
  items: number;
}

export interface ParseComparison {
  worker: ParseWay;
  syncPieces: ParseWay;
  pieceItems: number;
}

export interface MonthQueries {
  month: string;
  /** g. an online-only calendar of the same events: Thunderbird's month query until answered. */
  onlineMs: number;
  onlineItems: number;
  /** The longest main-thread stall during g. */
  onlineLongestStallMs: number;
  /** g's window (Date.now() in Thunderbird), for the main-thread table. */
  onlineWindow: Window;
  /** h. the same month from the cached calendar, as the bench's earlier reads left it. */
  cachedMs: number;
  cachedItems: number;
  /**
   * h′. the same month as Thunderbird first reads it from the cached copy: a new storage
   * calendar on the same cache file, with none of its caches filled, as after a restart.
   */
  cachedFirstReadMs: number;
  cachedFirstReadItems: number;
  /** After g, the next month of the online-only calendar (the series it holds since g are not sent again). */
  onlineNextMs: number;
  onlineNextItems: number;
  /** After that, g's month asked again past the provider's 5 s query cache (a reload after a sync with no change). */
  onlineAgainMs: number;
  onlineAgainItems: number;
}

const PIECE_ITEMS = 50;

export async function parseComparison(tb: Thunderbird, events: readonly BenchEvent[], blockSize: number): Promise<ParseComparison> {
  const blocks: string[] = [];
  for (let i = 0; i < events.length; i += blockSize) {
    const values = events
      .slice(i, i + blockSize)
      .map((e) => ({ uid: e.uid, version: 1, value: e.series }) as unknown as ItemValue<unknown>);
    blocks.push(toCacheBatch(values, EVENT_CODEC, undefined, () => {}).ics ?? "");
  }
  const dir = mkdtempSync(path.join(tmpdir(), "bm-bench-parse-"));
  const file = path.join(dir, "blocks.json");
  // The pieces as the provider cuts them: without the VTIMEZONEs of Thunderbird's own zones.
  const ownZones = new Set(await chrome<string[]>(tb, "return [...cal.timezoneService.timezoneIds];"));
  const pieces = blocks.map((b) => splitIcs(b, PIECE_ITEMS, (tzid) => ownZones.has(tzid)));
  writeFileSync(file, JSON.stringify({ blocks, pieces }));
  try {
    const way = async (mode: "worker" | "pieces"): Promise<ParseWay> => {
      const run = await chrome<{ t0: number; t1: number; items: number; cpuStart: CpuSample; cpuEnd: CpuSample }>(
        tb,
        `
        const [file, mode] = args;
        const { blocks, pieces } = JSON.parse(await IOUtils.readUTF8(file));
        const parser = () => Cc["@mozilla.org/calendar/ics-parser;1"].createInstance(Ci.calIIcsParser);
        const onWorker = text => new Promise((resolve, reject) => parser().parseString(text, {
          onParsingComplete(status, result) { Components.isSuccessCode(status) ? resolve(result.getItems()) : reject(new Error("parse")); },
        }));
        const cpuStart = await cpuSample();
        const t0 = Date.now();
        let items = 0;
        for (let b = 0; b < blocks.length; b++) {
          if (mode == "worker") {
            items += (await onWorker(blocks[b])).length;
          } else {
            for (const piece of pieces[b]) {
              const p = parser();
              p.parseString(piece);
              items += p.getItems().length;
              await new Promise(resolve => setTimeout(resolve, 0));
            }
          }
        }
        const t1 = Date.now();
        return { t0, t1, items, cpuStart, cpuEnd: await cpuSample() };`,
        [file, mode],
      );
      const window = await mainThreadWindow(tb, run.t0, run.t1);
      return {
        ms: run.t1 - run.t0,
        mainCpuMs: Math.round(run.cpuEnd.main - run.cpuStart.main),
        workersCpuMs: Math.round(run.cpuEnd.workers - run.cpuStart.workers),
        longestStallMs: window.longestStallMs,
        items: run.items,
      };
    };
    // Each way from a settled Thunderbird: the second is not to pay for the first one's garbage.
    await settle(tb);
    const worker = await way("worker");
    await settle(tb);
    const syncPieces = await way("pieces");
    return { worker, syncPieces, pieceItems: PIECE_ITEMS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * h from the registered cached calendar, then g from an online-only calendar of ours on the same
 * URI (created in chrome, never registered: no cache, so its getItems asks the background,
 * which asks BlueMind for the range, as an online-only calendar's month view does).
 */
export async function monthQueries(tb: Thunderbird, uri: string, now = new Date()): Promise<MonthQueries> {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  const run = await chrome<
    Omit<MonthQueries, "month" | "onlineLongestStallMs" | "onlineWindow"> & { onlineFrom: number; onlineTo: number }
  >(
    tb,
    `
    const [uri, year, month] = args;
    const start = cal.createDateTime(); start.resetTo(year, month - 1, 1, 0, 0, 0, cal.dtz.defaultTimezone);
    const end = start.clone(); end.month += 1;
    const filter = Ci.calICalendar.ITEM_FILTER_TYPE_EVENT | Ci.calICalendar.ITEM_FILTER_CLASS_OCCURRENCES;
    const timed = async (calendar, from = start, to = end) => {
      const t0 = Date.now();
      const items = await calendar.getItemsAsArray(filter, 0, from, to);
      return [Date.now() - t0, items.length];
    };
    const cached = find(uri);
    const [cachedMs, cachedItems] = await timed(cached);
    const cacheFile = cal.provider.getCalendarDirectory();
    cacheFile.append("cache.sqlite");
    const firstRead = Cc["@mozilla.org/calendar/calendar;1?type=storage"].createInstance(Ci.calISyncWriteCalendar);
    firstRead.uri = Services.io.newFileURI(cacheFile);
    firstRead.id = cached.id;
    firstRead.transientProperties = true;
    firstRead.setProperty("relaxedMode", true);
    const [cachedFirstReadMs, cachedFirstReadItems] = await timed(firstRead);
    const online = cal.manager.createCalendar("bluemind", Services.io.newURI(uri));
    online.name = "Bench online-only";
    const onlineFrom = Date.now();
    const [onlineMs, onlineItems] = await timed(online);
    const onlineTo = Date.now();
    const nextStart = end.clone();
    const nextEnd = end.clone(); nextEnd.month += 1;
    const [onlineNextMs, onlineNextItems] = await timed(online, nextStart, nextEnd);
    online.wrappedJSObject.mQueryCache.clear();
    const [onlineAgainMs, onlineAgainItems] = await timed(online);
    return { cachedMs, cachedItems, cachedFirstReadMs, cachedFirstReadItems, onlineMs, onlineItems, onlineFrom, onlineTo, onlineNextMs, onlineNextItems, onlineAgainMs, onlineAgainItems };`,
    [uri, year, month],
  );
  const { onlineFrom, onlineTo, ...months } = run;
  const window = await mainThreadWindow(tb, onlineFrom, onlineTo);
  return {
    month: `${year}-${String(month).padStart(2, "0")}`,
    ...months,
    onlineLongestStallMs: window.longestStallMs,
    onlineWindow: { from: onlineFrom, to: onlineTo },
  };
}
