/**
 * Decides what must change in Thunderbird so that it holds exactly one calendar per
 * subscribed, readable BlueMind calendar, with BlueMind's name, colour, rights and mode
 * (synced ⇒ cached, unsynced ⇒ online-only). Pure: the plan is applied by the adapter.
 * Only calendars of our own provider type are ever passed in, so nothing else is touched.
 */

import type { CalendarChanges, CalendarSpec } from "./calendar-spec";

export interface CalendarUpdate {
  uri: string;
  changes: CalendarChanges;
}

export interface ReconcilePlan {
  create: CalendarSpec[];
  update: CalendarUpdate[];
  remove: string[];
}

export function planReconcile(desired: CalendarSpec[], existing: CalendarSpec[]): ReconcilePlan {
  const existingByUri = new Map<string, CalendarSpec>();
  const duplicates: string[] = [];
  for (const calendar of existing) {
    if (existingByUri.has(calendar.uri)) {
      duplicates.push(calendar.uri);
    } else {
      existingByUri.set(calendar.uri, calendar);
    }
  }
  const desiredUris = new Set(desired.map((calendar) => calendar.uri));

  const plan: ReconcilePlan = { create: [], update: [], remove: [] };
  for (const wanted of desired) {
    const current = existingByUri.get(wanted.uri);
    if (!current) {
      plan.create.push(wanted);
      continue;
    }
    const changes: CalendarChanges = {};
    if (current.name !== wanted.name) changes.name = wanted.name;
    if (current.color.toUpperCase() !== wanted.color.toUpperCase()) changes.color = wanted.color;
    if (current.readOnly !== wanted.readOnly) changes.readOnly = wanted.readOnly;
    if (current.cached !== wanted.cached) changes.cached = wanted.cached;
    if (Object.keys(changes).length > 0) {
      plan.update.push({ uri: wanted.uri, changes });
    }
  }
  for (const uri of existingByUri.keys()) {
    if (!desiredUris.has(uri)) {
      plan.remove.push(uri);
    }
  }
  // A duplicate URI can only come from an earlier crash; removing by URI removes one copy per call.
  plan.remove.push(...duplicates);
  return plan;
}
