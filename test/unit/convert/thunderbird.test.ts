/**
 * The reverse direction from hand-written ICS in the shapes Thunderbird (and Outlook) produce:
 * no VTIMEZONE, X-MOZ-* bookkeeping, DTSTAMP/CREATED/LAST-MODIFIED, placeholder alarm texts,
 * HTML in ALTREP, the faked master of a lone exception, DURATION instead of DTEND.
 */
import { strict as assert } from "node:assert";
import { icsToSeries } from "../../../src/convert/index";
import { icsFixture } from "./support/ical";

describe("convert: reading Thunderbird's iCalendar", () => {
  it("reads a new timed event (TZID without VTIMEZONE, HTML in ALTREP, X-MOZ-*)", () => {
    const s = icsToSeries(icsFixture("tb-new-event.ics"));
    const m = s.main!;
    assert.equal(s.icsUid, "4f1c2b8e-8d0a-4b57-9d1e-2f6b3a1c9e77");
    assert.deepEqual(m.dtstart, { iso8601: "2024-07-04T09:30:00.000+02:00", timezone: "Europe/Paris", precision: "DateTime" });
    assert.deepEqual(m.dtend, { iso8601: "2024-07-04T10:30:00.000+02:00", timezone: "Europe/Paris", precision: "DateTime" });
    assert.equal(m.summary, "Dentist, then lunch");
    assert.equal(m.location, "12 rue de la Paix, Paris");
    assert.equal(m.description, "<p>Bring the <b>card</b></p>");
    assert.equal(m.url, "https://dentist.example/booking/77");
    assert.equal(m.classification, "Private");
    assert.equal(m.status, "Confirmed");
    assert.equal(m.transparency, "Opaque");
    assert.equal(m.priority, 9);
    assert.deepEqual(
      m.categories!.map((c) => c.label),
      ["Perso", "Santé"],
    );
    assert.deepEqual(m.organizer, { uri: null, commonName: "Alice Martin", mailto: "alice@bm.lan", dir: null });
    assert.deepEqual(
      m.attendees!.map((a) => [a.mailto, a.role, a.partStatus, a.rsvp]),
      [
        ["bob@bm.lan", "RequiredParticipant", "NeedsAction", true],
        ["alice@bm.lan", "Chair", "Accepted", false],
      ],
    );
    assert.equal(m.sequence, null);
  });

  it("keeps X-MOZ-LASTACK in properties and drops the rest of Thunderbird's bookkeeping", () => {
    const m = icsToSeries(icsFixture("tb-new-event.ics")).main!;
    assert.deepEqual(m.properties, { "X-MOZ-LASTACK": "20240704T072000Z" });
    const json = JSON.stringify(m);
    for (const leak of ["GENERATION", "SEND-INVITATIONS", "LAST-MODIFIED", "CREATED", "DTSTAMP"]) assert.ok(!json.includes(leak), leak);
  });

  it("reads Thunderbird's placeholder alarm description as none", () => {
    const m = icsToSeries(icsFixture("tb-new-event.ics")).main!;
    assert.deepEqual(m.alarm, [
      { action: "Display", trigger: -900, description: null, duration: null, repeat: null, summary: null },
      { action: "Display", trigger: -86400, description: null, duration: null, repeat: null, summary: null },
    ]);
  });

  it("reads a recurring event with an exception, UNTIL in DTSTART's zone and the snooze state", () => {
    const s = icsToSeries(icsFixture("tb-recurring.ics"));
    const m = s.main!;
    assert.deepEqual(m.rrule!.until, { iso8601: "2024-06-25T10:00:00.000+02:00", timezone: "Europe/Paris", precision: "DateTime" });
    assert.deepEqual(m.rrule!.byDay, [{ day: "TU", offset: 0 }]);
    assert.equal(m.rrule!.interval, null);
    assert.deepEqual(m.exdate, [{ iso8601: "2024-04-02T10:00:00.000+02:00", timezone: "Europe/Paris", precision: "DateTime" }]);
    assert.deepEqual(m.properties, { "X-MOZ-SNOOZE-TIME-1710838800000000": "20240319T085500Z" });
    assert.equal(s.occurrences.length, 1);
    const o = s.occurrences[0]!;
    assert.deepEqual(o.recurid, { iso8601: "2024-03-19T10:00:00.000+01:00", timezone: "Europe/Paris", precision: "DateTime" });
    assert.equal(o.dtstart.iso8601, "2024-03-19T14:00:00.000+01:00");
    assert.equal(o.summary, "Project review (moved)");
    assert.equal(o.sequence, 4);
    assert.equal(o.rrule, null);
  });

  it("reads an all-day yearly event with a DATE UNTIL", () => {
    const m = icsToSeries(icsFixture("tb-allday.ics")).main!;
    assert.deepEqual(m.dtstart, { iso8601: "2024-07-14", timezone: null, precision: "Date" });
    assert.deepEqual(m.dtend, { iso8601: "2024-07-15", timezone: null, precision: "Date" });
    assert.deepEqual(m.rrule!.until, { iso8601: "2030-07-14", timezone: null, precision: "Date" });
    assert.equal(m.transparency, "Transparent");
  });

  it("ignores the master Thunderbird invents for a lone exception (main stays null)", () => {
    const s = icsToSeries(icsFixture("tb-faked-master.ics"));
    assert.equal(s.main, null);
    assert.equal(s.occurrences.length, 1);
    assert.equal(s.occurrences[0]!.dtstart.iso8601, "2024-04-02T16:00:00.000+02:00");
    assert.equal(s.occurrences[0]!.organizer!.mailto, "boss@partner.example");
  });

  it("reads other producers: DURATION, Windows zone + VTIMEZONE, absolute/end triggers, X-ALT-DESC, odd keywords", () => {
    const m = icsToSeries(icsFixture("other-producers.ics")).main!;
    assert.deepEqual(m.dtstart, { iso8601: "2024-07-10T14:00:00.000+02:00", timezone: "Europe/Berlin", precision: "DateTime" });
    assert.deepEqual(m.dtend, { iso8601: "2024-07-10T15:30:00.000+02:00", timezone: "Europe/Berlin", precision: "DateTime" });
    assert.equal(m.rrule!.interval, 1);
    assert.equal(m.rrule!.count, 5);
    assert.deepEqual(m.rdate, [{ iso8601: "2024-07-20T12:00:00.000Z", timezone: "UTC", precision: "DateTime" }]);
    assert.deepEqual(m.exdate, [{ iso8601: "2024-07-12T14:00:00.000+02:00", timezone: "Europe/Paris", precision: "DateTime" }]);
    assert.equal(m.description, "<html><body><p>Plain agenda</p><p>second line</p></body></html>");
    assert.equal(m.classification, "Private");
    assert.equal(m.status, "InProcess");
    assert.deepEqual(
      m.categories!.map((c) => c.label),
      ["Blue", "Red"],
    );
    assert.equal(m.organizer!.mailto, "boss@corp.example");
    assert.deepEqual(
      m.alarm!.map((a) => [a.action, a.trigger, a.description]),
      [
        ["Display", -1800, "Absolute"],
        ["Audio", 5100, null],
      ],
    );
  });

  it("takes a producer's X-ALT-DESC even when its DESCRIPTION says it differently, as BlueMind's import", () => {
    const ics = icsFixture("other-producers.ics").replace(
      "DESCRIPTION:Plain agenda\\nsecond line",
      "DESCRIPTION:Plain agenda (text version)",
    );
    assert.equal(icsToSeries(ics).main!.description, "<html><body><p>Plain agenda</p><p>second line</p></body></html>");
  });
});
