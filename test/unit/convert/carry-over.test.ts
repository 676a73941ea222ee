/**
 * icsToSeries(ics, base): what iCalendar cannot carry, or Thunderbird does not show, comes from
 * `base` (the series as last received), and a field the user did not change is base's verbatim.
 */
import { strict as assert } from "node:assert";
import type { VEventSeries } from "../../../src/bluemind/types";
import { icsToSeries, seriesToIcs } from "../../../src/convert/index";
import { clone, icsFixture, seriesFixture } from "./support/ical";

/** Simulates Thunderbird: our ICS in, an edit, and Thunderbird's own additions out. */
function thunderbirdEdit(ics: string, edit: (s: string) => string): string {
  const withMoz = ics.replace(/END:VEVENT/g, "X-MOZ-GENERATION:7\r\nLAST-MODIFIED:20240318T160000Z\r\nEND:VEVENT");
  return edit(withMoz);
}

describe("convert: carry-over from base", () => {
  const base: VEventSeries = seriesFixture("base.json");

  it("returns base unchanged when nothing was edited", () => {
    const back = icsToSeries(seriesToIcs(base), base);
    assert.deepStrictEqual(back, base);
  });

  it("an edit of the summary changes only the summary", () => {
    const ics = thunderbirdEdit(seriesToIcs(base), (s) => s.replace("SUMMARY:Project review\r\n", "SUMMARY:Project review (v2)\r\n"));
    const back = icsToSeries(ics, base);
    const expected = clone(base);
    expected.main!.summary = "Project review (v2)";
    assert.deepStrictEqual(back, expected);
  });

  it("keeps conference, attachments, counters, properties, acceptCounters and draft", () => {
    const ics = thunderbirdEdit(seriesToIcs(base), (s) => s.replace("SUMMARY:Project review\r\n", "SUMMARY:Changed\r\n"));
    const back = icsToSeries(ics, base);
    const m = back.main!;
    assert.equal(m.conference, base.main!.conference);
    assert.equal(m.conferenceId, base.main!.conferenceId);
    assert.deepEqual(m.conferenceConfiguration, { provider: "bbb", pin: "1234" });
    assert.deepEqual(m.attachments, base.main!.attachments);
    assert.deepEqual(m.properties, base.main!.properties);
    assert.equal(m.draft, false);
    assert.deepEqual(back.counters, base.counters);
    assert.deepEqual(back.properties, base.properties);
    assert.equal(back.acceptCounters, false);
  });

  it("keeps those fields even from an ICS that does not carry them at all", () => {
    const bare = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//t//EN",
      "BEGIN:VEVENT",
      "UID:base-1@bm.lan",
      "DTSTAMP:20240318T160000Z",
      "DTSTART;TZID=Europe/Paris:20240312T100000",
      "DTEND;TZID=Europe/Paris:20240312T110000",
      "SUMMARY:Only a title",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const m = icsToSeries(bare, base).main!;
    assert.equal(m.summary, "Only a title");
    assert.equal(m.conference, base.main!.conference);
    assert.deepEqual(m.attachments, base.main!.attachments);
    assert.deepEqual(m.properties, { "bm-origin": "web" }, "X-MOZ-LASTACK absent from the ICS: acknowledged state cleared");
  });

  it("keeps attendee dir/internal/uri/counter/responseComment when a participation status changes", () => {
    const ics = thunderbirdEdit(seriesToIcs(base), (s) => s.replace(/PARTSTAT=NEEDS-ACTION/, "PARTSTAT=ACCEPTED"));
    const back = icsToSeries(ics, base);
    const expected = clone(base);
    expected.main!.attendees![1]!.partStatus = "Accepted";
    assert.deepStrictEqual(back.main!.attendees, expected.main!.attendees);
  });

  it("keeps category containerUid/itemUid/color by label, and takes new labels as labels", () => {
    const ics = thunderbirdEdit(seriesToIcs(base), (s) => s.replace("CATEGORIES:Projet X", "CATEGORIES:Projet X,Nouveau"));
    const cats = icsToSeries(ics, base).main!.categories;
    assert.deepEqual(cats, [base.main!.categories![0], { containerUid: null, itemUid: null, label: "Nouveau", color: null }]);
  });

  it("keeps base's exact rrule (INTERVAL=1, UNTIL spelling) while the rule is unchanged, and its UNTIL when only other parts change", () => {
    const same = icsToSeries(seriesToIcs(base), base).main!.rrule;
    assert.deepStrictEqual(same, base.main!.rrule);
    const ics = thunderbirdEdit(seriesToIcs(base), (s) => s.replace("BYDAY=TU", "BYDAY=TU,TH"));
    const r = icsToSeries(ics, base).main!.rrule!;
    assert.deepEqual(r.byDay, [
      { day: "TU", offset: 0 },
      { day: "TH", offset: 0 },
    ]);
    assert.deepStrictEqual(r.until, base.main!.rrule!.until);
  });

  it("keeps the HTML description when only its plain text came back unchanged", () => {
    const ics = thunderbirdEdit(seriesToIcs(base), (s) =>
      s.replace(/DESCRIPTION;ALTREP="[^"]*":/, "DESCRIPTION:").replace(/X-ALT-DESC[^\r]*\r\n/, ""),
    );
    assert.equal(icsToSeries(ics, base).main!.description, base.main!.description);
  });

  it("merges Thunderbird's recurring edit: moved exception keeps its BlueMind fields, snooze state lands in properties", () => {
    const back = icsToSeries(icsFixture("tb-recurring.ics"), base);
    const m = back.main!;
    assert.equal(m.summary, base.main!.summary);
    assert.deepEqual(m.exdate, [{ iso8601: "2024-04-02T10:00:00.000+02:00", timezone: "Europe/Paris", precision: "DateTime" }]);
    assert.deepEqual(m.properties, { "bm-origin": "web", "X-MOZ-SNOOZE-TIME-1710838800000000": "20240319T085500Z" });
    assert.deepEqual(m.attachments, base.main!.attachments);
    const o = back.occurrences[0]!;
    assert.deepStrictEqual(o.recurid, base.occurrences[0]!.recurid);
    assert.equal(o.sequence, 4);
    assert.equal(o.conference, base.occurrences[0]!.conference);
    assert.deepEqual(o.conferenceConfiguration, base.occurrences[0]!.conferenceConfiguration);
    assert.deepEqual(back.counters, base.counters);
  });

  it("gives a new exception the BlueMind-only fields of the main event", () => {
    const ics = seriesToIcs({ ...base, occurrences: [] });
    const withNew = ics.replace(
      "END:VCALENDAR",
      [
        "BEGIN:VEVENT",
        "UID:base-1@bm.lan",
        "DTSTAMP:20240318T160000Z",
        "RECURRENCE-ID;TZID=Europe/Paris:20240326T100000",
        "DTSTART;TZID=Europe/Paris:20240326T160000",
        "DTEND;TZID=Europe/Paris:20240326T170000",
        "SUMMARY:Project review",
        "END:VEVENT",
        "END:VCALENDAR",
      ].join("\r\n"),
    );
    const o = icsToSeries(withNew, { ...base, occurrences: [] }).occurrences[0]!;
    assert.equal(o.summary, "Project review");
    assert.equal(o.conference, base.main!.conference);
    assert.deepEqual(o.conferenceConfiguration, base.main!.conferenceConfiguration);
    assert.equal(o.dtstart.iso8601, "2024-03-26T16:00:00.000+01:00");
  });

  it("restores a zone the ICS could only carry as UTC, while the time is unchanged", () => {
    const mars = clone(base);
    mars.main!.dtstart = { iso8601: "2024-03-12T10:00:00.000+01:00", timezone: "Mars/Olympus_Mons", precision: "DateTime" };
    const ics = seriesToIcs(mars, { warn: () => undefined });
    assert.ok(ics.includes("DTSTART:20240312T090000Z"));
    assert.deepStrictEqual(icsToSeries(ics, mars).main!.dtstart, mars.main!.dtstart);
    const moved = icsToSeries(ics.replace("DTSTART:20240312T090000Z", "DTSTART:20240312T100000Z"), mars).main!.dtstart;
    assert.deepStrictEqual(moved, { iso8601: "2024-03-12T10:00:00.000Z", timezone: "UTC", precision: "DateTime" });
  });

  it("keeps BlueMind's own spelling of a zone written under its IANA target (US/Pacific)", () => {
    const legacy = clone(base);
    legacy.main!.dtstart = { iso8601: "2024-03-12T10:00:00.000-07:00", timezone: "US/Pacific", precision: "DateTime" };
    const ics = seriesToIcs(legacy);
    assert.ok(ics.includes("DTSTART;TZID=America/Los_Angeles:20240312T100000"));
    assert.deepStrictEqual(icsToSeries(ics, legacy).main!.dtstart, legacy.main!.dtstart);
  });

  it("refuses a base that belongs to another event", () => {
    assert.throws(() => icsToSeries(seriesToIcs(base), { ...base, icsUid: "other" }), /base is event other/);
  });

  it("ignores a null base", () => {
    assert.deepStrictEqual(icsToSeries(seriesToIcs(base), null), icsToSeries(seriesToIcs(base)));
  });
});
