/**
 * Property test: icsToSeries(seriesToIcs(s)) equals s, under the normalisation documented in
 * support/normalize.ts, for many seeded random series covering every mapped field, all-day and
 * timed values in many zones (DST, half-hour and 45-minute offsets), rules, exceptions, alarms.
 */
import { strict as assert } from "node:assert";
import ICAL from "ical.js";
import { icsToSeries, seriesToIcs } from "../../../src/convert/index";
import { normalizeSeries } from "./support/normalize";
import { enrich, randomSeries, Rng } from "./support/random";

const SEED = Number(process.env.CONVERT_SEED ?? 20240517);
const COUNT = Number(process.env.CONVERT_COUNT ?? 600);

describe("convert: round trip (property test)", () => {
  it(`${COUNT} random series survive seriesToIcs -> icsToSeries (seed ${SEED})`, () => {
    const r = new Rng(SEED);
    for (let i = 0; i < COUNT; i++) {
      const s = randomSeries(r);
      const ics = seriesToIcs(s);
      const back = icsToSeries(ics);
      try {
        assert.deepStrictEqual(back, normalizeSeries(s));
      } catch (e) {
        throw new Error(`series #${i} (seed ${SEED}) differs:\n${(e as Error).message}\n--- input\n${JSON.stringify(s)}\n--- ics\n${ics}`);
      }
    }
  });

  it("the output is already normalised (normalisation is idempotent on it)", () => {
    const r = new Rng(SEED + 1);
    for (let i = 0; i < 100; i++) {
      const back = icsToSeries(seriesToIcs(randomSeries(r)));
      assert.deepStrictEqual(normalizeSeries(back), back);
    }
  });

  it("with the series itself as `base`, an untouched ICS gives back exactly that series", () => {
    const r = new Rng(SEED + 2);
    for (let i = 0; i < 300; i++) {
      const base = enrich(r, randomSeries(r));
      const ics = seriesToIcs(base);
      try {
        assert.deepStrictEqual(icsToSeries(ics, base), base);
      } catch (e) {
        throw new Error(`series #${i} (seed ${SEED}) differs:\n${(e as Error).message}\n--- base\n${JSON.stringify(base)}`);
      }
    }
  });

  it("with `base`, editing one field in the ICS (as Thunderbird would) changes only that field", () => {
    const r = new Rng(SEED + 3);
    let edited = 0;
    for (let i = 0; i < 300; i++) {
      const base = enrich(r, randomSeries(r));
      if (!base.main) continue;
      const cal = new ICAL.Component(ICAL.parse(seriesToIcs(base)));
      const main = cal.getAllSubcomponents("vevent").find((c) => !c.hasProperty("recurrence-id"))!;
      const field = r.pick(["summary", "location", "priority"] as const);
      const value = field === "priority" ? 7 : `edited ${i}`;
      main.updatePropertyWithValue(field, value);
      main.addPropertyWithValue("x-moz-generation", 3);
      const expected = JSON.parse(JSON.stringify(base)) as typeof base;
      (expected.main as unknown as Record<string, unknown>)[field] = value;
      assert.deepStrictEqual(icsToSeries(cal.toString(), base), expected, `series #${i}, ${field}`);
      edited++;
    }
    assert.ok(edited > 200);
  });
});
