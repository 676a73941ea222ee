/**
 * IVEvent export: the whole calendar as a text/calendar stream that ical.js can parse back,
 * with each series' main VEVENT, its RECURRENCE-ID overrides, VTIMEZONEs, and private
 * events filtered for a caller without ReadExtended.
 */
import { strict as assert } from "node:assert";
import ICAL from "ical.js";
import { DEMO } from "../../server/demo-data";
import { enc, useServer } from "./helpers";

describe("reference server: ICS export", () => {
  const { api, keys } = useServer({ lifetime: "suite", login: ["alice"] });

  it("streams the calendar as parseable iCalendar with overrides and time zones", async () => {
    const r = await api.call("GET", `/api/calendars/vevent/${enc(DEMO.calendars.alice.uid)}`, undefined, keys.alice);
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(r.text));
    const events = cal.getAllSubcomponents("vevent");
    const standup = events.filter((e) => e.getFirstPropertyValue("uid") === DEMO.events.weeklyStandup.uid);
    assert.equal(standup.length, 2, "main + one RECURRENCE-ID override");
    const override = standup.find((e) => e.hasProperty("recurrence-id"))!;
    assert.equal(override.getFirstProperty("dtstart")!.getParameter("tzid"), "Europe/Paris");
    const tz = cal.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid"));
    assert.ok(tz.includes("Europe/Paris"));
    // The moved occurrence resolves to 10:00 CEST (08:00Z) through the generated VTIMEZONE.
    const zone = new ICAL.Timezone(cal.getAllSubcomponents("vtimezone").find((z) => z.getFirstPropertyValue("tzid") === "Europe/Paris")!);
    const start = override.getFirstPropertyValue("dtstart") as ICAL.Time;
    start.zone = zone;
    assert.equal(start.toUnixTime(), Date.UTC(2025, 3, 1, 8, 0) / 1000);
    const allDay = events.find((e) => e.getFirstPropertyValue("uid") === DEMO.events.allDayLeave.uid)!;
    assert.equal((allDay.getFirstPropertyValue("dtstart") as ICAL.Time).isDate, true);
  });

  it("filters private events in the export of a shared calendar", async () => {
    const r = await api.call("GET", `/api/calendars/vevent/${enc(DEMO.calendars.bob.uid)}`, undefined, keys.alice);
    assert.ok(!r.text.includes("Entretien annuel"));
    assert.ok(r.text.includes("SUMMARY:Private"));
    const denied = await api.call("GET", `/api/calendars/vevent/${enc(DEMO.calendars.carol.uid)}`, undefined, keys.alice);
    assert.equal(denied.status, 403);
  });
});
