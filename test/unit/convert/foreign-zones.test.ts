/**
 * Foreign iCalendar, read as BlueMind reads it: time zones. Windows names (Outlook/Exchange),
 * Lotus/Domino names, Outlook's custom zones, legacy IANA links and POSIX-style names all become
 * real IANA zones, with or without a VTIMEZONE, so a weekly meeting keeps its local time across a
 * DST change; X-WR-TIMEZONE applies to floating times; only rules no zone has give UTC, with a warning.
 */
import { strict as assert } from "node:assert";
import type { BmDateTime, VEventSeries } from "../../../src/bluemind/types";
import { readIcsCalendar, seriesToIcs } from "../../../src/convert/index";
import { isUsableZone, resolveZoneName } from "../../../src/convert/zone-resolve";
import * as names from "../../../src/convert/zone-names";
import { icsFixture, mainVevent, propText, tzids } from "./support/ical";
import { utcOccurrences } from "./support/occurrences";

function read(fixture: string): { byUid: Map<string, VEventSeries>; warnings: string[] } {
  const warnings: string[] = [];
  const r = readIcsCalendar(icsFixture(fixture), { warn: (m) => warnings.push(m) });
  assert.deepEqual(r.skipped, []);
  return { byUid: new Map(r.series.map((s) => [s.icsUid, s])), warnings };
}

const start = (m: Map<string, VEventSeries>, uid: string): BmDateTime => m.get(uid)!.main!.dtstart;
const zoned = (iso8601: string, timezone: string): BmDateTime => ({ iso8601, timezone, precision: "DateTime" });

describe("convert: foreign time zones", () => {
  it("keeps a weekly Outlook meeting at 09:00 Berlin time across the DST change (Windows name + VTIMEZONE)", () => {
    const { byUid, warnings } = read("foreign-windows-weekly.ics");
    const s = byUid.get("040000008200E00074C5B7101A82E00800000000weekly")!;
    assert.deepEqual(s.main!.dtstart, zoned("2025-03-17T09:00:00.000+01:00", "Europe/Berlin"));
    assert.deepEqual(warnings, []);
    // What Thunderbird is given: TZID=Europe/Berlin; the occurrences after 30 March move to 07:00Z.
    const ics = seriesToIcs(s);
    assert.deepEqual(tzids(ics), ["Europe/Berlin"]);
    assert.deepEqual(utcOccurrences(ics, s.icsUid), [
      "2025-03-17T08:00:00.000Z",
      "2025-03-24T08:00:00.000Z",
      "2025-03-31T07:00:00.000Z",
      "2025-04-07T07:00:00.000Z",
    ]);
  });

  it("reads Lotus, Windows and OWA display names, with or without a VTIMEZONE", () => {
    const { byUid } = read("foreign-zone-names.ics");
    const starts: Record<string, BmDateTime> = {
      "lotus-eastern": zoned("2025-03-05T10:00:00.000-05:00", "America/New_York"),
      "lotus-pacific": zoned("2004-04-15T12:00:00.000-07:00", "America/Los_Angeles"),
      "outlook-romance": zoned("2025-07-07T14:00:00.000+02:00", "Europe/Paris"),
      "owa-display-name": zoned("2025-01-15T09:00:00.000+01:00", "Europe/Paris"),
      "owa-us-and-canada": zoned("2015-07-06T12:00:00.000-04:00", "America/New_York"),
    };
    for (const [uid, dtstart] of Object.entries(starts)) assert.deepEqual(start(byUid, uid), dtstart, uid);
  });

  it("maps legacy links and POSIX-style names to the IANA zone they stand for, and writes them zoned", () => {
    const { byUid } = read("foreign-zone-names.ics");
    const want: [string, string, string][] = [
      ["legacy-gb", "Europe/London", "2025-07-01T09:00:00.000+01:00"],
      ["legacy-cet", "Europe/Brussels", "2025-07-01T09:00:00.000+02:00"],
      ["legacy-est5edt", "America/New_York", "2025-07-01T09:00:00.000-04:00"],
      ["legacy-us-pacific", "America/Los_Angeles", "2025-07-01T09:00:00.000-07:00"],
      ["fixed-etc-gmt-plus-11", "Etc/GMT+11", "2025-07-01T09:00:00.000-11:00"],
    ];
    for (const [uid, zone, iso] of want) {
      const s = byUid.get(uid)!;
      assert.deepEqual(s.main!.dtstart, zoned(iso, zone), uid);
      const ics = seriesToIcs(s, { warn: (m) => assert.fail(m) });
      assert.equal(propText(mainVevent(ics), "dtstart"), `DTSTART;TZID=${zone}:20250701T090000`, uid);
      assert.deepEqual(tzids(ics), [zone], uid);
    }
  });

  it("corrects BlueMind's table where it is a day off (Dateline Standard Time is UTC-12)", () => {
    const { byUid } = read("foreign-zone-names.ics");
    assert.deepEqual(start(byUid, "windows-dateline"), zoned("2025-07-01T09:00:00.000-12:00", "Etc/GMT+12"));
  });

  it("reads a custom zone by the IANA zone whose rules its VTIMEZONE has", () => {
    const { byUid, warnings } = read("foreign-custom-zones.ics");
    const eu = byUid.get("custom-europe")!;
    assert.equal(eu.main!.dtstart.timezone, "Europe/Paris");
    assert.deepEqual(utcOccurrences(seriesToIcs(eu), "custom-europe"), [
      "2025-03-17T08:00:00.000Z",
      "2025-03-24T08:00:00.000Z",
      "2025-03-31T07:00:00.000Z",
      "2025-04-07T07:00:00.000Z",
    ]);
    const us = byUid.get("custom-us")!;
    assert.equal(us.main!.dtstart.timezone, "America/New_York");
    assert.deepEqual(utcOccurrences(seriesToIcs(us), "custom-us"), [
      "2025-03-03T14:00:00.000Z",
      "2025-03-10T13:00:00.000Z",
      "2025-03-17T13:00:00.000Z",
    ]);
    assert.deepEqual(start(byUid, "custom-india"), zoned("2025-03-03T09:00:00.000+05:30", "Asia/Kolkata"));
    // Only rules no zone has become UTC, and that is said.
    assert.deepEqual(start(byUid, "custom-nowhere"), zoned("2025-03-03T07:43:00.000Z", "UTC"));
    assert.deepEqual(warnings, [
      'convert: no IANA zone has the rules of the VTIMEZONE "Nowhere Standard Time"; its times are stored in UTC (same instants)',
    ]);
  });

  it("reads floating times in the calendar's X-WR-TIMEZONE, as BlueMind does, and nothing else", () => {
    const { byUid, warnings } = read("foreign-x-wr-timezone.ics");
    const f = byUid.get("floating")!.main!;
    assert.deepEqual(f.dtstart, zoned("2025-03-10T09:00:00.000-07:00", "America/Los_Angeles"));
    assert.deepEqual(f.exdate, [zoned("2025-03-11T09:00:00.000-07:00", "America/Los_Angeles")]);
    assert.deepEqual(f.rrule!.until, zoned("2025-03-12T09:00:00.000-07:00", "America/Los_Angeles"));
    assert.deepEqual(start(byUid, "utc"), zoned("2025-03-10T09:00:00.000Z", "UTC"));
    assert.equal(start(byUid, "zoned").timezone, "Europe/Paris");
    assert.deepEqual(start(byUid, "allday"), { iso8601: "2025-03-10", timezone: null, precision: "Date" });
    assert.deepEqual(start(byUid, "unknown-tzid"), zoned("2025-03-10T09:00:00.000-07:00", "America/Los_Angeles"));
    assert.deepEqual(warnings, [
      'convert: unknown TZID "Somewhere" without a VTIMEZONE; read in the calendar\'s X-WR-TIMEZONE America/Los_Angeles',
    ]);
  });

  it("trusts the VTIMEZONE over a Windows name whose offsets it contradicts", () => {
    const ics = icsFixture("foreign-custom-zones.ics").replace(/Customized Time Zone 1/g, "Dateline Standard Time");
    const warnings: string[] = [];
    const s = readIcsCalendar(ics, { warn: (m) => warnings.push(m) }).series.find((x) => x.icsUid === "custom-us")!;
    assert.equal(s.main!.dtstart.timezone, "America/New_York");
    assert.ok(
      warnings.includes(
        'convert: TZID "Dateline Standard Time" reads as Etc/GMT+12, but its VTIMEZONE has other offsets; matching the VTIMEZONE instead',
      ),
      warnings.join("\n"),
    );
  });

  it("writes zones the compact table leaves out (Cairo) with a VTIMEZONE of their real changes", () => {
    const s: VEventSeries = {
      icsUid: "cairo",
      occurrences: [],
      main: {
        dtstart: zoned("2025-06-01T10:00:00.000+03:00", "Africa/Cairo"),
        rrule: { frequency: "MONTHLY", count: 6 },
      },
    };
    const ics = seriesToIcs(s, { warn: (m) => assert.fail(m) });
    assert.deepEqual(tzids(ics), ["Africa/Cairo"]);
    // Egypt's DST 2025 ends on the last Thursday of October: from November, 10:00 is 08:00Z.
    assert.deepEqual(utcOccurrences(ics, "cairo"), [
      "2025-06-01T07:00:00.000Z",
      "2025-07-01T07:00:00.000Z",
      "2025-08-01T07:00:00.000Z",
      "2025-09-01T07:00:00.000Z",
      "2025-10-01T07:00:00.000Z",
      "2025-11-01T08:00:00.000Z",
    ]);
  });

  it("every zone in the name tables is one the converter can compute with and write", () => {
    for (const [table, map] of Object.entries(names)) {
      for (const [name, zone] of Object.entries(map as Record<string, string>)) {
        const r = resolveZoneName(zone);
        assert.ok(r && (r.tzid === "UTC" || isUsableZone(r.tzid)), `${table}: ${name} -> ${zone}`);
      }
    }
    assert.equal(resolveZoneName("W. Europe Standard Time")?.tzid, "Europe/Berlin");
    assert.equal(resolveZoneName("Coordinated Universal Time")?.tzid, "UTC");
    assert.equal(resolveZoneName("UTC+01:00")?.tzid, "Etc/GMT-1");
    assert.equal(resolveZoneName("europe/paris")?.tzid, "Europe/Paris");
    assert.equal(resolveZoneName("Customized Time Zone"), null);
  });
});
