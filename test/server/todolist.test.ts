/**
 * Conformance of ITodoList (/api/todolist/{containerUid}) and of the demo todo lists: BlueMind's
 * default list per user (`todolist:default_<uid>`, `$$mytasks$$`, subscribed with offlineSync), the
 * containers and subscription calls with type=todolist, ItemValue<VTodo> shapes, the changelog,
 * VTodoSanitizer's rules on create and update, the create of an existing VTodo uid answering
 * silently, NOT_FOUND on an update of nothing, Read-only sharing, `_search` with dates (due date,
 * occurrences of a recurring task) and `_mupdates`.
 */
import { strict as assert } from "node:assert";
import { DEMO } from "../../server/demo-data";
import type { VTodo } from "../../src/bluemind/todo-types";
import { enc, shape, useServer } from "./helpers";

const L = DEMO.todoLists;
const T = DEMO.tasks;
const { alice: A, bob: B } = DEMO.users;
const path = (uid: string): string => `/api/todolist/${enc(uid)}`;

describe("reference server: todo lists", () => {
  const bm = useServer({ login: ["alice", "bob"] });
  const { api, keys } = bm;
  const mine = path(L.alice.uid);

  it("every user has a default list `todolist:default_<uid>` named $$mytasks$$, subscribed with Synchronisation on", async () => {
    for (const u of Object.values(DEMO.users)) {
      const c = bm.server.state.containers.get(`todolist:default_${u.uid}`);
      assert.ok(c, u.login);
      assert.deepEqual([c.name, c.type, c.owner, c.defaultContainer], ["$$mytasks$$", "todolist", u.uid, true]);
      assert.equal(bm.server.state.subscription(u.uid, c.uid)?.offlineSync, true);
    }
    const d = await api.call("GET", `/api/containers/_manage/${enc(L.alice.uid)}`, undefined, keys.alice);
    assert.deepEqual(
      shape(d.body, { uid: "string", name: "string", type: "string", verbs: "array", writable: "boolean", offlineSync: "boolean" }),
      [],
    );
    assert.equal(d.body.writable, true);
  });

  it("containers and subscriptions with type=todolist: mine by owner, bob's list shared Read only, alice's subscriptions", async () => {
    const owned = await api.call("POST", "/api/containers/_manage/_list", { type: "todolist", owner: A.uid }, keys.alice);
    assert.deepEqual(owned.body.map((c: { uid: string }) => c.uid).sort(), [L.alice.uid, L.courses.uid].sort());
    const readable = await api.call(
      "POST",
      "/api/containers/_manage/_list",
      { type: "todolist", verb: ["Read", "Write", "Manage", "All"] },
      keys.alice,
    );
    const team = readable.body.find((c: { uid: string }) => c.uid === L.equipeBob.uid);
    assert.deepEqual([team.verbs, team.writable, team.ownerDisplayname], [["Read"], false, B.displayName]);
    const subs = await api.call("GET", `/api/users/bluemind.test/subscriptions/${A.uid}?type=todolist`, undefined, keys.alice);
    assert.deepEqual(
      subs.body.map((s: { containerUid: string; offlineSync: boolean }) => [s.containerUid, s.offlineSync]).sort(),
      [
        [L.alice.uid, true],
        [L.courses.uid, false],
        [L.equipeBob.uid, true],
      ].sort(),
    );
    const calendars = await api.call("GET", `/api/users/bluemind.test/subscriptions/${A.uid}?type=calendar`, undefined, keys.alice);
    assert.ok(calendars.body.every((s: { containerType: string }) => s.containerType === "calendar"));
    const count = await api.call("GET", `/api/containers/_manage/${enc(L.alice.uid)}/_itemCount`, undefined, keys.alice);
    assert.deepEqual(count.body, { total: 3 });
  });

  it("alice's demo tasks: a recurring one, a completed one, one due with a reminder; ItemValue<VTodo> shapes", async () => {
    const all = await api.call("GET", mine, undefined, keys.alice);
    assert.equal(all.status, 200);
    const byUid = new Map<string, { value: VTodo }>(all.body.map((iv: { uid: string; value: VTodo }) => [iv.uid, iv]));
    assert.deepEqual(
      shape(all.body[0], {
        uid: "string",
        internalId: "number",
        version: "number",
        displayName: "string",
        value: "object",
        flags: "array",
        created: "number",
      }),
      [],
    );
    const weekly = byUid.get(T.weeklyReport.uid)!.value;
    assert.deepEqual([weekly.rrule?.frequency, weekly.exdate?.length, weekly.dtstart?.timezone], ["WEEKLY", 1, "Europe/Paris"]);
    const passport = byUid.get(T.passport.uid)!.value;
    assert.deepEqual([passport.status, passport.percent, !!passport.completed], ["Completed", 100, true]);
    const invoice = byUid.get(T.invoice.uid)!.value;
    assert.ok(invoice.due && !invoice.dtstart);
    assert.deepEqual(
      invoice.alarm?.map((a) => a.trigger),
      [-86400],
    );
  });

  it("create, complete, update, delete with BlueMind's statuses and the sanitizer's rules", async () => {
    const put = await api.call(
      "PUT",
      `${mine}/t1`,
      { uid: "ics-t1", summary: "", status: "Completed", percent: 250, priority: 42 },
      keys.alice,
    );
    assert.equal(put.status, 200);
    assert.equal(put.text, "", "void answers an empty 200");
    const got = await api.call("GET", `${mine}/t1/complete`, undefined, keys.alice);
    assert.equal(got.body.value.summary, "(New Todo)");
    assert.equal(got.body.displayName, "(New Todo)");
    assert.deepEqual([got.body.value.percent, got.body.value.priority], [100, 9]);
    assert.equal(got.body.value.completed.timezone, "UTC", "Completed without a date gets now");
    const reopened = await api.call("POST", `${mine}/t1`, { ...got.body.value, status: "NeedsAction", percent: -3 }, keys.alice);
    assert.equal(reopened.status, 200);
    const after = (await api.call("GET", `${mine}/t1/complete`, undefined, keys.alice)).body;
    assert.deepEqual([after.value.completed, after.value.percent, after.version > got.body.version], [null, 0, true]);
    // The same VTodo uid under another item uid: BlueMind answers silently and stores nothing.
    assert.equal((await api.call("PUT", `${mine}/t2`, { uid: "ics-t1", summary: "again" }, keys.alice)).status, 200);
    assert.equal((await api.call("GET", `${mine}/t2/complete`, undefined, keys.alice)).status, 204);
    const missing = await api.call("POST", `${mine}/nope`, { uid: "x", summary: "x" }, keys.alice);
    assert.deepEqual([missing.status, missing.body.errorCode], [404, "NOT_FOUND"]);
    assert.equal((await api.call("DELETE", `${mine}/t1`, undefined, keys.alice)).status, 200);
    assert.equal((await api.call("DELETE", `${mine}/t1`, undefined, keys.alice)).status, 200, "deleting nothing is a no-op");
    const bad = await api.call(
      "PUT",
      `${mine}/t3`,
      {
        uid: "t3",
        summary: "x",
        due: { iso8601: "2025-05-01", timezone: null, precision: "Date" },
        rrule: { frequency: "DAILY", until: { iso8601: "2025-04-01", timezone: null, precision: "Date" } },
      },
      keys.alice,
    );
    assert.deepEqual([bad.status, bad.body.errorCode, bad.body.message], [500, "INVALID_PARAMETER", "RRule.until is prior to event date"]);
  });

  it("changesets and versions follow every write; _mget skips missing uids", async () => {
    const v0 = (await api.call("GET", `${mine}/_version`, undefined, keys.alice)).body as number;
    const first = await api.call("GET", `${mine}/_changeset?since=0`, undefined, keys.alice);
    assert.equal(first.body.created.length, 3);
    await api.call("PUT", `${mine}/n1`, { uid: "n1", summary: "Nouveau" }, keys.alice);
    await api.call("DELETE", `${mine}/${T.passport.uid}`, undefined, keys.alice);
    const cs = await api.call("GET", `${mine}/_changeset?since=${v0}`, undefined, keys.alice);
    assert.deepEqual([cs.body.created, cs.body.deleted, cs.body.version], [["n1"], [T.passport.uid], v0 + 2]);
    const mget = await api.call("POST", `${mine}/_mget`, ["n1", "missing"], keys.alice);
    assert.deepEqual(
      mget.body.map((iv: { uid: string }) => iv.uid),
      ["n1"],
    );
  });

  it("bob's list shared Read only: alice reads it, her writes are refused with 403", async () => {
    const team = path(L.equipeBob.uid);
    const all = await api.call("GET", team, undefined, keys.alice);
    assert.deepEqual(
      all.body.map((iv: { uid: string }) => iv.uid),
      [T.demo.uid],
    );
    const write = await api.call("POST", `${team}/${T.demo.uid}`, { ...all.body[0].value, status: "Completed" }, keys.alice);
    assert.deepEqual([write.status, write.body.errorCode], [403, "PERMISSION_DENIED"]);
    assert.equal((await api.call("DELETE", `${team}/${T.demo.uid}`, undefined, keys.alice)).status, 403);
    assert.equal((await api.call("GET", path(L.alice.uid), undefined, keys.bob)).status, 403, "alice's own list is hers");
    const cal = await api.call("GET", `/api/todolist/${enc(DEMO.calendars.alice.uid)}`, undefined, keys.alice);
    assert.match(cal.body.message, /Incompatible todolist container type: calendar/);
  });

  it("_search: everything without dates; with dates by due date, and a recurring task once per occurrence", async () => {
    const all = await api.call("POST", `${mine}/_search`, {}, keys.alice);
    assert.equal(all.body.values.length, 3);
    assert.equal(all.body.total, 3);
    const text = await api.call("POST", `${mine}/_search`, { query: "facture" }, keys.alice);
    assert.deepEqual(
      text.body.values.map((iv: { uid: string }) => iv.uid),
      [T.invoice.uid],
    );
    const day = 86_400_000;
    const at = (ms: number) => ({ iso8601: new Date(ms).toISOString(), timezone: "UTC", precision: "DateTime" });
    const window = await api.call(
      "POST",
      `${mine}/_search`,
      { dateMin: at(bm.server.state.createdAt), dateMax: at(bm.server.state.createdAt + 15 * day) },
      keys.alice,
    );
    const uids = window.body.values.map((iv: { uid: string }) => iv.uid);
    assert.ok(uids.includes(T.invoice.uid), "due in 3 days");
    assert.ok(!uids.includes(T.passport.uid), "due 5 days ago");
    const weekly = window.body.values.filter((iv: { uid: string }) => iv.uid === T.weeklyReport.uid);
    assert.ok(weekly.length >= 1 && weekly.length <= 2, `occurrences in 15 days, one EXDATE: ${weekly.length}`);
    assert.notEqual(
      weekly[0].value.dtstart.iso8601,
      all.body.values.find((iv: { uid: string }) => iv.uid === T.weeklyReport.uid).value.dtstart.iso8601,
    );
  });

  it("_mupdates: add creates or updates, modify updates or creates, delete never fails; per-item errors", async () => {
    const r = await api.call(
      "PUT",
      `${mine}/_mupdates`,
      {
        add: [{ uid: "m1", value: { uid: "m1", summary: "Un" } }],
        modify: [
          { uid: "m2", value: { uid: "m2", summary: "Deux" } },
          { uid: "m3", value: { uid: "m3", summary: "x", rrule: {} } },
        ],
        delete: [{ uid: "nothing" }],
      },
      keys.alice,
    );
    assert.deepEqual([r.body.added, r.body.updated, r.body.removed], [["m1"], ["m2"], ["nothing"]]);
    assert.deepEqual(
      r.body.errors.map((e: { uid: string; errorCode: string }) => [e.uid, e.errorCode]),
      [["m3", "INVALID_PARAMETER"]],
    );
    assert.equal(r.body.version, (await api.call("GET", `${mine}/_version`, undefined, keys.alice)).body);
  });
});
