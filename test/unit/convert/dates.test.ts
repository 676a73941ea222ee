/**
 * Dates and zones: BmDateTime precision/timezone -> DATE, UTC, floating or TZID + VTIMEZONE,
 * and back to iso8601 with the offset the zone has at that instant (DST, history, gaps).
 */
import { strict as assert } from "node:assert";
import ICAL from "ical.js";
import { icsToSeries, seriesToIcs } from "../../../src/convert/index";
import { mainVevent, parseCal, propText, seriesFixture, tzids, vevents } from "./support/ical";

function untilOf(c: ICAL.Component): ICAL.Time {
  const r = c.getFirstPropertyValue("rrule") as ICAL.Recur;
  assert.ok(r.until, "UNTIL present");
  return r.until;
}

const wrap = (lines: string[]): string =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");

describe("convert: dates and time zones", () => {
  describe("DateTime in an IANA zone", () => {
    const s = seriesFixture("dates-zoned.json");
    const ics = seriesToIcs(s);

    it("writes TZID parameters with the wall clock of the zone", () => {
      const m = mainVevent(ics);
      assert.equal(propText(m, "dtstart"), "DTSTART;TZID=Europe/Paris:20240309T113000");
      assert.equal(propText(m, "dtend"), "DTEND;TZID=America/New_York:20240309T070000");
    });

    it("adds one VTIMEZONE per zone used, with its observances", () => {
      assert.deepEqual(tzids(ics), ["America/New_York", "Europe/London", "Europe/Paris"]);
      const paris = parseCal(ics)
        .getAllSubcomponents("vtimezone")
        .find((z) => z.getFirstPropertyValue("tzid") === "Europe/Paris")!;
      assert.equal(paris.getAllSubcomponents("daylight").length, 1);
      assert.equal(paris.getAllSubcomponents("standard").length, 1);
      const zone = new ICAL.Timezone(paris);
      const summer = ICAL.Time.fromData({ year: 2024, month: 7, day: 1, hour: 12, minute: 0, second: 0, isDate: false });
      const winter = ICAL.Time.fromData({ year: 2024, month: 1, day: 1, hour: 12, minute: 0, second: 0, isDate: false });
      assert.equal(zone.utcOffset(summer), 7200);
      assert.equal(zone.utcOffset(winter), 3600);
    });

    it("writes UNTIL as a UTC date-time for a zoned DTSTART", () => {
      const u = untilOf(mainVevent(ics));
      assert.equal(u.isDate, false);
      assert.equal(u.zone, ICAL.Timezone.utcTimezone);
      assert.equal(u.toString(), "2024-06-29T09:30:00Z");
    });

    it("writes RECURRENCE-ID like the main DTSTART, the exception's own start in its own zone", () => {
      const ex = vevents(ics).find((c) => c.hasProperty("recurrence-id"))!;
      assert.equal(propText(ex, "recurrence-id"), "RECURRENCE-ID;TZID=Europe/Paris:20240406T113000");
      assert.equal(propText(ex, "dtstart"), "DTSTART;TZID=Europe/London:20240406T100000");
    });

    it("reads back the zone and the zone's offset at that instant (DST included)", () => {
      const back = icsToSeries(ics);
      assert.deepEqual(back.main!.dtstart, s.main!.dtstart);
      assert.deepEqual(back.main!.dtend, s.main!.dtend);
      assert.deepEqual(back.main!.rrule!.until, s.main!.rrule!.until);
      assert.deepEqual(back.occurrences[0]!.recurid, s.occurrences[0]!.recurid);
      assert.deepEqual(back.occurrences[0]!.dtstart, {
        iso8601: "2024-04-06T10:00:00.000+01:00",
        timezone: "Europe/London",
        precision: "DateTime",
      });
    });

    it("takes the instant from iso8601 when its offset is not the zone's", () => {
      const ics2 = seriesToIcs({
        icsUid: "x",
        occurrences: [],
        main: { dtstart: { iso8601: "2024-03-09T10:30:00Z", timezone: "Europe/Paris", precision: "DateTime" } },
      });
      assert.equal(propText(mainVevent(ics2), "dtstart"), "DTSTART;TZID=Europe/Paris:20240309T113000");
    });

    it("reads the zone's historical offset (Moscow 2012 was +04:00, New York 2006 DST began in April)", () => {
      const back = icsToSeries(
        wrap([
          "BEGIN:VEVENT",
          "UID:h",
          "DTSTAMP:20240101T000000Z",
          "DTSTART;TZID=Europe/Moscow:20120601T100000",
          "DTEND;TZID=America/New_York:20060320T100000",
          "END:VEVENT",
        ]),
      );
      assert.equal(back.main!.dtstart.iso8601, "2012-06-01T10:00:00.000+04:00");
      assert.equal(back.main!.dtend!.iso8601, "2006-03-20T10:00:00.000-05:00");
    });
  });

  describe("TZID values as Thunderbird and others send them", () => {
    it("needs no VTIMEZONE for an IANA TZID (Thunderbird omits them)", () => {
      const back = icsToSeries(
        wrap(["BEGIN:VEVENT", "UID:a", "DTSTAMP:20240101T000000Z", "DTSTART;TZID=Asia/Kolkata:20240101T093000", "END:VEVENT"]),
      );
      assert.deepEqual(back.main!.dtstart, { iso8601: "2024-01-01T09:30:00.000+05:30", timezone: "Asia/Kolkata", precision: "DateTime" });
    });

    it("strips the old /mozilla.org/… prefix", () => {
      const back = icsToSeries(
        wrap([
          "BEGIN:VEVENT",
          "UID:a",
          "DTSTAMP:20240101T000000Z",
          "DTSTART;TZID=/mozilla.org/20070129_1/Europe/Paris:20240101T093000",
          "END:VEVENT",
        ]),
      );
      assert.deepEqual(back.main!.dtstart, { iso8601: "2024-01-01T09:30:00.000+01:00", timezone: "Europe/Paris", precision: "DateTime" });
    });

    it("resolves a DST gap forward and an overlap to the first instant", () => {
      const back = icsToSeries(
        wrap([
          "BEGIN:VEVENT",
          "UID:a",
          "DTSTAMP:20240101T000000Z",
          "DTSTART;TZID=Europe/Paris:20240331T023000",
          "DTEND;TZID=Europe/Paris:20241027T023000",
          "END:VEVENT",
        ]),
      );
      assert.equal(back.main!.dtstart.iso8601, "2024-03-31T03:30:00.000+02:00");
      assert.equal(back.main!.dtend!.iso8601, "2024-10-27T02:30:00.000+02:00");
    });

    it("reads a zone known only from the ICS's VTIMEZONE as the IANA zone with its rules (a fixed +03:00 here)", () => {
      const back = icsToSeries(
        wrap([
          "BEGIN:VTIMEZONE",
          "TZID:Custom Zone",
          "BEGIN:STANDARD",
          "DTSTART:19700101T000000",
          "TZOFFSETFROM:+0300",
          "TZOFFSETTO:+0300",
          "END:STANDARD",
          "END:VTIMEZONE",
          "BEGIN:VEVENT",
          "UID:a",
          "DTSTAMP:20240101T000000Z",
          "DTSTART;TZID=Custom Zone:20240101T120000",
          "END:VEVENT",
        ]),
      );
      assert.deepEqual(back.main!.dtstart, { iso8601: "2024-01-01T12:00:00.000+03:00", timezone: "Etc/GMT-3", precision: "DateTime" });
    });

    it("keeps the wall clock (floating) for an unknown TZID with no VTIMEZONE, and says so", () => {
      const warnings: string[] = [];
      const back = icsToSeries(
        wrap(["BEGIN:VEVENT", "UID:a", "DTSTAMP:20240101T000000Z", "DTSTART;TZID=Nowhere:20240101T120000", "END:VEVENT"]),
        null,
        { warn: (m) => warnings.push(m) },
      );
      assert.deepEqual(back.main!.dtstart, { iso8601: "2024-01-01T12:00:00.000", timezone: null, precision: "DateTime" });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /unknown TZID "Nowhere" without a VTIMEZONE; read as floating/);
    });
  });

  describe("all-day (Date precision)", () => {
    const s = seriesFixture("dates-allday.json");
    const ics = seriesToIcs(s);

    it("writes VALUE=DATE for DTSTART, DTEND, EXDATE, RDATE and RECURRENCE-ID, and no VTIMEZONE", () => {
      const m = mainVevent(ics);
      assert.equal(propText(m, "dtstart"), "DTSTART;VALUE=DATE:20240714");
      assert.equal(propText(m, "dtend"), "DTEND;VALUE=DATE:20240715");
      assert.equal(propText(m, "exdate"), "EXDATE;VALUE=DATE:20260714");
      assert.equal(propText(m, "rdate"), "RDATE;VALUE=DATE:20250815");
      const ex = vevents(ics).find((c) => c.hasProperty("recurrence-id"))!;
      assert.equal(propText(ex, "recurrence-id"), "RECURRENCE-ID;VALUE=DATE:20250714");
      assert.deepEqual(tzids(ics), []);
    });

    it("writes UNTIL as a DATE", () => {
      const u = untilOf(mainVevent(ics));
      assert.equal(u.isDate, true);
      assert.equal(u.toString(), "2030-07-14");
    });

    it("reads back Date values with timezone null", () => {
      const back = icsToSeries(ics);
      assert.deepEqual(back.main!.dtstart, s.main!.dtstart);
      assert.deepEqual(back.main!.rrule!.until, s.main!.rrule!.until);
      assert.deepEqual(back.main!.exdate, s.main!.exdate);
      assert.deepEqual(back.occurrences[0]!.recurid, s.occurrences[0]!.recurid);
    });

    it("ignores a timezone on a Date value (BlueMind keeps none)", () => {
      const ics2 = seriesToIcs({
        icsUid: "d",
        occurrences: [],
        main: { dtstart: { iso8601: "2024-07-14", timezone: "Europe/Paris", precision: "Date" } },
      });
      assert.equal(propText(mainVevent(ics2), "dtstart"), "DTSTART;VALUE=DATE:20240714");
      assert.deepEqual(tzids(ics2), []);
    });
  });

  describe("UTC and floating", () => {
    it("writes timezone UTC as Z values, UNTIL in UTC, no VTIMEZONE; reads back iso8601 with Z", () => {
      const s = seriesFixture("dates-utc.json");
      const ics = seriesToIcs(s);
      const m = mainVevent(ics);
      assert.equal(propText(m, "dtstart"), "DTSTART:20240110T090000Z");
      assert.equal(propText(m, "dtend"), "DTEND:20240110T100000Z");
      assert.equal(propText(m, "exdate"), "EXDATE:20240112T090000Z");
      assert.equal(untilOf(m).toString(), "2024-01-31T09:00:00Z");
      assert.deepEqual(tzids(ics), []);
      const back = icsToSeries(ics);
      assert.deepEqual(back.main!.dtstart, s.main!.dtstart);
      // "+00:00" is read as the same instant and written in BlueMind's canonical "Z" form.
      assert.deepEqual(back.main!.dtend, { iso8601: "2024-01-10T10:00:00.000Z", timezone: "UTC", precision: "DateTime" });
    });

    it("writes timezone null as floating values (no TZID, no Z), UNTIL floating too", () => {
      const s = seriesFixture("dates-floating.json");
      const ics = seriesToIcs(s);
      const m = mainVevent(ics);
      assert.equal(propText(m, "dtstart"), "DTSTART:20240502T080000");
      const u = untilOf(m);
      assert.equal(u.isDate, false);
      assert.equal(u.toString(), "2024-05-30T08:00:00");
      assert.deepEqual(tzids(ics), []);
      const back = icsToSeries(ics);
      assert.deepEqual(back.main!.dtstart, s.main!.dtstart);
      assert.deepEqual(back.main!.rrule!.until, s.main!.rrule!.until);
    });
  });

  describe("zones the table cannot describe", () => {
    it("writes a zone whose rules are no yearly pair (Casablanca) with a VTIMEZONE from Intl", () => {
      const s = seriesFixture("dates-unknown-zone.json");
      const ics = seriesToIcs(s, { warn: () => undefined });
      assert.equal(propText(mainVevent(ics), "dtstart"), "DTSTART;TZID=Africa/Casablanca:20240309T113000");
      assert.deepEqual(tzids(ics), ["Africa/Casablanca"]);
      const back = icsToSeries(ics);
      assert.deepEqual(back.main!.dtstart, s.main!.dtstart);
      // Ramadan 2024 (from 10 March to 14 April): Morocco is on +00:00.
      const zone = new ICAL.Timezone(parseCal(ics).getFirstSubcomponent("vtimezone")!);
      const at = (m: number, d: number): number =>
        zone.utcOffset(ICAL.Time.fromData({ year: 2024, month: m, day: d, hour: 12, minute: 0, second: 0, isDate: false }));
      assert.deepEqual([at(3, 1), at(3, 20), at(5, 1)], [3600, 0, 3600]);
    });

    it("falls back to UTC for a zone nothing knows, using the iso8601 offset, with a warning", () => {
      const warnings: string[] = [];
      const ics = seriesToIcs(seriesFixture("dates-unknown-zone.json"), { warn: (m) => warnings.push(m) });
      assert.equal(propText(mainVevent(ics), "dtend"), "DTEND:20240309T103000Z");
      assert.deepEqual(warnings, ['convert: unknown time zone "Mars/Olympus_Mons"; its times are written in UTC (same instants)']);
    });
  });
});
