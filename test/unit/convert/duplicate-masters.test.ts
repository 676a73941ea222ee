/**
 * Two VEVENTs of one UID without RECURRENCE-ID (a file holding two versions of one event): the
 * current one is kept, as RFC 5546 §2.1.5 says: the higher SEQUENCE, then the later DTSTAMP, then
 * (a full tie) the later in the file, as BlueMind's import, which always keeps the last master.
 */
import { strict as assert } from "node:assert";
import { icsToSeries, readIcsCalendar } from "../../../src/convert/index";

function vevent(uid: string, summary: string, sequence: number | null, dtstamp: string): string {
  return [
    "BEGIN:VEVENT",
    `UID:${uid}`,
    `DTSTAMP:${dtstamp}`,
    "DTSTART:20240120T100000Z",
    "DTEND:20240120T110000Z",
    `SUMMARY:${summary}`,
    ...(sequence === null ? [] : [`SEQUENCE:${sequence}`]),
    "END:VEVENT",
  ].join("\r\n");
}

const calendar = (...events: string[]): string =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...events, "END:VCALENDAR", ""].join("\r\n");

function kept(ics: string): { summary: string | null | undefined; warnings: string[] } {
  const r = readIcsCalendar(ics, { warn: () => undefined });
  assert.equal(r.series.length, 1);
  return { summary: r.series[0]!.main?.summary, warnings: r.warnings };
}

describe("convert: two masters with one UID", () => {
  it("keeps the higher SEQUENCE, wherever it stands in the file", () => {
    assert.equal(kept(calendar(vevent("u", "old", 1, "20240120T060000Z"), vevent("u", "new", 3, "20240120T050000Z"))).summary, "new");
    assert.equal(kept(calendar(vevent("u", "new", 2, "20240115T080000Z"), vevent("u", "old", 0, "20240115T090000Z"))).summary, "new");
  });

  it("reads a missing SEQUENCE as 0", () => {
    assert.equal(kept(calendar(vevent("u", "new", 1, "20240101T000000Z"), vevent("u", "old", null, "20240201T000000Z"))).summary, "new");
  });

  it("on equal SEQUENCEs keeps the later DTSTAMP, then the later in the file", () => {
    assert.equal(kept(calendar(vevent("u", "new", 1, "20240120T090000Z"), vevent("u", "old", 1, "20240120T080000Z"))).summary, "new");
    assert.equal(kept(calendar(vevent("u", "first", 1, "20240120T080000Z"), vevent("u", "last", 1, "20240120T080000Z"))).summary, "last");
  });

  it("says which one it kept", () => {
    const { warnings } = kept(calendar(vevent("u", "old", 1, "20240120T060000Z"), vevent("u", "new", 3, "20240120T080000Z")));
    assert.deepEqual(warnings, [
      "convert: UID u has two VEVENTs without RECURRENCE-ID; VEVENT #1 is kept (the higher SEQUENCE, then the later DTSTAMP, as RFC 5546)",
    ]);
    const other = kept(calendar(vevent("u", "new", 3, "20240120T080000Z"), vevent("u", "old", 1, "20240120T060000Z")));
    assert.match(other.warnings[0]!, /the earlier one is kept/);
  });

  it("applies to one Thunderbird item too (icsToSeries)", () => {
    const s = icsToSeries(calendar(vevent("u", "old", 0, "20240120T060000Z"), vevent("u", "new", 4, "20240120T060000Z")), null, {
      warn: () => undefined,
    });
    assert.equal(s.main?.summary, "new");
    assert.equal(s.main?.sequence, 4);
  });
});
