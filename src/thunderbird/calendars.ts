/**
 * Thunderbird side of reconciliation: reads and changes the add-on's own calendars through
 * the bmcal experiment, and applies a ReconcilePlan. Calendars are addressed by URI only.
 */

import type { CalendarState, ReconcilePlan } from "../sync/reconcile";

export interface ThunderbirdCalendars {
  list(): Promise<CalendarState[]>;
  create(calendar: CalendarState): Promise<void>;
  update(uri: string, changes: Partial<Omit<CalendarState, "uri">>): Promise<void>;
  remove(uri: string): Promise<void>;
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
