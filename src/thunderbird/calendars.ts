/**
 * Thunderbird side of reconciliation: reads and changes the add-on's own calendars through
 * the bmcal experiment, and applies a ReconcilePlan. Calendars are addressed by URI only.
 */

import { BlueMindError } from "../bluemind/errors";
import type { CacheBatch } from "../sync/cached-sync";
import type { CalendarChanges, CalendarSpec } from "../sync/calendar-spec";
import type { ReconcilePlan } from "../sync/reconcile";
import type { CacheState } from "./provider-contract";

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
  /** Item uid -> BlueMind version stored with it (-1: Thunderbird's own copy of a replayed edit). */
  cacheIndex(uri: string): Promise<Record<string, number>>;
}

export function experimentCalendars(): ThunderbirdCalendars {
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
    applyCacheChanges: async (uri, batch) => {
      const outcome = await messenger.bmcal.applyCacheChanges(uri, batch);
      if (!outcome.stored) {
        // The provider stops storing server data when Thunderbird goes offline mid-sync.
        throw new BlueMindError("unreachable", `sync stopped: Thunderbird went ${outcome.stopped}`);
      }
    },
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
