/**
 * The wall-clock expansion of a rule (src/sync/rule-dates.ts) against the oracle it replaces:
 * Thunderbird's CalRecurrenceRule.getOccurrences loop (ical.js's RecurIterator on the zoned
 * start, each date compared in its zone), written out here as Thunderbird 140 and 153 have it.
 * 2,500 seeded rules over zones with daylight saving (one of 30 minutes), starts in a
 * DST gap, UNTIL on and around occurrences, and ranges in UTC, in the zone or as DATEs.
 */

import { strict as assert } from "node:assert";
import ICAL from "ical.js";
import { vtimezoneFor } from "../../src/convert/vtimezone";
import { ruleDates, wallClockExpandable } from "../../src/sync/rule-dates";

const ZONES = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Pacific/Auckland", "Asia/Kolkata"].map(
  (tzid) => new ICAL.Timezone(vtimezoneFor(tzid) as ICAL.Component),
);

/** CalRecurrenceRule.getOccurrences(start, rangeStart, rangeEnd, 0), Thunderbird 140/153. */
function thunderbirdDates(recur: ICAL.Recur, start: ICAL.Time, rangeStart: ICAL.Time, rangeEnd: ICAL.Time): ICAL.Time[] {
  const from = rangeStart.clone();
  from.isDate = false;
  const to = rangeEnd.clone();
  to.isDate = false;
  if (start.compare(to) >= 0) return [];
  const out: ICAL.Time[] = [];
  const iterator = recur.iterator(start);
  for (let next = iterator.next(); next; next = iterator.next()) {
    const date = next.clone();
    if (date.compare(from) < 0) continue;
    if (date.compare(to) >= 0) break;
    out.push(date);
  }
  return out;
}

function shown(dates: ICAL.Time[]): string[] {
  return dates.map((d) => `${d.toString()} ${d.zone?.tzid}`);
}

function outcome(expand: () => ICAL.Time[]): string[] {
  try {
    return shown(expand());
  } catch (e) {
    return [`throws ${(e as Error).message}`];
  }
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

describe("a rule's dates by wall clock (rule-dates.ts)", () => {
  it("gives Thunderbird's dates for 2,500 seeded rules, ranges and zones", () => {
    const rnd = seeded(20_261_203);
    const int = (n: number) => Math.floor(rnd() * n);
    const pick = <T>(values: readonly T[]): T => values[int(values.length)] as T;
    let compared = 0;
    let expanded = 0;
    for (let i = 0; i < 2500; i++) {
      const zone = pick(ZONES);
      // Starts from 2019 to 2027, a quarter of them at 02:30 (in a DST gap on transition days).
      const start = new ICAL.Time(
        {
          year: 2019 + int(9),
          month: 1 + int(12),
          day: 1 + int(31),
          hour: rnd() < 0.25 ? 2 : int(24),
          minute: rnd() < 0.25 ? 30 : pick([0, 15, 45]),
          second: 0,
          isDate: false,
        },
        zone,
      );
      const freq = pick(["DAILY", "WEEKLY", "WEEKLY", "MONTHLY", "MONTHLY", "YEARLY"]);
      const parts: string[] = [`FREQ=${freq}`];
      if (rnd() < 0.4) parts.push(`INTERVAL=${1 + int(3)}`);
      if (freq === "WEEKLY" && rnd() < 0.7) {
        const days = new Set([rnd() < 0.85 ? DAYS[start.dayOfWeek() - 1] : pick(DAYS)]);
        while (rnd() < 0.4) days.add(pick(DAYS));
        parts.push(`BYDAY=${[...days].join(",")}`);
      }
      if (freq === "MONTHLY" && rnd() < 0.5) parts.push(`BYMONTHDAY=${rnd() < 0.8 ? start.day : 1 + int(31)}`);
      if (freq === "MONTHLY" && rnd() < 0.15) parts.push(`BYDAY=${pick(["1", "2", "-1"])}${pick(DAYS)}`);
      if (freq === "YEARLY" && rnd() < 0.2) parts.push(`BYMONTH=${1 + int(12)}`);
      if (rnd() < 0.05) parts.push("WKST=SU");
      const ending = rnd();
      if (ending < 0.4) parts.push(`COUNT=${1 + int(60)}`);
      const recur = ICAL.Recur.fromString(parts.join(";"));
      if (ending >= 0.4 && ending < 0.75) {
        // UNTIL in UTC, a few on an occurrence's very instant or an hour either side of it.
        const until = start.clone();
        until.day += int(700);
        until.hour += pick([0, 0, -1, 1, 13]);
        recur.until = until.convertToZone(ICAL.Timezone.utcTimezone);
      }
      const rangeStart = start.clone();
      rangeStart.day += int(900) - 100;
      rangeStart.hour = int(24);
      const how = rnd();
      let from: ICAL.Time;
      if (how < 0.5) from = rangeStart.convertToZone(ICAL.Timezone.utcTimezone);
      else if (how < 0.8) from = rangeStart;
      else {
        from = rangeStart.clone();
        from.isDate = true;
      }
      const to = from.clone();
      to.day += pick([1, 7, 31, 42, 365]);

      if (!wallClockExpandable(ICAL, recur, start)) {
        assert.equal(ruleDates(ICAL, recur, start, from, to), null, recur.toString());
        continue;
      }
      compared++;
      // A rule ical.js cannot iterate throws the same error either way.
      const ours = outcome(() => ruleDates(ICAL, recur, start, from, to) ?? []);
      const theirs = outcome(() => thunderbirdDates(recur, start, from, to));
      expanded += theirs.length;
      assert.deepEqual(ours, theirs, `${recur.toString()} from ${start.toString()} ${zone.tzid}, ${from.toString()} – ${to.toString()}`);
    }
    assert.ok(compared > 1800, `only ${compared} rules were wall-clock expandable`);
    assert.ok(expanded > 12_000, `only ${expanded} dates compared`);
  });

  it("leaves sub-daily rules, all-day, UTC and floating starts to Thunderbird", () => {
    const paris = ZONES[0] as ICAL.Timezone;
    const at = (zone: ICAL.Timezone, isDate = false) =>
      new ICAL.Time({ year: 2026, month: 3, day: 29, hour: isDate ? 0 : 2, minute: 30, second: 0, isDate }, zone);
    const from = at(ICAL.Timezone.utcTimezone);
    const to = from.clone();
    to.day += 30;
    for (const [rule, start] of [
      ["FREQ=HOURLY", at(paris)],
      ["FREQ=DAILY;BYHOUR=2,3", at(paris)],
      ["FREQ=WEEKLY", at(paris, true)],
      ["FREQ=WEEKLY", at(ICAL.Timezone.utcTimezone)],
      ["FREQ=WEEKLY", at(ICAL.Timezone.localTimezone)],
    ] as const) {
      assert.equal(ruleDates(ICAL, ICAL.Recur.fromString(rule), start, from, to), null, rule);
    }
  });

  it("gives an unbounded weekly rule's dates far from its start, across a DST change", () => {
    const paris = ZONES[0] as ICAL.Timezone;
    const start = new ICAL.Time({ year: 2001, month: 1, day: 3, hour: 9, minute: 0, second: 0, isDate: false }, paris);
    const recur = ICAL.Recur.fromString("FREQ=WEEKLY;BYDAY=WE,FR");
    const from = ICAL.Time.fromDateTimeString("2026-03-23T00:00:00Z");
    const to = ICAL.Time.fromDateTimeString("2026-04-04T00:00:00Z");
    const ours = ruleDates(ICAL, recur, start, from, to);
    assert.deepEqual(shown(ours ?? []), [
      "2026-03-25T09:00:00 Europe/Paris",
      "2026-03-27T09:00:00 Europe/Paris",
      "2026-04-01T09:00:00 Europe/Paris",
      "2026-04-03T09:00:00 Europe/Paris",
    ]);
    assert.deepEqual(shown(ours ?? []), shown(thunderbirdDates(recur, start, from, to)));
  });
});
