/** isMaskedPrivate mirrors BlueMind's filter for private events read without ReadExtended. */
import { strict as assert } from "node:assert";
import { isMaskedPrivate } from "../../../src/convert/index";
import { clone, seriesFixture } from "./support/ical";

describe("convert: isMaskedPrivate", () => {
  const masked = seriesFixture("masked.json");

  it('recognises the filtered form (Private/Confidential, summary "Private", nothing else)', () => {
    assert.equal(isMaskedPrivate(masked), true);
    const conf = clone(masked);
    conf.main!.classification = "Confidential";
    assert.equal(isMaskedPrivate(conf), true);
  });

  it("is false for a public event or one that still has details", () => {
    const cases: ((s: typeof masked) => void)[] = [
      (s) => (s.main!.classification = "Public"),
      (s) => (s.main!.classification = null),
      (s) => (s.main!.summary = "Doctor"),
      (s) => (s.main!.description = "details"),
      (s) => (s.main!.location = "Paris"),
      (s) => (s.main!.attendees = [{ mailto: "a@b.c" }]),
    ];
    for (const edit of cases) {
      const s = clone(masked);
      edit(s);
      assert.equal(isMaskedPrivate(s), false, JSON.stringify(s.main));
    }
  });

  it("looks at the first exception when there is no main event", () => {
    const s = clone(masked);
    s.occurrences = [{ ...s.main!, recurid: s.main!.dtstart }];
    s.main = null;
    assert.equal(isMaskedPrivate(s), true);
    assert.equal(isMaskedPrivate({ ...s, occurrences: [] }), false);
  });
});
