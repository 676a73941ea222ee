/**
 * Foreign iCalendar, read as BlueMind reads it: damaged files. A VEVENT without UID gets one; one
 * broken VEVENT never loses the others, and the reader says which were skipped and why; common
 * breakage (non-breaking-space folds, unfolded lines, missing END lines, empty values, dates
 * without VALUE=DATE) is read tolerantly; alarm descriptions are kept.
 */
import { strict as assert } from "node:assert";
import { icsToSeries, readIcsCalendar, seriesToIcs } from "../../../src/convert/index";
import { icsFixture } from "./support/ical";

function readFixture(name: string): ReturnType<typeof readIcsCalendar> {
  let n = 0;
  return readIcsCalendar(icsFixture(name), { warn: () => undefined, newUid: () => `generated-${++n}` });
}

/** A daily series "s" (3 days from 2025-03-10 09:00Z) and one exception of it made of the `exception` lines. */
function dailyWithException(...exception: string[]): string {
  const series = ["BEGIN:VEVENT", "UID:s", "DTSTART:20250310T090000Z", "RRULE:FREQ=DAILY;COUNT=3", "END:VEVENT"];
  return ["BEGIN:VCALENDAR", ...series, "BEGIN:VEVENT", "UID:s", ...exception, "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");
}

describe("convert: damaged foreign iCalendar", () => {
  it("gives each VEVENT without UID its own new one, as BlueMind does", () => {
    const r = readFixture("foreign-broken-events.ics");
    const generated = r.series.filter((s) => s.icsUid.startsWith("generated-"));
    assert.deepEqual(
      generated.map((s) => [s.icsUid, s.main!.summary]),
      [
        ["generated-1", "No UID (BlueMind gives it one)"],
        ["generated-2", "Another without UID"],
      ],
    );
    assert.ok(r.warnings.includes("convert: VEVENT #0 has no UID; given generated-1"));
  });

  it("skips a VEVENT without a usable DTSTART, says why, and keeps the others", () => {
    const r = readFixture("foreign-broken-events.ics");
    assert.deepEqual(r.skipped, [
      { index: 2, uid: "no-start", summary: "No DTSTART: skipped", reason: "no DTSTART" },
      { index: 3, uid: "bad-start", summary: "Unreadable DTSTART: skipped", reason: "DTSTART is not a date or date-time" },
    ]);
    assert.deepEqual(
      r.series.map((s) => s.icsUid),
      ["generated-1", "generated-2", "empty-values", "implicit-date"],
    );
    assert.ok(r.warnings.some((w) => w.startsWith("convert: VEVENT #2 (UID no-start) skipped: no DTSTART")));
  });

  it("reads empty values as absent, keeps the alarms that can be read and their descriptions", () => {
    const m = readFixture("foreign-broken-events.ics").series.find((s) => s.icsUid === "empty-values")!.main!;
    assert.deepEqual(
      [m.dtend, m.description, m.location, m.priority, m.sequence, m.rrule, m.exdate, m.organizer, m.attendees, m.url],
      // An empty PRIORITY or SEQUENCE is 0 (ical.js; BlueMind reads an empty SEQUENCE as 0 too).
      [null, "", "", 0, 0, null, null, null, [], null],
    );
    assert.deepEqual(m.alarm, [
      { action: "Display", trigger: -900, description: "Leave for the station", duration: null, repeat: null, summary: null },
      // An absolute TRIGGER without VALUE=DATE-TIME (Apple iCal 1.0) is still a time: 30 minutes before.
      { action: "Audio", trigger: -1800, description: null, duration: null, repeat: null, summary: null },
    ]);
    // And the event goes back out to Thunderbird.
    assert.ok(
      seriesToIcs(readFixture("foreign-broken-events.ics").series.find((s) => s.icsUid === "empty-values")!).includes(
        "Leave for the station",
      ),
    );
  });

  it("reads dates written without VALUE=DATE as dates", () => {
    const m = readFixture("foreign-broken-events.ics").series.find((s) => s.icsUid === "implicit-date")!.main!;
    assert.deepEqual(
      [m.dtstart, m.dtend, m.exdate],
      [
        { iso8601: "2025-03-14", timezone: null, precision: "Date" },
        { iso8601: "2025-03-15", timezone: null, precision: "Date" },
        [{ iso8601: "2026-03-14", timezone: null, precision: "Date" }],
      ],
    );
  });

  it("repairs non-breaking-space folds, unfolded lines and missing END lines; isolates a line ical.js refuses", () => {
    const r = readFixture("foreign-damaged-lines.ics");
    const by = new Map(r.series.map((s) => [s.icsUid, s.main!]));
    assert.equal(by.get("nbsp-fold")!.summary, "Folded with a non-breaking space");
    assert.equal(by.get("nbsp-fold")!.description, "First line<br>second line, not folded at all");
    assert.deepEqual(by.get("after-the-broken-one")!.dtstart, {
      iso8601: "2025-03-12T09:00:00.000+01:00",
      timezone: "Europe/Berlin",
      precision: "DateTime",
    });
    assert.equal(by.get("truncated")!.summary, "The file ends without END lines");
    assert.deepEqual(
      r.skipped.map((s) => [s.index, s.uid, s.summary]),
      [[1, "broken-line", "ical.js cannot read this one"]],
    );
    assert.match(r.skipped[0]!.reason, /^not valid iCalendar: /);
  });

  it("throws only for text that is no iCalendar at all", () => {
    assert.throws(
      () => readIcsCalendar("Hello, this is a mail", { warn: () => undefined }),
      (e: Error) => e.name === "ConvertError" && /not valid iCalendar/.test(e.message),
    );
    assert.deepEqual(readIcsCalendar("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n").series, []);
  });

  it("for one event (a Thunderbird item): a broken exception is skipped without base, refused with base", () => {
    const ics = dailyWithException("RECURRENCE-ID:tomorrow", "DTSTART:nope");
    const warnings: string[] = [];
    const s = icsToSeries(ics, null, { warn: (m) => warnings.push(m) });
    assert.equal(s.occurrences.length, 0);
    assert.equal(warnings.filter((w) => w.startsWith("convert: an exception of s skipped")).length, 1);
    assert.throws(() => icsToSeries(ics, s), /convert: VEVENT s: /);
  });

  it("gives an exception without DTSTART the start of the occurrence it replaces", () => {
    const ics = dailyWithException("RECURRENCE-ID:20250311T090000Z", "SUMMARY:moved nowhere");
    const o = icsToSeries(ics, null, { warn: () => undefined }).occurrences[0]!;
    assert.deepEqual(o.dtstart, o.recurid);
  });
});
