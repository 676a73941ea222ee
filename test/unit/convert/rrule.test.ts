/**
 * Recurrence: every RRULE part (FREQ, COUNT, UNTIL, INTERVAL, BYSECOND…BYSETPOS, BYDAY with
 * ordinals), plus EXDATE/RDATE written with DTSTART's value type and zone.
 */
import { strict as assert } from "node:assert";
import ICAL from "ical.js";
import type { Frequency } from "../../../src/bluemind/types";
import { icsToSeries, seriesToIcs } from "../../../src/convert/index";
import { clone, mainVevent, propText, seriesFixture } from "./support/ical";

describe("convert: recurrence rules, EXDATE and RDATE", () => {
  const s = seriesFixture("rrule.json");
  const ics = seriesToIcs(s);
  const m = mainVevent(ics);

  it("writes every RRULE part", () => {
    const r = m.getFirstPropertyValue("rrule") as ICAL.Recur;
    assert.equal(r.freq, "MONTHLY");
    assert.equal(r.count, 12);
    assert.equal(r.interval, 2);
    assert.equal(r.until, null);
    assert.deepEqual(r.parts, {
      BYSECOND: [0, 30],
      BYMINUTE: [0, 15],
      BYHOUR: [9, 14],
      BYDAY: ["2TU", "-1FR", "MO"],
      BYMONTHDAY: [1, -1],
      BYYEARDAY: [100, -100],
      BYWEEKNO: [10, -2],
      BYMONTH: [1, 3, 11],
      BYSETPOS: [1, -1],
    });
  });

  it("reads every RRULE part back", () => {
    assert.deepEqual(icsToSeries(ics).main!.rrule, s.main!.rrule);
  });

  it("maps every frequency", () => {
    for (const f of ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as Frequency[]) {
      const v = clone(s);
      v.main!.rrule = { frequency: f };
      const out = seriesToIcs(v);
      assert.equal((mainVevent(out).getFirstPropertyValue("rrule") as ICAL.Recur).freq, f);
      assert.equal(icsToSeries(out).main!.rrule!.frequency, f);
    }
  });

  it("writes EXDATE and RDATE with DTSTART's zone, converting an exdate given in UTC", () => {
    const ex = m.getAllProperties("exdate").map((p) => p.toICALString());
    assert.deepEqual(ex, ["EXDATE;TZID=America/New_York:20240312T090000", "EXDATE;TZID=America/New_York:20240514T090000"]);
    assert.equal(propText(m, "rdate"), "RDATE;TZID=America/New_York:20240201T090000");
  });

  it("reads EXDATE and RDATE back in DTSTART's zone", () => {
    const back = icsToSeries(ics).main!;
    assert.deepEqual(back.exdate, [
      { iso8601: "2024-03-12T09:00:00.000-04:00", timezone: "America/New_York", precision: "DateTime" },
      { iso8601: "2024-05-14T09:00:00.000-04:00", timezone: "America/New_York", precision: "DateTime" },
    ]);
    assert.deepEqual(back.rdate, s.main!.rdate);
  });

  it("reads a multi-valued EXDATE and an RDATE period", () => {
    const text = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//t//EN",
      "BEGIN:VEVENT",
      "UID:m",
      "DTSTAMP:20240101T000000Z",
      "DTSTART:20240101T100000Z",
      "RRULE:FREQ=DAILY;COUNT=10",
      "EXDATE:20240102T100000Z,20240103T100000Z",
      "RDATE;VALUE=PERIOD:20240120T100000Z/PT1H",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const back = icsToSeries(text).main!;
    assert.deepEqual(
      back.exdate!.map((d) => d.iso8601),
      ["2024-01-02T10:00:00.000Z", "2024-01-03T10:00:00.000Z"],
    );
    assert.deepEqual(
      back.rdate!.map((d) => d.iso8601),
      ["2024-01-20T10:00:00.000Z"],
    );
  });

  it("does not write recurrence on exceptions", () => {
    const v = clone(s);
    v.occurrences = [{ ...clone(v.main!), recurid: v.main!.dtstart }];
    const ex = ICAL.Component.fromString(seriesToIcs(v))
      .getAllSubcomponents("vevent")
      .find((c) => c.hasProperty("recurrence-id"))!;
    assert.equal(ex.hasProperty("rrule"), false);
    assert.equal(ex.hasProperty("exdate"), false);
    assert.equal(ex.hasProperty("rdate"), false);
  });
});
