/**
 * Conformance of ICalendar: ItemValue and ContainerChangeset shapes, BlueMind's changelog
 * semantics, CRUD statuses (void = empty 200), permission faults, private-event masking,
 * `_mupdates` per-item errors, and generic 404/400 faults.
 */
import { strict as assert } from "node:assert";
import { DEMO } from "../../server/demo-data";
import { enc, newEvent, shape, useServer } from "./helpers";

const C = DEMO.calendars;
const E = DEMO.events;

describe("reference server: calendars", () => {
  const bm = useServer({ login: ["alice"] });
  const { api, keys } = bm;
  const cal = `/api/calendars/${enc(C.alice.uid)}`;

  it("returns ItemValue<VEventSeries> with BlueMind's fields from _mget and complete", async () => {
    const r = await api.call("POST", `${cal}/_mget`, [E.weeklyStandup.uid, "missing"], keys.alice);
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 1, "missing uids are skipped");
    const iv = r.body[0];
    assert.deepEqual(
      shape(iv, {
        uid: "string",
        internalId: "number",
        version: "number",
        displayName: "string",
        externalId: "null|string",
        createdBy: "string",
        updatedBy: "string",
        created: "number",
        updated: "number",
        flags: "array",
        value: "object",
      }),
      [],
    );
    assert.equal(iv.value.icsUid, E.weeklyStandup.uid);
    assert.equal(iv.value.main.rrule.frequency, "WEEKLY");
    assert.equal(iv.value.occurrences.length, 1);
    assert.ok(iv.value.occurrences[0].recurid.iso8601);
    const one = await api.call("GET", `${cal}/${E.weeklyStandup.uid}/complete`, undefined, keys.alice);
    assert.deepEqual(one.body, iv);
    const none = await api.call("GET", `${cal}/missing/complete`, undefined, keys.alice);
    assert.equal(none.status, 204);
  });

  it("changeset: since=0 lists everything as created; version stays when nothing changed", async () => {
    const all = await api.call("GET", `${cal}/_changeset?since=0`, undefined, keys.alice);
    assert.deepEqual(shape(all.body, { created: "array", updated: "array", deleted: "array", version: "number" }), []);
    assert.equal(all.body.created.length, bm.server.state.calendarItemCount(C.alice.uid));
    assert.deepEqual([all.body.updated, all.body.deleted], [[], []]);
    const v = all.body.version as number;
    assert.equal((await api.call("GET", `${cal}/_version`, undefined, keys.alice)).body, v);
    const again = await api.call("GET", `${cal}/_changeset?since=${v}`, undefined, keys.alice);
    assert.deepEqual(again.body, { created: [], updated: [], deleted: [], version: v });
  });

  it("changeset collapses changes: create+update = created, update of old = updated, delete reported, create+delete omitted", async () => {
    const v = (await api.call("GET", `${cal}/_version`, undefined, keys.alice)).body as number;
    assert.equal((await api.call("PUT", `${cal}/new-1`, newEvent("Nouveau"), keys.alice)).status, 200);
    await api.call("POST", `${cal}/new-1`, newEvent("Nouveau (modifié)"), keys.alice);
    await api.call("PUT", `${cal}/temp-2`, newEvent("Éphémère"), keys.alice);
    await api.call("DELETE", `${cal}/temp-2`, undefined, keys.alice);
    const old = (await api.call("GET", `${cal}/${E.utcDeploy.uid}/complete`, undefined, keys.alice)).body;
    old.value.main.location = "Datacenter";
    await api.call("POST", `${cal}/${E.utcDeploy.uid}`, old.value, keys.alice);
    await api.call("DELETE", `${cal}/${E.pastReview.uid}`, undefined, keys.alice);
    const cs = await api.call("GET", `${cal}/_changeset?since=${v}`, undefined, keys.alice);
    assert.deepEqual(cs.body, { created: ["new-1"], updated: [E.utcDeploy.uid], deleted: [E.pastReview.uid], version: v + 6 });
    const item = (await api.call("GET", `${cal}/new-1/complete`, undefined, keys.alice)).body;
    assert.equal(item.version, v + 2);
    assert.equal(item.value.icsUid, "new-1", "icsUid defaults to the item uid");
    assert.equal(item.displayName, "Nouveau (modifié)");
    const zero = await api.call("GET", `${cal}/_changeset?since=0`, undefined, keys.alice);
    assert.ok(!zero.body.created.includes("temp-2") && !zero.body.created.includes(E.pastReview.uid));
    assert.deepEqual(zero.body.deleted, []);
  });

  it("answers void writes with 200 and an empty body; creating twice is an ALREADY_EXISTS fault", async () => {
    const r = await api.call("PUT", `${cal}/void-1`, newEvent("Vide"), keys.alice);
    assert.equal(r.status, 200);
    assert.equal(r.text, "");
    const dup = await api.call("PUT", `${cal}/void-1`, newEvent("Vide"), keys.alice);
    assert.equal(dup.status, 500);
    assert.equal(dup.body.errorCode, "ALREADY_EXISTS");
    const del = await api.call("DELETE", `${cal}/does-not-exist`, undefined, keys.alice);
    assert.equal(del.status, 200, "deleting an unknown uid is a no-op");
    const upd = await api.call("POST", `${cal}/does-not-exist`, newEvent("x"), keys.alice);
    assert.equal(upd.status, 404);
    assert.equal(upd.body.errorCode, "NOT_FOUND");
    const invalid = await api.call("PUT", `${cal}/no-title`, newEvent(""), keys.alice);
    assert.equal(invalid.body.errorCode, "EMPTY_EVENT_TITLE");
  });

  it("denies writes without Write and reads without Read (403 PERMISSION_DENIED)", async () => {
    const w = await api.call("PUT", `/api/calendars/${enc(C.bob.uid)}/x-1`, newEvent("Intrus"), keys.alice);
    assert.equal(w.status, 403);
    assert.equal(w.body.errorCode, "PERMISSION_DENIED");
    assert.equal(w.body.errorType, "ServerFault");
    assert.match(w.body.message, /Doesnt have role Write/);
    const r = await api.call("GET", `/api/calendars/${enc(C.carol.uid)}/_changeset?since=0`, undefined, keys.alice);
    assert.equal(r.status, 403);
    const anon = await api.call("GET", `${cal}/_version`);
    assert.equal(anon.status, 403);
  });

  it("masks private events for callers without ReadExtended and refuses to modify them", async () => {
    const bobCal = `/api/calendars/${enc(C.bob.uid)}`;
    const masked = (await api.call("GET", `${bobCal}/${E.bobPrivate.uid}/complete`, undefined, keys.alice)).body;
    const m = masked.value.main;
    assert.equal(m.summary, "Private");
    assert.deepEqual([m.description, m.location, m.organizer, m.url, m.conference], [null, null, null, null, null]);
    assert.deepEqual([m.attendees, m.categories, m.attachments], [[], [], []]);
    assert.ok(m.dtstart.iso8601, "times stay visible");
    const bob = await api.login("bob@bluemind.test", "bob");
    const clear = (await api.call("GET", `${bobCal}/${E.bobPrivate.uid}/complete`, undefined, bob)).body;
    assert.equal(clear.value.main.summary, E.bobPrivate.summary);

    // Équipe Bob: alice has Write but not ReadExtended.
    const equipe = `/api/calendars/${C.equipeBob.uid}`;
    const conf = (await api.call("GET", `${equipe}/${E.equipeConfidential.uid}/complete`, undefined, keys.alice)).body;
    assert.equal(conf.value.main.summary, "Private");
    const upd = await api.call("POST", `${equipe}/${E.equipeConfidential.uid}`, conf.value, keys.alice);
    assert.equal(upd.status, 403);
    assert.equal(upd.body.message, "cannot modify private event");
    const pub = (await api.call("GET", `${equipe}/${E.equipePlanning.uid}/complete`, undefined, keys.alice)).body;
    pub.value.main.location = "Salle Jupiter";
    assert.equal((await api.call("POST", `${equipe}/${E.equipePlanning.uid}`, pub.value, keys.alice)).status, 200);
  });

  it("_mupdates reports per-item results in a ContainerUpdatesResult", async () => {
    const equipe = `/api/calendars/${C.equipeBob.uid}`;
    const conf = (await api.call("GET", `${equipe}/${E.equipeConfidential.uid}/complete`, undefined, keys.alice)).body;
    const r = await api.call(
      "PUT",
      `${equipe}/_mupdates`,
      {
        add: [{ uid: "m-1", value: newEvent("Ajout"), sendNotification: false }],
        modify: [
          { uid: E.equipeConfidential.uid, value: conf.value, sendNotification: false },
          { uid: "m-2", value: newEvent("Créé par modify"), sendNotification: false },
        ],
        delete: [
          { uid: E.equipePlanning.uid, sendNotification: false },
          { uid: "ghost", sendNotification: false },
        ],
      },
      keys.alice,
    );
    assert.equal(r.status, 200);
    assert.deepEqual(
      shape(r.body, { added: "array", updated: "array", removed: "array", unhandled: "array", errors: "array", version: "number" }),
      [],
    );
    assert.deepEqual(r.body.added, ["m-1"]);
    assert.deepEqual(r.body.updated, ["m-2"]);
    assert.deepEqual(r.body.removed, [E.equipePlanning.uid, "ghost"]);
    assert.deepEqual(r.body.errors, [
      { message: "cannot modify private event", errorCode: "PERMISSION_DENIED", uid: E.equipeConfidential.uid },
    ]);
    assert.equal(r.body.version, (await api.call("GET", `${equipe}/_version`, undefined, keys.alice)).body);
  });

  it("answers unknown paths with a 404 fault and malformed JSON with a 400 fault", async () => {
    const r = await api.call("GET", "/api/nothing/here", undefined, keys.alice);
    assert.equal(r.status, 404);
    assert.equal(r.body.errorCode, "NOT_FOUND");
    const bad = await api.call("POST", `${cal}/_mget`, "RAW:[not json", keys.alice);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errorType, "ServerFault");
  });

  it("decodes percent-encoded container uids and logs requests", async () => {
    const before = bm.server.requestCount();
    const r = await api.call("GET", `/api/calendars/${enc(C.alice.uid)}/_all`, undefined, keys.alice);
    assert.ok(r.body.includes(E.weeklyStandup.uid));
    assert.equal(bm.server.requestCount(), before + 1);
    const { at, ...last } = bm.server.requests.at(-1)!;
    assert.deepEqual(last, { method: "GET", path: `/api/calendars/${C.alice.uid}/_all`, query: "", status: 200 });
    assert.ok(Math.abs(at - Date.now()) < 5_000);
  });
});
