/**
 * Alarms: BlueMind's trigger seconds (negative = before) as a TRIGGER duration; ACTION,
 * DESCRIPTION, SUMMARY, DURATION, REPEAT; absolute and end-related triggers read as seconds.
 */
import { strict as assert } from "node:assert";
import ICAL from "ical.js";
import { icsToSeries, seriesToIcs } from "../../../src/convert/index";
import { mainVevent, seriesFixture } from "./support/ical";

describe("convert: alarms", () => {
  const s = seriesFixture("alarms.json");
  const ics = seriesToIcs(s);
  const alarms = mainVevent(ics).getAllSubcomponents("valarm");

  it("writes one VALARM per alarm with TRIGGER as a duration from the start", () => {
    assert.equal(alarms.length, 4);
    const triggers = alarms.map((a) => a.getFirstProperty("trigger")!);
    assert.deepEqual(
      triggers.map((t) => t.type),
      ["duration", "duration", "duration", "duration"],
    );
    assert.deepEqual(
      triggers.map((t) => (t.getFirstValue() as ICAL.Duration).toString()),
      ["-PT15M", "-P1DT1H1M1S", "PT0S", "PT10M"],
    );
    assert.deepEqual(
      triggers.map((t) => (t.getFirstValue() as ICAL.Duration).toSeconds()),
      [-900, -90061, 0, 600],
    );
  });

  it("writes ACTION, DESCRIPTION, SUMMARY, DURATION and REPEAT", () => {
    assert.deepEqual(
      alarms.map((a) => a.getFirstPropertyValue("action")),
      ["DISPLAY", "AUDIO", "EMAIL", "DISPLAY"],
    );
    assert.equal(alarms[0]!.getFirstPropertyValue("description"), "In 15 minutes");
    assert.equal(alarms[1]!.hasProperty("description"), false);
    assert.equal((alarms[1]!.getFirstPropertyValue("duration") as ICAL.Duration).toSeconds(), 300);
    assert.equal(alarms[1]!.getFirstPropertyValue("repeat"), 2);
    assert.equal(alarms[2]!.getFirstPropertyValue("summary"), "Reminder");
  });

  it("reads the alarms back unchanged", () => {
    assert.deepEqual(icsToSeries(ics).main!.alarm, s.main!.alarm);
  });

  it("reads absolute and end-related triggers as seconds from the start, skips ACTION:NONE", () => {
    const text = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//t//EN",
      "BEGIN:VEVENT",
      "UID:a",
      "DTSTAMP:20240101T000000Z",
      "DTSTART;TZID=Europe/Paris:20240110T140000",
      "DTEND;TZID=Europe/Paris:20240110T153000",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      "TRIGGER;VALUE=DATE-TIME:20240110T123000Z",
      "END:VALARM",
      "BEGIN:VALARM",
      "ACTION:AUDIO",
      "TRIGGER;RELATED=END:-PT5M",
      "END:VALARM",
      "BEGIN:VALARM",
      "ACTION:NONE",
      "TRIGGER;VALUE=DATE-TIME:19760401T005545Z",
      "END:VALARM",
      "BEGIN:VALARM",
      "ACTION:PROCEDURE",
      "TRIGGER:-PT1M",
      "END:VALARM",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const back = icsToSeries(text).main!.alarm!;
    assert.deepEqual(
      back.map((a) => [a.action, a.trigger]),
      [
        ["Display", -1800],
        ["Audio", 5100],
        ["Display", -60],
      ],
    );
  });

  it("writes no VALARM when there is none, and reads none as null", () => {
    const none = seriesToIcs({ ...s, main: { ...s.main!, alarm: null } });
    assert.equal(mainVevent(none).getAllSubcomponents("valarm").length, 0);
    assert.equal(icsToSeries(none).main!.alarm, null);
  });
});
