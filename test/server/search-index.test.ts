/**
 * The search index (server/search-index.ts) decides a `_search` window exactly as expanding
 * the series at each search does (seriesOverlaps): on the demo calendars and on benchmark
 * events (weekly and monthly Paris series with moved and cancelled occurrences, all-day,
 * New York and UTC entries), for month, day and hour windows in four zones and half-open ones.
 */
import { strict as assert } from "node:assert";
import type { BmDateTime, ItemValue, VEventSeries } from "../../src/bluemind/types";
import { bmDate, bmDateTime } from "../../server/bmdate";
import { demoState } from "../../server/demo-data";
import { seriesInstances, seriesOverlaps } from "../../server/recurrence";
import { recordOverlaps, zoneFreeInstances } from "../../server/search-index";
import { benchEvents } from "../../tools/bench/events";

const ANCHOR = Date.UTC(2026, 11, 2, 9, 0, 0);
const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Pacific/Auckland"];

function record(uid: string, value: VEventSeries): ItemValue<VEventSeries> {
  return { uid, version: 1, value } as ItemValue<VEventSeries>;
}

const at = (zone: string, ms: number): BmDateTime => {
  const d = new Date(ms);
  const wall = {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: 0,
  };
  return bmDateTime(zone, wall);
};

interface Window {
  dateMin: BmDateTime | null;
  dateMax: BmDateTime | null;
}

/** Months of 2024–2027 (zones in turn), a few days and hours, and half-open windows. */
function windows(): Window[] {
  const result: Window[] = [];
  for (let i = 0; i < 48; i++) {
    const zone = ZONES[i % ZONES.length]!;
    const y = 2024 + Math.floor(i / 12);
    const m = i % 12;
    result.push({ dateMin: at(zone, Date.UTC(y, m, 1)), dateMax: at(zone, Date.UTC(y, m + 1, 1)) });
  }
  for (let d = 0; d < 12; d++) {
    const zone = ZONES[d % ZONES.length]!;
    const day = Date.UTC(2026, 10, 20 + d);
    result.push({ dateMin: at(zone, day), dateMax: at(zone, day + 86_400_000) });
    result.push({ dateMin: at(zone, day + 9.5 * 3_600_000), dateMax: at(zone, day + 10 * 3_600_000) });
  }
  result.push({ dateMin: bmDate(2026, 12, 1), dateMax: bmDate(2026, 12, 2) });
  result.push({ dateMin: at("Europe/Paris", Date.UTC(2026, 11, 1)), dateMax: null });
  result.push({ dateMin: null, dateMax: at("Europe/Paris", Date.UTC(2023, 11, 1)) });
  return result;
}

function disagreements(records: readonly ItemValue<VEventSeries>[], every = 1): string[] {
  const wrong: string[] = [];
  const all = windows();
  for (const w of all.filter((_, i) => i % every === 0 || i >= all.length - 3)) {
    for (const r of records) {
      const expected = seriesOverlaps(r.value, w.dateMin, w.dateMax);
      if (recordOverlaps(r, w.dateMin, w.dateMax) !== expected) {
        wrong.push(`${r.uid} in ${w.dateMin?.iso8601 ?? "…"} – ${w.dateMax?.iso8601 ?? "…"}: expected ${expected}`);
      }
    }
  }
  return wrong;
}

describe("reference server: search index", () => {
  it("answers every window of the benchmark events as expansion does, most of them from the index", () => {
    const events = benchEvents(2_000, { name: "Bench", email: "bench@bluemind.test" }, 20_240_501, ANCHOR).filter((_, i) => i % 4 === 0);
    const records = events.map((e) => record(e.uid, e.series));
    assert.deepEqual(disagreements(records), []);
    const indexed = records.filter((r) => zoneFreeInstances(r.value) !== null).length;
    const allDay = events.filter((e) => e.kind === "allDay").length;
    assert.ok(allDay > 0 && indexed >= records.length - allDay, `${indexed} of ${records.length} indexed, ${allDay} all-day`);
  });

  it("answers every window of the demo calendars as expansion does", () => {
    const state = demoState();
    const records = [...state.containers.values()]
      .filter((c) => c.type === "calendar")
      .flatMap((c) => state.calendar(c.uid)?.all() ?? [])
      // every series and every moved or all-day entry; one plain bulk event in 20
      .filter((r, i) => r.value.main?.rrule || r.value.occurrences.length || r.value.main?.dtstart.precision === "Date" || i % 20 === 0);
    assert.ok(records.length > 100, `${records.length} demo events`);
    assert.deepEqual(disagreements(records, 3), []);
  });

  it("leaves to expansion what the window's zone moves or what never ends", () => {
    const [timed] = benchEvents(40, { name: "Bench", email: "bench@bluemind.test" }, 7, ANCHOR).filter((e) => e.kind === "recurring");
    assert.ok(timed && timed.series.main?.rrule, "a recurring bench series");
    const main = timed.series.main;
    const instances = zoneFreeInstances(timed.series);
    assert.deepEqual(instances, [...seriesInstances(timed.series, "UTC")]);

    const endless = { ...timed.series, main: { ...main, rrule: { ...main.rrule!, count: null, until: null } } };
    assert.equal(zoneFreeInstances(endless), null);

    const wall = main.dtstart.iso8601.replace(/(Z|[+-]\d\d:\d\d)$/, "");
    const floating = { ...timed.series, main: { ...main, dtstart: { ...main.dtstart, iso8601: wall, timezone: null }, dtend: null } };
    assert.notEqual(wall, main.dtstart.iso8601);
    assert.equal(zoneFreeInstances(floating), null);
    assert.deepEqual(disagreements([record("endless", endless), record("floating", floating)]), []);
  });
});
