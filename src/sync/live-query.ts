/**
 * Online-only calendars and todo lists: Thunderbird's range queries answered live with
 * BlueMind's `_search` (dateMin/dateMax), as BlueMind's web calendar does for unsynced calendars.
 * Nothing is persisted.
 */

import type { AnyContainerItems } from "../bluemind/container-items";
import type { BmDateTime, ItemValue } from "../bluemind/types";
import { toCacheBatch } from "./cached-sync";

const PAGE_SIZE = 10_000;

/** Thunderbird gives RFC 3339 bounds: a date ("2026-11-27") or a date-time with offset. */
export function rangeBound(rfc3339: string | null): BmDateTime | null {
  if (!rfc3339) {
    return null;
  }
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(rfc3339) ? new Date(`${rfc3339}T00:00:00Z`) : new Date(rfc3339);
  if (Number.isNaN(instant.getTime())) {
    return null;
  }
  return { iso8601: instant.toISOString(), timezone: "UTC", precision: "DateTime" };
}

/**
 * The items of a range. Those the caller already holds at the same version (`held`, BlueMind
 * uid → version) are only named in `kept`: the provider keeps each series it parsed, already
 * expanded, so a later query (another month, the reload after a sync) neither sends, parses
 * nor expands it again.
 */
export async function queryRange(items: AnyContainerItems, start: string | null, end: string | null, held: Record<string, number> = {}) {
  const values: ItemValue<unknown>[] = [];
  const kept: string[] = [];
  for (let from = 0; ; from += PAGE_SIZE) {
    const page = await items.search(rangeBound(start), rangeBound(end), from, PAGE_SIZE);
    for (const value of page.values) {
      if (held[value.uid] === value.version) {
        kept.push(value.uid);
      } else {
        values.push(value);
      }
    }
    if (page.values.length < PAGE_SIZE) {
      break;
    }
  }
  const batch = toCacheBatch(values, items.codec);
  return { ics: batch.ics ?? "", meta: batch.meta ?? {}, kept };
}
