/**
 * Whole series: main + exceptions sharing one UID, exceptions only (`main: null`), the
 * calendar export of many series with deduplicated VTIMEZONEs, and reading errors.
 */
import { strict as assert } from "node:assert";
import { icsToSeries, icsToSeriesList, seriesListToIcs, seriesToIcs } from "../../../src/convert/index";
import { parseCal, propText, seriesFixture, tzids, vevents } from "./support/ical";

describe("convert: series, exceptions and calendars", () => {
  it("writes the main VEVENT then one VEVENT per exception, all with the series' UID", () => {
    const s = seriesFixture("dates-zoned.json");
    const vs = vevents(seriesToIcs(s));
    assert.equal(vs.length, 2);
    assert.deepEqual(
      vs.map((v) => v.getFirstPropertyValue("uid")),
      ["zoned-1@bm.lan", "zoned-1@bm.lan"],
    );
    assert.deepEqual(
      vs.map((v) => v.hasProperty("recurrence-id")),
      [false, true],
    );
    assert.ok(vs.every((v) => v.hasProperty("dtstamp")));
  });

  it("handles `main: null` both ways", () => {
    const s = seriesFixture("exceptions-only.json");
    const ics = seriesToIcs(s);
    const vs = vevents(ics);
    assert.equal(vs.length, 1);
    assert.equal(propText(vs[0]!, "recurrence-id"), "RECURRENCE-ID;TZID=Europe/Paris:20240402T150000");
    const back = icsToSeries(ics);
    assert.equal(back.main, null);
    assert.equal(back.occurrences.length, 1);
    assert.deepEqual(back.occurrences[0]!.recurid, s.occurrences[0]!.recurid);
    assert.equal(back.occurrences[0]!.summary, s.occurrences[0]!.summary);
    assert.equal(back.icsUid, s.icsUid);
  });

  it("exports many series in one VCALENDAR with each VTIMEZONE once", () => {
    const list = ["dates-zoned.json", "text.json", "people.json", "dates-allday.json", "rrule.json"].map(seriesFixture);
    const ics = seriesListToIcs(list);
    assert.deepEqual(tzids(ics), ["America/New_York", "Europe/London", "Europe/Paris"]);
    assert.equal(vevents(ics).length, 7);
    const back = icsToSeriesList(ics);
    assert.deepEqual(
      back.map((s) => s.icsUid),
      list.map((s) => s.icsUid),
    );
    assert.deepEqual(
      back.map((s) => s.occurrences.length),
      [1, 0, 0, 1, 0],
    );
  });

  it("uses the DTSTAMP given, else now", () => {
    const s = seriesFixture("text.json");
    const fixed = vevents(seriesToIcs(s, { dtstamp: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }))[0]!;
    assert.equal(propText(fixed, "dtstamp"), "DTSTAMP:20240102T030405Z");
    const now = (vevents(seriesToIcs(s))[0]!.getFirstPropertyValue("dtstamp") as { toJSDate(): Date }).toJSDate().getTime();
    assert.ok(Math.abs(now - Date.now()) < 60_000);
  });

  it("writes a well-formed VCALENDAR (PRODID, VERSION, CRLF line ends)", () => {
    const ics = seriesToIcs(seriesFixture("text.json"));
    const cal = parseCal(ics);
    assert.equal(cal.name, "vcalendar");
    assert.equal(cal.getFirstPropertyValue("version"), "2.0");
    assert.ok(String(cal.getFirstPropertyValue("prodid")).length > 0);
    assert.ok(ics.endsWith("END:VCALENDAR\r\n"));
    assert.ok(!/[^\r]\n/.test(ics), "every line ends with CRLF");
  });

  it("accepts a bare VEVENT", () => {
    const back = icsToSeries(
      "BEGIN:VEVENT\r\nUID:bare\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20240101\r\nSUMMARY:x\r\nEND:VEVENT\r\n",
    );
    assert.equal(back.icsUid, "bare");
    assert.equal(back.main!.dtstart.precision, "Date");
  });

  it("refuses what is not one event", () => {
    assert.throws(() => icsToSeries("not ical"), /convert/);
    assert.throws(() => icsToSeries("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"), /no VEVENT/);
    const two = seriesListToIcs([seriesFixture("text.json"), seriesFixture("people.json")]);
    assert.throws(() => icsToSeries(two), /several UIDs/);
    assert.throws(() => icsToSeries("BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n"), /no DTSTART/);
    assert.throws(() => seriesToIcs({ ...seriesFixture("text.json"), icsUid: "" }), /icsUid/);
  });
});
