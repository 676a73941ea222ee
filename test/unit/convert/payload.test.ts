/**
 * A malformed BlueMind payload (JSON from the server with a wrong type in a field) gives a
 * ConvertError naming the event and the field, never a bare TypeError from deep in the writer.
 */
import { strict as assert } from "node:assert";
import type { VEventSeries } from "../../../src/bluemind/types";
import { ConvertError, icsToSeries, seriesListToIcs, seriesToIcs } from "../../../src/convert/index";
import { fixtureText, seriesFixture } from "./support/ical";
import { randomSeries, Rng } from "./support/random";

interface Bad {
  why: string;
  field: string;
  series: unknown;
}

const bad = JSON.parse(fixtureText("payload-malformed.json")) as Bad[];

function convertError(f: () => unknown): ConvertError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ConvertError, `not a ConvertError: ${(e as Error).stack}`);
    return e;
  }
  assert.fail("did not throw");
}

describe("convert: malformed BlueMind payloads", () => {
  for (const b of bad) {
    it(`${b.why}: a ConvertError naming ${b.field}`, () => {
      const e = convertError(() => seriesToIcs(b.series as VEventSeries));
      assert.equal(e.field, b.field);
      assert.ok(e.message.includes(b.field), e.message);
    });
  }

  it("names the event too, and says what was found", () => {
    const e = convertError(() => seriesToIcs(bad[4]!.series as VEventSeries));
    assert.equal(e.message, 'convert: event "m5": main.attendees[1].mailto should be a string or null, not number 3');
  });

  it("checks every series of a list, and a base given to icsToSeries", () => {
    const good = seriesFixture("text.json");
    assert.equal(convertError(() => seriesListToIcs([good, bad[0]!.series as VEventSeries])).field, "main.summary");
    const base = { ...(bad[1]!.series as VEventSeries), icsUid: good.icsUid };
    assert.equal(convertError(() => icsToSeries(seriesToIcs(good), base)).field, "main.dtstart");
  });

  it("lets unknown enum words through (a newer BlueMind) and leaves them out of the ICS", () => {
    const s = seriesFixture("text.json");
    const odd = JSON.parse(JSON.stringify(s)) as VEventSeries;
    (odd.main as unknown as Record<string, unknown>).classification = "TopSecret";
    (odd.main as unknown as Record<string, unknown>).transparency = "Translucent";
    const ics = seriesToIcs(odd);
    assert.ok(!/^CLASS:/m.test(ics) && !/^TRANSP:/m.test(ics));
  });

  it("never throws anything but a ConvertError, whatever field gets whatever wrong value", () => {
    const r = new Rng(99);
    const wrong: unknown[] = [42, "x", true, [], {}, [1], { iso8601: 5 }];
    let errors = 0;
    for (let i = 0; i < 400; i++) {
      const s = JSON.parse(JSON.stringify(randomSeries(r))) as Record<string, unknown>;
      const target = (s.main ?? (s.occurrences as unknown[])[0]) as Record<string, unknown> | undefined;
      if (!target) continue;
      const keys = Object.keys(target);
      target[r.pick(keys)] = r.pick(wrong);
      try {
        seriesToIcs(s as unknown as VEventSeries);
      } catch (e) {
        assert.ok(e instanceof ConvertError, `series #${i}: ${(e as Error).stack}`);
        errors++;
      }
    }
    assert.ok(errors > 200, `${errors} refused`);
  });
});
