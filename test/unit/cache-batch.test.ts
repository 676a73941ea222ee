/**
 * toCacheBatch, the step that turns BlueMind's items into one block for Thunderbird's cache: an
 * item the converter cannot write is left out and logged with the BlueMind field at fault (the
 * rest of the block is stored), and the converter's warnings reach the add-on's log once each.
 */

import { strict as assert } from "node:assert";
import { vevent } from "../../server/event-builders";
import type { ItemValue, VEventSeries } from "../../src/bluemind/types";
import { ConvertError } from "../../src/convert";
import { EVENT_CODEC } from "../../src/convert/codecs";
import { toCacheBatch } from "../../src/sync/cached-sync";

const at = (iso8601: string, timezone: string) => ({ iso8601, timezone, precision: "DateTime" as const });

function item(uid: string, main: VEventSeries["main"]): ItemValue<unknown> {
  const value: VEventSeries = { main, occurrences: [], counters: [], properties: {}, icsUid: `${uid}@test` };
  return { uid, version: 1, value } as unknown as ItemValue<unknown>;
}

const good = item(
  "good",
  vevent({
    summary: "Good",
    dtstart: at("2026-01-05T09:00:00.000+01:00", "Europe/Paris"),
    dtend: at("2026-01-05T10:00:00.000+01:00", "Europe/Paris"),
  }),
);

describe("toCacheBatch: what the converter cannot write, and what it warns about", () => {
  it("leaves out an item with a malformed field, logs the field, tells onSkip, and keeps the others", () => {
    const badMain = vevent({
      summary: "Bad",
      dtstart: at("2026-01-06T09:00:00.000Z", "UTC"),
      dtend: at("2026-01-06T10:00:00.000Z", "UTC"),
    });
    (badMain as unknown as { attendees: unknown[] }).attendees = [{ mailto: 3 }];
    const logged: string[] = [];
    const skipped: [string, unknown][] = [];
    const batch = toCacheBatch(
      [good, item("bad", badMain)],
      EVENT_CODEC,
      (uid, error) => skipped.push([uid, error]),
      (m) => logged.push(m),
    );
    assert.deepEqual(Object.keys(batch.meta ?? {}), ["good@test"]);
    assert.match(batch.ics ?? "", /SUMMARY:Good/);
    assert.doesNotMatch(batch.ics ?? "", /SUMMARY:Bad/);
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]![0], "bad");
    assert.ok(skipped[0]![1] instanceof ConvertError);
    assert.equal(logged.length, 1);
    assert.match(
      logged[0]!,
      /^sync: item bad left out: convert: event "bad@test": main\.attendees\[0\]\.mailto .* \(field main\.attendees\[0\]\.mailto\)$/,
    );
  });

  it("passes the converter's warnings to the log, each once per block", () => {
    const mars = (uid: string) =>
      item(
        uid,
        vevent({
          summary: uid,
          dtstart: at("2026-01-07T09:00:00.000Z", "Mars/Olympus_Mons"),
          dtend: at("2026-01-07T10:00:00.000Z", "Mars/Olympus_Mons"),
        }),
      );
    const logged: string[] = [];
    const batch = toCacheBatch([mars("m1"), mars("m2"), good], EVENT_CODEC, undefined, (m) => logged.push(m));
    assert.deepEqual(Object.keys(batch.meta ?? {}).sort(), ["good@test", "m1@test", "m2@test"]);
    assert.deepEqual(logged, ['convert: unknown time zone "Mars/Olympus_Mons"; its times are written in UTC (same instants)']);
    assert.match(batch.ics ?? "", /DTSTART:20260107T090000Z/);
  });
});
