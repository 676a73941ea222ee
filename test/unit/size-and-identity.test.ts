import { strict as assert } from "node:assert";
import { calendarName, calendarUri, containerUidFromUri, displayColor, MAX_CALENDAR_NAME_LENGTH } from "../../src/sync/calendar-identity";
import { CALENDAR_SIZE_WARNING_THRESHOLD, needsSizeWarning } from "../../src/sync/size-warning";

describe("the 9000-entry warning", () => {
  it("uses BlueMind's threshold", () => assert.equal(CALENDAR_SIZE_WARNING_THRESHOLD, 9000));
  it("does not warn at 9000", () => assert.equal(needsSizeWarning(true, 9000), false));
  it("warns at 9001", () => assert.equal(needsSizeWarning(true, 9001), true));
  it("does not warn when Synchronisation is off", () => assert.equal(needsSizeWarning(false, 50_000), false));
  it("does not warn when the count is unknown", () => assert.equal(needsSizeWarning(true, null), false));
});

describe("calendar identity", () => {
  const origin = "https://bm.example.com";
  it("derives a stable URI from the server and the container uid, and back", () => {
    const uid = "calendar:Default:6D5F7A1C+x y";
    const uri = calendarUri(origin, uid);
    assert.equal(uri, "https://bm.example.com/api/calendars/calendar%3ADefault%3A6D5F7A1C%2Bx%20y");
    assert.equal(containerUidFromUri(origin, uri), uid);
    assert.equal(containerUidFromUri("https://other.example.com", uri), null);
  });

  it("keeps BlueMind's colour and picks a stable one when there is none", () => {
    assert.equal(displayColor("x", "#3d99ff"), "#3D99FF");
    assert.equal(displayColor("x", "#3d99ffcc"), "#3D99FF");
    assert.match(displayColor("uid-1", null), /^#[0-9A-F]{6}$/);
    assert.equal(displayColor("uid-1", null), displayColor("uid-1", "not a colour"));
  });
});

describe("calendar names given to Thunderbird", () => {
  it("drops control characters, collapses whitespace and shortens very long names", () => {
    assert.equal(calendarName("  Bob\u0000 <b>Durand</b>\u0007\n "), "Bob <b>Durand</b>");
    const long = calendarName("A".repeat(10_000));
    assert.equal([...long].length, MAX_CALENDAR_NAME_LENGTH);
    assert.ok(long.endsWith("…"));
    assert.equal(calendarName("\u202Eمشاريع"), "\u202Eمشاريع");
  });
});
