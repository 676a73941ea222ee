/**
 * The embedded zone table: each VTIMEZONE it writes gives the same offsets as the platform's
 * IANA data over the years the table was derived for, and covers the zones we promise.
 * A failure after a Node/ICU upgrade means a country changed its rules: regenerate the table
 * (see test/unit/convert/tools/derive-zones.ts).
 */
import { strict as assert } from "node:assert";
import { ZONE_INDEX } from "../../../src/convert/zone-data";
import { hasVtimezone, vtimezoneClock, vtimezoneFor } from "../../../src/convert/vtimezone";
import { DATA_FROM_YEAR, DATA_TO_YEAR, intlOffset, transitionsOf } from "./tools/derive-zones";

describe("convert: embedded zone table", () => {
  it("covers the common zones (and Thunderbird's modern names)", () => {
    for (const z of [
      "Europe/Paris",
      "Europe/London",
      "America/New_York",
      "America/Los_Angeles",
      "Asia/Kolkata",
      "Asia/Calcutta",
      "Europe/Kyiv",
      "Australia/Sydney",
      "Asia/Tokyo",
      "America/Sao_Paulo",
      "Pacific/Auckland",
    ]) {
      assert.ok(hasVtimezone(z), z);
    }
    assert.ok(Object.keys(ZONE_INDEX).length > 400);
    assert.equal(hasVtimezone("UTC"), false, "UTC is written as Z, not with a VTIMEZONE");
  });

  it("agrees with Intl at every change (to the second) and every day between, for every zone", function () {
    this.timeout(120_000);
    const bad: string[] = [];
    const year = Math.min(Math.max(new Date().getUTCFullYear(), DATA_FROM_YEAR), DATA_TO_YEAR - 1);
    for (const tz of Object.keys(ZONE_INDEX)) {
      const clock = vtimezoneClock(vtimezoneFor(tz)!);
      const check = (ms: number, want: number): void => {
        const got = clock.offsetAt(ms);
        if (got !== want) bad.push(`${tz} @ ${new Date(ms).toISOString()}: table ${got} vs Intl ${want}`);
      };
      for (let y = year; y <= year + 1; y++) {
        for (const t of transitionsOf(tz, y)) {
          check(t.at - 1000, t.from);
          check(t.at, t.to);
        }
        for (let ms = Date.UTC(y, 0, 1, 12); ms < Date.UTC(y + 1, 0, 1); ms += 86_400_000) check(ms, intlOffset(tz, ms));
      }
    }
    assert.deepEqual(bad.slice(0, 20), []);
  });
});
