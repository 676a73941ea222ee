/**
 * Conformance of `_search` (one calendar) and ICalendars `_search` (several): the date window
 * is decided per expanded occurrence (DST-correct weekly/monthly rules, EXDATE, moved
 * overrides, all-day floating dates), plus text query, paging and the multi-calendar shape.
 */
import { strict as assert } from "node:assert";
import { bmDateTime } from "../../server/bmdate";
import { DEMO } from "../../server/demo-data";
import { enc, useServer } from "./helpers";

const C = DEMO.calendars;
const E = DEMO.events;
const PARIS = "Europe/Paris";

/** Window on a Paris wall-clock day, e.g. win(2025, 4, 14, "09:00", "10:00"). */
function win(y: number, m: number, d: number, from: string, to: string) {
  const [fh, fm] = from.split(":").map(Number) as [number, number];
  const [th, tm] = to.split(":").map(Number) as [number, number];
  return {
    dateMin: bmDateTime(PARIS, { year: y, month: m, day: d, hour: fh, minute: fm, second: 0 }),
    dateMax: bmDateTime(PARIS, { year: y, month: m, day: d, hour: th, minute: tm, second: 0 }),
  };
}

describe("reference server: search", () => {
  const { api, keys } = useServer({ lifetime: "suite", login: ["alice"] });

  async function found(calendarUid: string, query: object): Promise<string[]> {
    const r = await api.call("POST", `/api/calendars/${enc(calendarUid)}/_search`, query, keys.alice);
    assert.equal(r.status, 200, r.text);
    return r.body.values.map((v: { uid: string }) => v.uid);
  }

  it("matches a weekly Paris rule after the DST switch at the local time, not the old offset", async () => {
    assert.ok((await found(C.alice.uid, win(2025, 4, 14, "09:00", "10:00"))).includes(E.weeklyStandup.uid));
    assert.ok(!(await found(C.alice.uid, win(2025, 4, 14, "10:20", "11:00"))).includes(E.weeklyStandup.uid));
    assert.ok((await found(C.alice.uid, win(2025, 3, 17, "09:00", "10:00"))).includes(E.weeklyStandup.uid), "before DST");
  });

  it("honours EXDATE and moved overrides", async () => {
    assert.ok(!(await found(C.alice.uid, win(2025, 4, 7, "09:00", "10:00"))).includes(E.weeklyStandup.uid), "cancelled by exdate");
    assert.ok(!(await found(C.alice.uid, win(2025, 3, 31, "09:00", "10:00"))).includes(E.weeklyStandup.uid), "moved away");
    assert.ok((await found(C.alice.uid, win(2025, 4, 1, "09:50", "10:30"))).includes(E.weeklyStandup.uid), "moved here");
  });

  it("expands a monthly 2nd-Tuesday rule with COUNT and an exception", async () => {
    const uid = E.monthlyReview.uid;
    assert.ok((await found(C.projets.uid, win(2025, 5, 13, "13:30", "14:30"))).includes(uid), "2nd Tuesday of May");
    assert.ok(!(await found(C.projets.uid, win(2025, 5, 6, "13:30", "14:30"))).includes(uid), "1st Tuesday");
    assert.ok(!(await found(C.projets.uid, win(2025, 4, 8, "13:30", "14:30"))).includes(uid), "April moved to 16:00");
    assert.ok((await found(C.projets.uid, win(2025, 4, 8, "15:30", "16:30"))).includes(uid));
    assert.ok((await found(C.projets.uid, win(2026, 1, 13, "13:30", "14:30"))).includes(uid), "12th and last occurrence");
    assert.ok(!(await found(C.projets.uid, win(2026, 2, 10, "13:30", "14:30"))).includes(uid), "after COUNT");
  });

  it("reads all-day dates as floating days in the window's zone, with BlueMind's inclusive dateMin", async () => {
    const uid = E.allDayLeave.uid; // Friday 28 March 2025
    assert.ok((await found(C.alice.uid, win(2025, 3, 28, "12:00", "13:00"))).includes(uid));
    assert.ok(!(await found(C.alice.uid, win(2025, 3, 29, "10:00", "11:00"))).includes(uid));
    assert.ok((await found(C.alice.uid, win(2025, 3, 29, "00:00", "01:00"))).includes(uid), "dtend >= dateMin");
    assert.ok(!(await found(C.alice.uid, win(2025, 3, 27, "22:00", "23:59"))).includes(uid), "dtstart < dateMax");
  });

  it("finds single events in other zones by instant", async () => {
    // New York 10:00 EDT on Thu 27 March = 15:00 Paris.
    assert.ok((await found(C.projets.uid, win(2025, 3, 27, "14:30", "15:30"))).includes(E.newYorkCall.uid));
    assert.ok(!(await found(C.projets.uid, win(2025, 3, 27, "09:30", "10:30"))).includes(E.newYorkCall.uid));
    // 21:00 UTC on Wed 26 March = 22:00 Paris.
    assert.ok((await found(C.alice.uid, win(2025, 3, 26, "21:30", "22:30"))).includes(E.utcDeploy.uid));
  });

  it("pages with from/size and filters with a text query", async () => {
    const year = {
      dateMin: bmDateTime(PARIS, { year: 2020, month: 1, day: 1, hour: 0, minute: 0, second: 0 }),
      dateMax: bmDateTime(PARIS, { year: 2021, month: 1, day: 1, hour: 0, minute: 0, second: 0 }),
    };
    const all = await api.call("POST", `/api/calendars/${C.archives.uid}/_search`, year, keys.alice);
    const n = all.body.values.length;
    assert.ok(n > 1000 && n < 3000, `about a fifth of 9,500 archived events, got ${n}`);
    assert.equal(all.body.total, n);
    const page = await api.call("POST", `/api/calendars/${C.archives.uid}/_search`, { ...year, from: 10, size: 5 }, keys.alice);
    assert.deepEqual(
      page.body.values.map((v: { uid: string }) => v.uid),
      all.body.values.slice(10, 15).map((v: { uid: string }) => v.uid),
    );
    assert.deepEqual(await found(C.alice.uid, { query: "Dupont" }), [E.clientWorkshop.uid]);
  });

  it("searches several calendars, skipping unreadable ones, returning ItemContainerValues", async () => {
    const r = await api.call(
      "POST",
      "/api/calendars/_search",
      { containers: [C.alice.uid, C.bob.uid, C.carol.uid], eventQuery: win(2025, 3, 25, "00:00", "23:59") },
      keys.alice,
    );
    assert.equal(r.status, 200);
    const private1 = r.body.find((v: { uid: string }) => v.uid === E.bobPrivate.uid);
    assert.equal(private1.containerUid, C.bob.uid);
    assert.equal(private1.value.main.summary, "Private");
    assert.equal("internalId" in private1, false);
    assert.equal("flags" in private1, false);
    assert.ok(!r.body.some((v: { containerUid: string }) => v.containerUid === C.carol.uid));
  });
});
