/**
 * The free/busy lookup behind Thunderbird's attendee dialog, against the reference server:
 * directory then IVFreebusy (or sfreebusy), the slot mapping (FREE dropped), "no information"
 * for what BlueMind will not or cannot tell, and the request budget: ten attendees cost at
 * most two requests each, a dialog redrawing its rows or widening its range costs none.
 */

import { strict as assert } from "node:assert";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { Directory } from "../../src/bluemind/directory";
import { FreeBusyLookup, icalTime } from "../../src/bluemind/freebusy";
import type { BmDateTime } from "../../src/bluemind/types";
import { webSession } from "./support/servers";

const { alice, bob, carol } = DEMO.users;
const C = DEMO.calendars;

const paris = (day: string, hour: number): BmDateTime => ({
  iso8601: `2025-04-${day}T${String(hour).padStart(2, "0")}:00:00.000+02:00`,
  timezone: "Europe/Paris",
  precision: "DateTime",
});

describe("free/busy lookup for Thunderbird's attendee dialog", () => {
  let server: RunningServer;
  let lookup: FreeBusyLookup;
  let online: boolean;
  let clock: number;
  const requests = (path: string) => server.requests.filter((r) => r.path.includes(path)).length;
  const ask = (address: string, start = "2025-04-14T00:00:00Z", end = "2025-04-19T00:00:00Z") => lookup.lookup({ address, start, end });

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    const http = await webSession(server.url, alice.login, alice.password);
    online = true;
    clock = 0;
    lookup = new FreeBusyLookup({
      directory: async () => new Directory(http, DEMO.domainUid, alice.uid),
      now: () => clock,
      online: () => online,
    });
    const add = (uid: string, start: BmDateTime, end: BmDateTime, extra = {}) =>
      server.state
        .calendar(C.bob.uid)!
        .create(uid, { icsUid: uid, main: { dtstart: start, dtend: end, summary: uid, ...extra }, occurrences: [] }, uid, bob.uid, 0);
    add("fb-1", paris("15", 10), paris("15", 11));
    add("fb-2", paris("15", 14), paris("15", 15), {
      attendees: [{ mailto: bob.email, dir: `bm://${DEMO.domainUid}/users/${bob.uid}`, partStatus: "Tentative" }],
    });
    add("fb-3", paris("16", 9), paris("16", 10), { transparency: "Transparent" });
  });
  afterEach(() => server.close());

  it("maps BlueMind's slots: BUSY → busy, BUSYTENTATIVE → tentative, BUSYUNAVAILABLE → unavailable, FREE dropped", async () => {
    const answer = await ask(`mailto:${bob.email}`);
    assert.ok(answer.known);
    const day15 = answer.intervals.filter((i) => i.start.startsWith("20250415T") && i.kind !== "unavailable");
    assert.deepEqual(day15, [
      { start: "20250415T080000Z", end: "20250415T090000Z", kind: "busy" },
      { start: "20250415T120000Z", end: "20250415T130000Z", kind: "tentative" },
    ]);
    assert.ok(!answer.intervals.some((i) => i.start === "20250416T070000Z"), "the transparent (FREE) slot is dropped");
    assert.ok(
      answer.intervals.some((i) => i.kind === "unavailable" && i.start === "20250415T160000Z"),
      "after working hours",
    );
    assert.equal(icalTime({ iso8601: "2025-04-12", timezone: null, precision: "Date" }), "20250412");
  });

  it("no information, not an error: not shared (403), unknown address, offline", async () => {
    assert.deepEqual(await ask(carol.email), { known: false, why: "notShared" });
    assert.deepEqual(await ask("mary.smith@acme.example"), { known: false, why: "unknownAddress" });
    assert.deepEqual(await ask("not-an-address"), { known: false, why: "unknownAddress" });
    online = false;
    const before = server.requests.length;
    assert.deepEqual(await ask(bob.email), { known: false, why: "offline" });
    assert.equal(server.requests.length, before, "offline: not a single request");
  });

  it("ten attendees cost at most two requests each; the same rows drawn again, or a narrower range, cost none", async () => {
    const addresses = [
      bob.email,
      carol.email,
      DEMO.resources.jupiter.email,
      ...Array.from({ length: 7 }, (_, i) => `guest${i}@elsewhere.example`),
    ];
    await Promise.all(addresses.map((a) => ask(a)));
    const first = requests("_byEmail") + requests("vfreebusy") + requests("sfreebusy");
    assert.ok(first <= 2 * addresses.length, `${first} requests`);
    assert.equal(requests("_byEmail"), addresses.length, "one directory look-up each");
    await Promise.all(addresses.map((a) => ask(a)));
    await Promise.all(addresses.map((a) => ask(a, "2025-04-16T00:00:00Z", "2025-04-18T00:00:00Z")));
    assert.equal(requests("_byEmail") + requests("vfreebusy") + requests("sfreebusy"), first, "kept for the dialog's life");
    const room = await ask(DEMO.resources.jupiter.email);
    assert.equal(room.known, true, "the room's free/busy is the domain's to see");
  });

  it("a failing server is asked again only after a pause (no retry storm)", async () => {
    server.faults.arm({ kind: "http503", pathContains: "vfreebusy", retryAfter: "0" });
    assert.deepEqual(await ask(bob.email), { known: false, why: "failed" });
    const after = requests("vfreebusy");
    assert.deepEqual(await ask(bob.email), { known: false, why: "failed" });
    assert.equal(requests("vfreebusy"), after, "kept for a minute");
    server.faults.clear();
    clock += 61_000;
    assert.equal((await ask(bob.email)).known, true);
  });
});
