/**
 * Conformance of IUserSubscription and IOwnerSubscriptions: descriptor shape (capital N in
 * ownerDisplayName), `_subscribe` only touching offlineSync, owner-subscription changesets
 * for every change, the refusal to drop one's own default calendar, and ROLE_SELF checks.
 */
import { strict as assert } from "node:assert";
import { DEMO } from "../../server/demo-data";
import { enc, shape, useServer } from "./helpers";

const C = DEMO.calendars;
const A = DEMO.users.alice.uid;
const subs = `/api/users/bluemind.test/subscriptions/${A}`;
const owner = `/api/containers/_subscriptions/bluemind.test/${A}`;

describe("reference server: subscriptions", () => {
  const bm = useServer({ login: ["alice"] });
  const { api, keys } = bm;

  it("lists ContainerSubscriptionDescriptors, filtered by type", async () => {
    const r = await api.call("GET", `${subs}?type=calendar`, undefined, keys.alice);
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.map((s: { containerUid: string }) => s.containerUid),
      [C.alice.uid, C.projets.uid, C.archives.uid, C.bob.uid, C.salles.uid],
    );
    const bob = r.body.find((s: { containerUid: string }) => s.containerUid === C.bob.uid);
    assert.deepEqual(
      shape(bob, {
        containerUid: "string",
        offlineSync: "boolean",
        automount: "boolean",
        containerType: "string",
        owner: "string",
        defaultContainer: "boolean",
        name: "string",
        ownerDisplayName: "string",
        ownerDirEntryPath: "string",
      }),
      [],
    );
    assert.equal(bob.ownerDisplayName, "Bob Durand");
    assert.equal("ownerDisplayname" in bob, false);
    const none = await api.call("GET", `${subs}?type=addressbook`, undefined, keys.alice);
    assert.deepEqual(none.body, []);
  });

  it("_subscribe on a subscribed container only changes offlineSync and bumps the owner changeset", async () => {
    const v0 = (await api.call("GET", `${owner}/_version`, undefined, keys.alice)).body as number;
    const same = await api.call(
      "POST",
      `${subs}/_subscribe`,
      [{ containerUid: C.projets.uid, offlineSync: false, automount: false }],
      keys.alice,
    );
    assert.equal(same.status, 200);
    assert.equal(same.text, "");
    assert.equal((await api.call("GET", `${owner}/_version`, undefined, keys.alice)).body, v0, "unchanged offlineSync: no change");
    assert.equal(bm.server.state.subscription(A, C.projets.uid)?.automount, true, "automount untouched on an existing row");

    await api.call("POST", `${subs}/_subscribe`, [{ containerUid: C.projets.uid, offlineSync: true }], keys.alice);
    assert.equal(bm.server.state.subscription(A, C.projets.uid)?.offlineSync, true);
    const cs = await api.call("GET", `${owner}/_changeset?since=${v0}`, undefined, keys.alice);
    assert.deepEqual(cs.body, { created: [], updated: [`sub-of-${A}-to-${C.projets.uid}`], deleted: [], version: v0 + 1 });
    const item = await api.call("GET", `${owner}/${enc(`sub-of-${A}-to-${C.projets.uid}`)}/complete`, undefined, keys.alice);
    assert.equal(item.body.value.offlineSync, true);
    assert.equal(item.body.version, v0 + 1);
  });

  it("_subscribe creates a row (automount defaults to true) and refuses containers the subject cannot read", async () => {
    await api.call("POST", `${subs}/_subscribe`, [{ containerUid: C.equipeBob.uid, offlineSync: false }], keys.alice);
    const s = bm.server.state.subscription(A, C.equipeBob.uid);
    assert.deepEqual(
      { offlineSync: s?.offlineSync, automount: s?.automount, owner: s?.owner },
      { offlineSync: false, automount: true, owner: DEMO.users.bob.uid },
    );
    const denied = await api.call("POST", `${subs}/_subscribe`, [{ containerUid: C.carol.uid, offlineSync: true }], keys.alice);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.errorCode, "PERMISSION_DENIED");
    const missing = await api.call("POST", `${subs}/_subscribe`, [{ containerUid: "nope", offlineSync: true }], keys.alice);
    assert.equal(missing.status, 404);
  });

  it("_unsubscribe silently keeps the user's own default calendar and removes others", async () => {
    const v0 = (await api.call("GET", `${owner}/_version`, undefined, keys.alice)).body as number;
    const r = await api.call("POST", `${subs}/_unsubscribe`, [C.alice.uid, C.salles.uid], keys.alice);
    assert.equal(r.status, 200);
    assert.notEqual(bm.server.state.subscription(A, C.alice.uid), null);
    assert.equal(bm.server.state.subscription(A, C.salles.uid), null);
    const cs = await api.call("GET", `${owner}/_changeset?since=${v0}`, undefined, keys.alice);
    assert.deepEqual(cs.body.deleted, [`sub-of-${A}-to-${C.salles.uid}`]);
    const subscribers = await api.call(
      "GET",
      `/api/users/bluemind.test/subscriptions/_subscribers/${enc(C.bob.uid)}`,
      undefined,
      keys.alice,
    );
    assert.deepEqual(subscribers.body.sort(), [A, DEMO.users.bob.uid].sort());
  });

  it("owner subscriptions: since=0 lists every item as created, _list/_mget return ItemValues", async () => {
    const cs = await api.call("GET", `${owner}/_changeset?since=0`, undefined, keys.alice);
    // 5 calendars and 3 todo lists (her default list, "Courses", bob's team list).
    assert.equal(cs.body.created.length, 8);
    assert.deepEqual(cs.body.updated, []);
    const list = await api.call("GET", `${owner}/_list`, undefined, keys.alice);
    assert.equal(list.body.length, 8);
    assert.equal(list.body.filter((s: { value: { containerType: string } }) => s.value.containerType === "todolist").length, 3);
    assert.equal(list.body[0].uid, `sub-of-${A}-to-${C.alice.uid}`);
    assert.equal(list.body[0].value.containerType, "calendar");
    const mget = await api.call("POST", `${owner}/_mget`, [`sub-of-${A}-to-${C.bob.uid}`, "missing"], keys.alice);
    assert.equal(mget.body.length, 1);
    assert.equal(mget.body[0].value.name, "Bob");
  });

  it("renaming a subscribed container updates the subscribers' items", async () => {
    const bob = await api.login("bob@bluemind.test", "bob");
    const v0 = (await api.call("GET", `${owner}/_version`, undefined, keys.alice)).body as number;
    const r = await api.call("POST", `/api/containers/_manage/${enc(C.bob.uid)}/_descriptor`, { name: "Bob (perso)" }, bob);
    assert.equal(r.status, 200);
    const cs = await api.call("GET", `${owner}/_changeset?since=${v0}`, undefined, keys.alice);
    assert.deepEqual(cs.body.updated, [`sub-of-${A}-to-${C.bob.uid}`]);
    assert.equal(bm.server.state.subscription(A, C.bob.uid)?.name, "Bob (perso)");
    const renameDenied = await api.call("POST", `/api/containers/_manage/${enc(C.bob.uid)}/_descriptor`, { name: "x" }, keys.alice);
    assert.equal(renameDenied.status, 403);
  });

  it("requires the caller to be the subject (ROLE_SELF)", async () => {
    const bob = await api.login("bob@bluemind.test", "bob");
    assert.equal((await api.call("GET", subs, undefined, bob)).status, 403);
    assert.equal((await api.call("POST", `${subs}/_subscribe`, [{ containerUid: C.bob.uid, offlineSync: false }], bob)).status, 403);
    assert.equal((await api.call("GET", `${owner}/_list`, undefined, bob)).status, 403);
    assert.equal((await api.call("GET", subs)).status, 403, "anonymous");
  });
});
