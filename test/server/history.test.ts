/**
 * Conformance of the three things BlueMind's change log never tells a client
 * (docs/bluemind-rules.md, "What the change log never tells"): the cleanup of old deletions, a restore from a backup
 * (versions go down, `since` above the current version answers an empty changeset with
 * version = since) and a moved mailbox (a new `mailboxCopyGuid` in `GET /api/auth`).
 */
import { strict as assert } from "node:assert";
import { DEMO } from "../../server/demo-data";
import { moveMailbox } from "../../server/history";
import type { VEventSeries } from "../../src/bluemind/types";
import { enc, newEvent, useServer } from "./helpers";

const C = DEMO.calendars;
const E = DEMO.events;
const DAY = 86_400_000;

/** A new event on 3 April (the other tests' default is the 2nd). */
const event = (summary: string): VEventSeries => newEvent(summary, {}, "03");

describe("reference server: long lives (cleanup, restore, mailbox move)", () => {
  const bm = useServer({ login: ["alice"] });
  const { api, keys } = bm;
  const cal = `/api/calendars/${enc(C.alice.uid)}`;
  const version = async (): Promise<number> => (await api.call("GET", `${cal}/_version`, undefined, keys.alice)).body as number;
  const changeset = async (since: number) => (await api.call("GET", `${cal}/_changeset?since=${since}`, undefined, keys.alice)).body;

  it("cleanup: deletions older than the retention leave the change log, every 2 days; live items keep theirs", async () => {
    const v = await version();
    await api.call("DELETE", `${cal}/${E.pastReview.uid}`, undefined, keys.alice);
    await api.call("PUT", `${cal}/kept-1`, event("Gardé"), keys.alice);
    assert.deepEqual((await changeset(v)).deleted, [E.pastReview.uid]);
    assert.equal(bm.server.state.changesetCleanup.retentionDays, 60, "BlueMind's default retention");

    // 59 days later (the cleanup has run meanwhile): the deletion is still within the retention.
    bm.server.state.clockOffsetMs = 59 * DAY;
    assert.deepEqual((await changeset(v)).deleted, [E.pastReview.uid]);
    await api.call("DELETE", `${cal}/kept-1`, undefined, keys.alice); // deleted on day 59
    const afterSecond = await version();

    // Day 61: the first deletion is forgotten, creation included; the one of day 59 is not.
    bm.server.state.clockOffsetMs = 61 * DAY;
    const cs = await changeset(v);
    assert.deepEqual(
      cs,
      { created: [], updated: [], deleted: [], version: afterSecond },
      "kept-1 created then deleted: omitted; pastReview: forgotten",
    );
    assert.deepEqual((await changeset(v + 2)).deleted, ["kept-1"], "since its creation, the deletion of day 59 is still told");
    assert.equal(await version(), afterSecond, "the container version does not move");
    const zero = await changeset(0);
    assert.ok(!zero.created.includes(E.pastReview.uid));
    assert.equal(zero.created.length, bm.server.state.calendar(C.alice.uid)!.size, "since=0: every live item, nothing else");
  });

  it("cleanup: the retention and the period are settings; an update is never forgotten", async () => {
    const cleanup = bm.server.state.changesetCleanup;
    cleanup.retentionDays = 1;
    const v = await version();
    const item = (await api.call("GET", `${cal}/${E.utcDeploy.uid}/complete`, undefined, keys.alice)).body;
    await api.call("POST", `${cal}/${E.utcDeploy.uid}`, { ...item.value, main: { ...item.value.main, location: "Ailleurs" } }, keys.alice);
    await api.call("DELETE", `${cal}/${E.pastReview.uid}`, undefined, keys.alice);
    bm.server.state.clockOffsetMs = 1.5 * DAY; // past the retention, but the cleanup is not due yet
    assert.deepEqual((await changeset(v)).deleted, [E.pastReview.uid]);
    bm.server.state.clockOffsetMs = 2 * DAY;
    // The highest version still in the log: below `_version` now that the deletion is forgotten.
    assert.deepEqual(await changeset(v), { created: [], updated: [E.utcDeploy.uid], deleted: [], version: v + 1 });
    assert.equal(await version(), v + 2);
    assert.equal(cleanup.run(bm.server.state), 0, "nothing left to forget");
  });

  it("restore from a backup: versions go down, later items vanish, deleted ones come back; since above the version is an empty changeset", async () => {
    const backup = bm.server.state.backup();
    const v0 = await version();
    await api.call("PUT", `${cal}/later-1`, event("Après la sauvegarde"), keys.alice);
    await api.call("DELETE", `${cal}/${E.pastReview.uid}`, undefined, keys.alice);
    const later = await version();
    assert.equal(later, v0 + 2);
    const laterKey = await api.call("PUT", `/api/auth/keys?displayName=${enc("après")}`, undefined, keys.alice);

    bm.server.state.restoreBackup(backup);
    const key = (await api.call("POST", `/api/auth/login?login=alice@bluemind.test&origin=mocha`, "alice")).body.authKey as string;
    assert.equal((await api.call("GET", `${cal}/_version`, undefined, keys.alice)).status, 401, "sessions are gone with the restart");
    keys.alice = key;
    assert.equal(await version(), v0, "the version went down");
    assert.deepEqual(
      await changeset(later),
      { created: [], updated: [], deleted: [], version: later },
      "nothing tells the client its copy is ahead",
    );
    const items = (await api.call("POST", `${cal}/_mget`, ["later-1", E.pastReview.uid], keys.alice)).body;
    assert.deepEqual(
      items.map((i: { uid: string }) => i.uid),
      [E.pastReview.uid],
    );
    assert.equal((await api.call("GET", `/api/auth`, undefined, laterKey.body.sid)).status, 401, "a key made after the backup is unknown");

    // Life goes on from the restored version: new changes reuse version numbers seen before.
    await api.call("PUT", `${cal}/after-restore`, event("Après la restauration"), keys.alice);
    assert.equal(await version(), v0 + 1);
  });

  it("mailbox moved: GET /api/auth answers a new mailboxCopyGuid; items keep uids and versions, the log forgets deletions", async () => {
    const before = (await api.call("GET", "/api/auth", undefined, keys.alice)).body;
    assert.equal(before.value.mailboxCopyGuid, null, "never moved nor restored");
    const v = await version();
    await api.call("DELETE", `${cal}/${E.pastReview.uid}`, undefined, keys.alice);
    const item = (await api.call("GET", `${cal}/${E.utcDeploy.uid}/complete`, undefined, keys.alice)).body;
    const current = await version();

    const guid = moveMailbox(bm.server.state, DEMO.users.alice.uid);
    const after = (await api.call("GET", "/api/auth", undefined, keys.alice)).body;
    assert.equal(after.value.mailboxCopyGuid, guid);
    assert.match(guid, /^[0-9a-f-]{36}$/);
    assert.equal(after.value.dataLocation, "bm-backend-2");
    assert.equal(await version(), current, "the version does not go down");
    assert.deepEqual((await api.call("GET", `${cal}/${E.utcDeploy.uid}/complete`, undefined, keys.alice)).body, item);
    assert.deepEqual((await changeset(v)).deleted, [], "the deletion made before the move is not in the new log");
    assert.equal((await changeset(0)).created.length, bm.server.state.calendar(C.alice.uid)!.size);
    const bob = await api.login("bob@bluemind.test", "bob");
    assert.equal((await api.call("GET", "/api/auth", undefined, bob)).body.value.mailboxCopyGuid, null, "only alice's mailbox moved");
    assert.notEqual(moveMailbox(bm.server.state, DEMO.users.alice.uid), guid, "each move makes a new one");
  });
});
