/**
 * Property test: icsToSeries(seriesToIcs(s)) equals s, under the normalisation documented in
 * support/normalize.ts, for many seeded random series covering every mapped field, all-day and
 * timed values in many zones (DST, half-hour and 45-minute offsets), rules, exceptions, alarms.
 */
import { strict as assert } from "node:assert";
import { icsToSeries, seriesToIcs } from "../../../src/convert/index";
import { normalizeSeries } from "./support/normalize";
import { randomSeries, Rng } from "./support/random";

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
});
