/**
 * The storage-row encoder (src/thunderbird/storage-rows.ts) and the adapter's choice of blocks
 * (withStorageRows): which events become rows, and each column as Thunderbird's #prepareItem
 * writes it. Whether Thunderbird reads them back identical is the e2e oracle's job
 * (test/e2e/storage-rows.test.ts); these pin the rules in plain Node.
 */
import { strict as assert } from "node:assert";
import ICAL from "ical.js";
import { ROWS_MIN_EVENTS, withStorageRows } from "../../src/thunderbird/calendars";
import { eventRows, ROW_FLAG, splitForRows, type RowBlock } from "../../src/thunderbird/storage-rows";

const HEAD = "BEGIN:VCALENDAR\r\nPRODID:-//test//EN\r\nVERSION:2.0\r\n";
const PARIS =
  "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n" +
  "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n" +
  "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

function vevent(uid: string, lines: string[]): string {
  return ["BEGIN:VEVENT", `UID:${uid}`, "DTSTAMP:20261201T100000Z", ...lines, "END:VEVENT", ""].join("\r\n");
}

function calendar(...events: string[]): string {
  return HEAD + PARIS + events.join("") + "END:VCALENDAR\r\n";
}

function rowsOf(event: string) {
  const component = new ICAL.Component(ICAL.parse(calendar(event)) as unknown[]);
  return eventRows(component.getFirstSubcomponent("vevent")!);
}

const SIMPLE = vevent("simple", [
  "DTSTART;TZID=Europe/Paris:20261205T080000",
  "DTEND;TZID=Europe/Paris:20261205T090000",
  "SUMMARY:Atelier budget",
  "DESCRIPTION:Ligne 1\\nLigne 2\\, suite",
  "LOCATION:Siège\\, 3e étage",
  "CLASS:PRIVATE",
  "STATUS:CONFIRMED",
  "PRIORITY:5",
  "SEQUENCE:0",
  "X-ALT-DESC;FMTTYPE=text/html:<p>a\\, b</p>",
  "BEGIN:VALARM",
  "ACTION:DISPLAY",
  "TRIGGER:-PT15M",
  "DESCRIPTION:Rappel",
  "END:VALARM",
]);

describe("storage rows of simple events", () => {
  it("writes the columns as Thunderbird does: PRTime, its zone, promoted properties in their columns", () => {
    const rows = rowsOf(SIMPLE)!;
    assert.equal(rows.id, "simple");
    assert.equal(rows.title, "Atelier budget");
    assert.equal(rows.priority, 5);
    assert.equal(rows.privacy, "PRIVATE");
    assert.equal(rows.status, "CONFIRMED");
    // 08:00 in Paris in December is 07:00 UTC.
    assert.deepEqual(rows.start, { native: Date.UTC(2026, 11, 5, 7) * 1000, tz: "Europe/Paris" });
    assert.deepEqual(rows.end, { native: Date.UTC(2026, 11, 5, 8) * 1000, tz: "Europe/Paris" });
    assert.equal(rows.stamp, Date.UTC(2026, 11, 1, 10) * 1000);
    assert.equal(rows.created, null);
    assert.equal(rows.flags, ROW_FLAG.HAS_PROPERTIES | ROW_FLAG.HAS_ALARMS);
  });

  it("keeps unpromoted properties as calIIcalProperty.value gives them, X- ones as written", () => {
    const rows = rowsOf(SIMPLE)!;
    assert.deepEqual(rows.properties, [
      ["DESCRIPTION", "Ligne 1\nLigne 2, suite"],
      ["LOCATION", "Siège, 3e étage"],
      ["CLASS", "PRIVATE"],
      ["SEQUENCE", "0"],
      ["X-ALT-DESC", "<p>a\\, b</p>"],
    ]);
    assert.deepEqual(rows.parameters, [["X-ALT-DESC", "FMTTYPE", "text/html"]]);
    assert.equal(rows.alarms.length, 1);
    assert.match(rows.alarms[0]!, /^BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\n/);
  });

  it("marks all-day events and stores their dates floating, at midnight UTC", () => {
    const rows = rowsOf(vevent("day", ["DTSTART;VALUE=DATE:20250506", "DTEND;VALUE=DATE:20250507", "SUMMARY:Congé"]))!;
    assert.equal(rows.flags & ROW_FLAG.EVENT_ALLDAY, ROW_FLAG.EVENT_ALLDAY);
    assert.deepEqual(rows.start, { native: Date.UTC(2025, 4, 6) * 1000, tz: "floating" });
  });

  it("stores UTC and floating times under Thunderbird's names for them", () => {
    const rows = rowsOf(vevent("utc", ["DTSTART:20250506T100000Z", "DTEND:20250506T110000"]))!;
    assert.equal(rows.start.tz, "UTC");
    assert.equal(rows.end.tz, "floating");
  });

  it("drops an empty property, as CalItemBase.setProperty does, and keeps the last of two", () => {
    const rows = rowsOf(vevent("dup", ["DTSTART:20250506T100000Z", "DTEND:20250506T110000Z", "LOCATION:", "X-A:1", "X-A:2", "SUMMARY:"]))!;
    assert.deepEqual(rows.properties, [["X-A", "2"]]);
    assert.equal(rows.title, null);
  });

  for (const [what, line] of [
    ["a recurrence", "RRULE:FREQ=DAILY;COUNT=2"],
    ["categories", "CATEGORIES:Travail"],
    ["a duration", "DURATION:PT1H"],
    ["an attachment", "ATTACH:https://example.test/a"],
  ] as const) {
    it(`leaves an event with ${what} to the usual way`, () => {
      assert.equal(rowsOf(vevent("x", ["DTSTART:20250506T100000Z", "DTEND:20250506T110000Z", line])), null);
    });
  }

  it("stores a meeting's people as their lines, the organizer last, and says it is a meeting", () => {
    const rows = rowsOf(
      vevent("meeting", [
        "DTSTART:20250506T100000Z",
        "DTEND:20250506T110000Z",
        "ORGANIZER;CN=Emma:mailto:emma@example.test",
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.test",
      ]),
    )!;
    assert.deepEqual(rows.attendees, [
      "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.test\r\n",
      "ORGANIZER;CN=Emma:mailto:emma@example.test\r\n",
    ]);
    assert.equal(rows.people, true);
    assert.equal(rows.flags & ROW_FLAG.HAS_ATTENDEES, ROW_FLAG.HAS_ATTENDEES);
    assert.equal(rowsOf(SIMPLE)!.people, false);
  });

  it("leaves an event without DTEND, or with a TZID the block does not define, to the usual way", () => {
    assert.equal(rowsOf(vevent("x", ["DTSTART:20250506T100000Z"])), null);
    assert.equal(rowsOf(vevent("x", ["DTSTART;TZID=Mars/Olympus:20250506T100000", "DTEND:20250506T110000Z"])), null);
  });
});

describe("a block split into rows and the rest", () => {
  const exception = vevent("series", ["RECURRENCE-ID:20250507T100000Z", "DTSTART:20250507T120000Z", "DTEND:20250507T130000Z"]);
  const master = vevent("series", ["DTSTART:20250506T100000Z", "DTEND:20250506T110000Z", "RRULE:FREQ=DAILY;COUNT=3"]);

  it("keeps the zones and every other event, exceptions with their series, in the rest", () => {
    const { rows, rest } = splitForRows(calendar(SIMPLE, master, exception));
    assert.deepEqual(
      rows!.items.map((r) => r.id),
      ["simple"],
    );
    const left = new ICAL.Component(ICAL.parse(rest!) as unknown[]);
    assert.equal(left.getAllSubcomponents("vevent").length, 2);
    assert.equal(left.getAllSubcomponents("vtimezone").length, 1);
  });

  it("gives each row set its own text, which with the head parses back to the event", () => {
    const { rows } = splitForRows(calendar(SIMPLE));
    const text = rows!.head + rows!.items[0]!.text + "END:VCALENDAR\r\n";
    const back = new ICAL.Component(ICAL.parse(text) as unknown[]);
    assert.equal(back.getFirstSubcomponent("vevent")!.getFirstPropertyValue("summary"), "Atelier budget");
    assert.equal(back.getFirstSubcomponent("vtimezone")!.getFirstPropertyValue("tzid"), "Europe/Paris");
  });

  it("times events with the zones of earlier blocks of the same VTIMEZONE text, as a fresh parse would", () => {
    const times = [
      ["20260329T013000", Date.UTC(2026, 2, 29, 0, 30)], // before the spring change: +01:00
      ["20260329T030000", Date.UTC(2026, 2, 29, 1, 0)], // after it: +02:00
      ["20261025T023000", Date.UTC(2026, 9, 25, 1, 30)], // the repeated hour: ical.js takes its second, winter, instance
      ["20261025T040000", Date.UTC(2026, 9, 25, 3, 0)],
      ["19991231T235900", Date.UTC(1999, 11, 31, 22, 59)],
      ["20450701T120000", Date.UTC(2045, 6, 1, 10, 0)],
    ] as const;
    const events = times.map(([wall], i) =>
      vevent(`t${i}`, [`DTSTART;TZID=Europe/Paris:${wall}`, `DTEND;TZID=Europe/Paris:${wall}`, "SUMMARY:x"]),
    );
    const fresh = events.map((event) => rowsOf(event)!.start.native); // toUnixTime on the block's own zone
    const first = splitForRows(calendar(...events)).rows!.items.map((rows) => rows.start.native);
    const again = splitForRows(calendar(...events.slice().reverse()))
      .rows!.items.map((rows) => rows.start.native)
      .reverse();
    assert.deepEqual(first, fresh);
    assert.deepEqual(again, fresh);
    assert.deepEqual(
      fresh,
      times.map(([, utc]) => utc * 1000),
    );
  });

  it("leaves text that does not parse whole", () => {
    assert.deepEqual(splitForRows("BEGIN:VCALENDAR\r\nnonsense"), { rows: null, rest: "BEGIN:VCALENDAR\r\nnonsense" });
  });

  it("is used only for blocks of at least ROWS_MIN_EVENTS events", () => {
    const few = calendar(...Array.from({ length: ROWS_MIN_EVENTS - 1 }, (_, i) => SIMPLE.replace("UID:simple", `UID:s${i}`)));
    assert.equal(withStorageRows({ ics: few }).rows, undefined);
    const many = calendar(...Array.from({ length: ROWS_MIN_EVENTS }, (_, i) => SIMPLE.replace("UID:simple", `UID:s${i}`)));
    const block = withStorageRows({ ics: many, version: 3 });
    assert.equal((JSON.parse(block.rows!) as RowBlock).items.length, ROWS_MIN_EVENTS);
    assert.equal(block.ics, null);
    assert.equal(block.version, 3);
  });
});
