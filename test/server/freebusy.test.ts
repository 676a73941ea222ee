/**
 * Conformance of free/busy and the directory look-ups behind it (docs/bluemind-rules.md,
 * "Free/busy"): `_byEmail`, `entry-uid`, IVFreebusy's ACL (Read on the default calendar or the mirrored
 * freebusy container; the domain's Invitation grant is not enough), slot types from the
 * owner's answer, masked summaries, out-of-office slots, and IPublicFreebusy (sfreebusy).
 */
import { strict as assert } from "node:assert";
import { DEMO } from "../../server/demo-data";
import type { BmDateTime, VEventSeries } from "../../src/bluemind/types";
import { enc, shape, useServer } from "./helpers";

const { alice, bob, carol, carolSso } = DEMO.users;
const C = DEMO.calendars;
const ROOM = DEMO.resources.jupiter;

const day = (d: string, hour = 0): BmDateTime => ({
  iso8601: `2025-04-${d}T${String(hour).padStart(2, "0")}:00:00.000+02:00`,
  timezone: "Europe/Paris",
  precision: "DateTime",
});
const query = (from: string, to: string, withOOFSlots = false) => ({
  dtstart: day(from),
  dtend: day(to),
  excludedEvents: [],
  withOOFSlots,
});
const fb = (uid: string) => `/api/calendars/vfreebusy/${enc(`freebusy:${uid}`)}`;

describe("reference server: free/busy and the directory", () => {
  const bm = useServer({ login: ["alice"] });
  const { api, keys } = bm;

  function put(calendarUid: string, uid: string, main: Partial<NonNullable<VEventSeries["main"]>> & { dtstart: BmDateTime }): void {
    bm.server.state
      .calendar(calendarUid)!
      .create(uid, { icsUid: uid, main: { summary: uid, dtend: null, ...main }, occurrences: [] }, uid, bob.uid, Date.now());
  }

  it("directory: _byEmail finds users and resources (any case), answers null for an unknown address; entry-uid too", async () => {
    const r = await api.call("GET", `/api/directory/${DEMO.domainUid}/_byEmail/${enc("BOB@bluemind.test")}`, undefined, keys.alice);
    assert.equal(r.status, 200);
    assert.deepEqual(
      shape(r.body, {
        entryUid: "string",
        displayName: "string",
        kind: "string",
        email: "string",
        path: "string",
        hidden: "boolean",
        archived: "boolean",
        system: "boolean",
      }),
      [],
    );
    assert.deepEqual(
      [r.body.entryUid, r.body.kind, r.body.email, r.body.path],
      [bob.uid, "USER", bob.email, `${DEMO.domainUid}/users/${bob.uid}`],
    );
    const room = await api.call("GET", `/api/directory/${DEMO.domainUid}/_byEmail/${enc(ROOM.email)}`, undefined, keys.alice);
    assert.deepEqual([room.body.entryUid, room.body.kind, room.body.displayName], [ROOM.uid, "RESOURCE", "Salle Jupiter"]);
    const unknown = await api.call("GET", `/api/directory/${DEMO.domainUid}/_byEmail/${enc("nobody@example.com")}`, undefined, keys.alice);
    assert.deepEqual([unknown.status, unknown.text], [204, ""]);
    const byUid = await api.call("GET", `/api/directory/${DEMO.domainUid}/entry-uid/${bob.uid}`, undefined, keys.alice);
    assert.equal(byUid.body.email, bob.email);
    assert.equal((await api.call("GET", `/api/directory/${DEMO.domainUid}/_byEmail/${enc(bob.email)}`)).status, 403, "not anonymously");
  });

  it("IVFreebusy: alice reads bob's (his calendar's Read entry); the slots follow his answers", async () => {
    put(C.bob.uid, "fb-busy", { dtstart: day("14", 9), dtend: day("14", 10), classification: "Public" });
    const mine = { mailto: bob.email, dir: `bm://${DEMO.domainUid}/users/${bob.uid}` };
    put(C.bob.uid, "fb-tentative", { dtstart: day("14", 11), dtend: day("14", 12), attendees: [{ ...mine, partStatus: "NeedsAction" }] });
    put(C.bob.uid, "fb-declined", { dtstart: day("14", 13), dtend: day("14", 14), attendees: [{ ...mine, partStatus: "Declined" }] });
    put(C.bob.uid, "fb-transparent", { dtstart: day("14", 15), dtend: day("14", 16), transparency: "Transparent" });
    put(C.bob.uid, "fb-cancelled", { dtstart: day("14", 16), dtend: day("14", 17), status: "Cancelled" });
    const r = await api.call("POST", fb(bob.uid), query("14", "15"), keys.alice);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(shape(r.body, { dtstart: "object", dtend: "object", slots: "array" }), []);
    const types = Object.fromEntries(r.body.slots.map((s: { summary: string; type: string }) => [s.summary, s.type]));
    assert.deepEqual(types, {
      "fb-busy": "BUSY",
      "fb-tentative": "BUSYTENTATIVE",
      "fb-declined": "FREE",
      "fb-transparent": "FREE",
      "fb-cancelled": "FREE",
    });
    assert.equal(r.body.slots[0].dtstart.iso8601, day("14", 9).iso8601);
  });

  it("403 for a user who did not share (the domain only holds Invitation), 404 for an unknown container", async () => {
    const r = await api.call("POST", fb(carol.uid), query("14", "15"), keys.alice);
    assert.equal(r.status, 403);
    assert.equal(r.body.errorCode, "PERMISSION_DENIED");
    assert.equal((await api.call("POST", fb("nobody"), query("14", "15"), keys.alice)).status, 404);
    // Carol shares her availability: the mirrored entry is enough.
    bm.server.state.containers.get(C.carol.uid)!.acl.push({ subject: alice.uid, verb: "Freebusy" });
    assert.equal((await api.call("POST", fb(carol.uid), query("14", "15"), keys.alice)).status, 200);
  });

  it("a resource's free/busy is the domain's to see; summaries are empty without Read on its calendar", async () => {
    put(DEMO.resourceCalendars.jupiter.uid, "room-booked", { dtstart: day("15", 14), dtend: day("15", 16) });
    const r = await api.call("POST", fb(ROOM.uid), query("15", "16"), keys.alice);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.slots.map((s: { type: string; summary: string }) => [s.type, s.summary]),
      [["BUSY", ""]],
    );
  });

  it("recurring events are expanded over the range; private ones come back as 'Private'", async () => {
    put(C.bob.uid, "fb-weekly", { dtstart: day("01", 8), dtend: day("01", 9), rrule: { frequency: "DAILY", interval: 1, count: 30 } });
    put(C.bob.uid, "fb-private", { dtstart: day("14", 18), dtend: day("14", 19), classification: "Private" });
    const r = await api.call("POST", fb(bob.uid), query("14", "16"), keys.alice);
    const weekly = r.body.slots.filter((s: { summary: string }) => s.summary === "fb-weekly");
    assert.deepEqual(
      weekly.map((s: { dtstart: BmDateTime }) => s.dtstart.iso8601),
      [day("14", 8).iso8601, day("15", 8).iso8601],
    );
    assert.ok(r.body.slots.some((s: { summary: string }) => s.summary === "Private"));
  });

  it("withOOFSlots adds the hours outside the working day as BUSYUNAVAILABLE; weekends whole", async () => {
    const r = await api.call("POST", fb(bob.uid), query("12", "14", true), keys.alice); // Saturday, Sunday
    const oof = r.body.slots.filter((s: { type: string }) => s.type === "BUSYUNAVAILABLE");
    assert.deepEqual(
      oof.map((s: { dtstart: BmDateTime }) => s.dtstart),
      [
        { iso8601: "2025-04-12", timezone: null, precision: "Date" },
        { iso8601: "2025-04-13", timezone: null, precision: "Date" },
      ],
    );
    const weekday = await api.call("POST", fb(bob.uid), query("14", "15", true), keys.alice);
    const hours = weekday.body.slots
      .filter((s: { type: string }) => s.type === "BUSYUNAVAILABLE")
      .map((s: { dtstart: BmDateTime; dtend: BmDateTime }) => [s.dtstart.iso8601, s.dtend.iso8601]);
    assert.deepEqual(hours, [
      ["2025-04-14T00:00:00.000+02:00", "2025-04-14T08:00:00.000+02:00"],
      ["2025-04-14T18:00:00.000+02:00", "2025-04-15T00:00:00.000+02:00"],
    ]);
  });

  it("fails like BlueMind when excludedEvents is missing; _ics answers VFREEBUSY", async () => {
    const partial: Partial<ReturnType<typeof query>> = query("14", "15");
    delete partial.excludedEvents;
    assert.equal((await api.call("POST", fb(bob.uid), partial, keys.alice)).status, 500);
    put(C.bob.uid, "fb-ics", { dtstart: day("14", 9), dtend: day("14", 10) });
    const ics = await api.call("POST", `${fb(bob.uid)}/_ics`, query("14", "15"), keys.alice);
    assert.match(ics.body, /FREEBUSY;FBTYPE=BUSY:20250414T070000Z\/20250414T080000Z/);
  });

  it("sfreebusy: another BlueMind domain's user is looked up there (and refused across domains); an external address answers null", async () => {
    const sfb = (email: string) => `/api/calendars/sfreebusy/${enc(email)}?callerUserUid=${alice.uid}&callerDomain=${DEMO.domainUid}`;
    assert.equal((await api.call("POST", sfb(bob.email), query("14", "15"), keys.alice)).status, 200);
    assert.equal((await api.call("POST", sfb(carolSso.email), query("14", "15"), keys.alice)).status, 403);
    const external = await api.call("POST", sfb("mary.smith@acme.example"), query("14", "15"), keys.alice);
    assert.deepEqual([external.status, external.text], [204, ""]);
  });
});
