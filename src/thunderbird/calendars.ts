/**
 * Thunderbird side of reconciliation: reads and changes the add-on's own calendars through
 * the bmcal experiment, and applies a ReconcilePlan. Calendars are addressed by URI only.
 */

import { BlueMindError } from "../bluemind/errors";
import type { CacheBatch } from "../sync/cached-sync";
import type { CalendarChanges, CalendarSpec } from "../sync/calendar-spec";
import type { ReconcilePlan } from "../sync/reconcile";
import type { CacheBlock, CacheState } from "./provider-contract";
import { splitForRows } from "./storage-rows";

export type { CacheState };

export interface ThunderbirdCalendars {
  list(): Promise<CalendarSpec[]>;
  create(calendar: CalendarSpec): Promise<void>;
  update(uri: string, changes: CalendarChanges): Promise<void>;
  remove(uri: string): Promise<void>;
  /** Thunderbird's refresh: replays offline edits, then syncs; resolves when done. */
  refresh(uri: string): Promise<void>;
  cacheState(uri: string): Promise<CacheState>;
  applyCacheChanges(uri: string, batch: CacheBatch): Promise<void>;
  /** Readies a block (its rows split) and resolves to what hands it over: applyCacheChanges in two steps. */
  stageCacheChanges?(uri: string, batch: CacheBatch): Promise<() => Promise<void>>;
  /** Item uid -> BlueMind version stored with it (-1: Thunderbird's own copy of a replayed edit). */
  cacheIndex(uri: string): Promise<Record<string, number>>;
}

/**
 * Blocks of at least this many events carry their simple events as storage rows (storage-rows.ts):
 * a first sync or a large reconciliation. Smaller ones are adopted one by one, so that the open
 * views hear of each event (rows reach no observer: the views re-read the whole calendar).
 */
export const ROWS_MIN_EVENTS = 100;

/** Whether a block is large enough to carry storage rows. */
export function needsRows(batch: CacheBatch): boolean {
  return !!batch.ics && (batch.ics.match(/^BEGIN:VEVENT\r?$/gm)?.length ?? 0) >= ROWS_MIN_EVENTS;
}

/** A sync block as the experiment takes it: its simple events as rows when the block is large. */
export function withStorageRows(batch: CacheBatch): CacheBlock {
  const { ics } = batch;
  if (!ics || !needsRows(batch)) return batch;
  const { rows, rest } = splitForRows(ics);
  // One JSON string crosses to Thunderbird's process far cheaper than 500 nested objects.
  return rows ? { ...batch, ics: rest, rows: JSON.stringify(rows) } : batch;
}

/** @param toBlock - how a batch becomes what the experiment takes (the background splits on a worker: storage-rows-client.ts) */
export function experimentCalendars(
  toBlock: (batch: CacheBatch) => Promise<CacheBlock> = (batch) => Promise.resolve(withStorageRows(batch)),
): ThunderbirdCalendars {
  const stageCacheChanges = async (uri: string, batch: CacheBatch): Promise<() => Promise<void>> => {
    const block = await toBlock(batch);
    return async () => {
      const outcome = await messenger.bmcal.applyCacheChanges(uri, block);
      if (!outcome.stored) {
        // The provider stops storing server data when Thunderbird goes offline mid-sync.
        throw new BlueMindError("unreachable", `sync stopped: Thunderbird went ${outcome.stopped}`);
      }
    };
  };
  return {
    async list() {
      const calendars = await messenger.bmcal.listCalendars();
      return calendars.map(({ uri, name, color, readOnly, cached }) => ({ uri, name, color, readOnly, cached }));
    },
    async create(calendar) {
      await messenger.bmcal.createCalendar(calendar);
    },
    async update(uri, changes) {
      await messenger.bmcal.updateCalendar(uri, changes);
    },
    async remove(uri) {
      await messenger.bmcal.removeCalendar(uri);
    },
    refresh: (uri) => messenger.bmcal.refreshCalendar(uri),
    cacheState: (uri) => messenger.bmcal.cacheState(uri),
    cacheIndex: (uri) => messenger.bmcal.cacheIndex(uri),
    applyCacheChanges: async (uri, batch) => (await stageCacheChanges(uri, batch))(),
    stageCacheChanges,
  };
}

export async function applyPlan(calendars: ThunderbirdCalendars, plan: ReconcilePlan): Promise<void> {
  for (const uri of plan.remove) {
    await calendars.remove(uri);
  }
  for (const update of plan.update) {
    await calendars.update(update.uri, update.changes);
  }
  for (const calendar of plan.create) {
    await calendars.create(calendar);
  }
}
