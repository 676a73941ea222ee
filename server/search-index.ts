/**
 * Why: BlueMind answers a calendar's `_search` window from its Elasticsearch index, written
 * when an event is stored; expanding every series again at each search (what seriesOverlaps
 * does) made the reference server, not the client, the slow part of an online-only month
 * (0.4–0.6 s for 10,000 events). This is the reference server's index: each stored record's
 * instances, computed once when the record is stored. Records are replaced, never mutated
 * (item-store.ts), so an entry stays true for as long as its record exists.
 *
 * Only what does not depend on the window's zone is indexed: a series whose start and end
 * values, its main event's and its moved occurrences', are date-times with a zone or an offset
 * (seriesInstances reads only all-day and floating values in the window's zone), and which
 * ends (no RRULE, or one with COUNT or UNTIL). The rest is decided by seriesOverlaps at each
 * search, as before. Both give the same answer: the window test (`end >= dateMin && start <
 * dateMax`) over the same instances (unit test: test/server/search-index.test.ts).
 */
import type { BmDateTime, ItemValue, VEventSeries } from "../src/bluemind/types";
import { parseBmDate } from "./bmdate";
import { eventSpan, searchWindow, seriesInstances, seriesOverlaps, type Instance } from "./recurrence";

/** Enough instances for a daily meeting of forty years; longer series are decided per search. */
const MAX_INDEXED_INSTANCES = 15_000;

const INDEX = new WeakMap<ItemValue<VEventSeries>, readonly Instance[] | null>();

/** A value that names its instant by itself, whatever the window's zone. */
function fixed(d: BmDateTime | null | undefined): boolean {
  if (!d) return true;
  const p = parseBmDate(d);
  return !p.isDate && (p.offsetMs !== null || p.timezone !== null);
}

/** The record's instances when they can be indexed (see the top of this file), else null. */
export function zoneFreeInstances(series: VEventSeries): Instance[] | null {
  const main = series.main;
  const rule = main?.rrule;
  if (rule && rule.count == null && rule.until == null) return null;
  if (main && !(main.dtstart && fixed(main.dtstart) && fixed(main.dtend))) return null;
  if (!(series.occurrences ?? []).every((o) => o.dtstart && fixed(o.dtstart) && fixed(o.dtend))) return null;
  if (main && !rule && !main.exdate?.length && !main.rdate?.length && !series.occurrences?.length) {
    return [eventSpan(main, "UTC")]; // a plain event, the most common record: no expansion
  }
  const instances: Instance[] = [];
  for (const instance of seriesInstances(series, "UTC")) {
    if (instances.length === MAX_INDEXED_INSTANCES) return null;
    instances.push(instance);
  }
  return instances;
}

/** Indexes a calendar record as it is stored (the calendar ItemStore's watcher). */
export function indexSeries(item: ItemValue<VEventSeries>): void {
  INDEX.set(item, zoneFreeInstances(item.value));
}

/** BlueMind's window test for one record: from the index when it holds the record, else by expansion. */
export function recordOverlaps(
  item: ItemValue<VEventSeries>,
  dateMin: BmDateTime | null | undefined,
  dateMax: BmDateTime | null | undefined,
): boolean {
  if (!dateMin && !dateMax) return true;
  if (!INDEX.has(item)) indexSeries(item);
  const instances = INDEX.get(item);
  if (!instances) return seriesOverlaps(item.value, dateMin, dateMax);
  const { min, max } = searchWindow(dateMin, dateMax);
  return instances.some((instance) => instance.end >= min && instance.start < max);
}
