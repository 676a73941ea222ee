/**
 * Conformance of IContainers / IContainerManagement: ContainerDescriptor shape and the
 * caller-specific fields (verbs, writable, offlineSync, merged settings), NOT_FOUND, the two
 * `_list` modes, item counts, personal settings replacement and the offlineSync toggle.
 */
import { strict as assert } from "node:assert";
import { DEMO } from "../../server/demo-data";
import type { ContainerDescriptor } from "../../src/bluemind/types";
import { enc, shape, useServer } from "./helpers";

const C = DEMO.calendars;

describe("reference server: containers", () => {
  const bm = useServer({ login: ["alice"] });
  const { api, keys } = bm;

  it("describes a container for the caller with BlueMind's field names", async () => {
    const r = await api.call("GET", `/api/containers/_manage/${enc(C.alice.uid)}`, undefined, keys.alice);
    assert.equal(r.status, 200);
    assert.deepEqual(
      shape(r.body, {
        uid: "string",
        name: "string",
        owner: "string",
        type: "string",
        defaultContainer: "boolean",
        readOnly: "boolean",
        domainUid: "string",
        ownerDisplayname: "string",
        ownerDirEntryPath: "string",
        settings: "object",
        deleted: "boolean",
        datalocation: "string|null",
        internalId: "number",
        writable: "boolean",
        verbs: "array",
        offlineSync: "boolean",
        automount: "boolean",
      }),
      [],
    );
    assert.equal(r.body.name, "Alice");
    assert.equal(r.body.defaultContainer, true);
    assert.equal(r.body.offlineSync, true);
    assert.equal(r.body.writable, true);
    assert.ok(r.body.verbs.includes("All"));
    assert.equal(r.body.settings.bm_color, "#3D99FF");
    assert.equal(r.body.ownerDisplayname, "Alice Martin");
    assert.equal(r.body.ownerDirEntryPath, `bluemind.test/users/${DEMO.users.alice.uid}`);
  });

  it("reports raw ACL verbs, writable and the caller's own offlineSync for shared calendars", async () => {
    const r = await api.call(
      "POST",
      "/api/containers/_manage/_mget",
      [C.bob.uid, C.equipeBob.uid, C.salles.uid, "no-such-container"],
      keys.alice,
    );
    assert.equal(r.status, 200);
    const byUid = new Map<string, ContainerDescriptor>(r.body.map((d: { uid: string }) => [d.uid, d]));
    assert.equal(byUid.size, 3, "missing containers are skipped");
    const bob = byUid.get(C.bob.uid)!;
    assert.deepEqual(bob.verbs, ["Invitation", "Read"]);
    assert.equal(bob.writable, false);
    assert.equal(bob.offlineSync, true);
    const equipe = byUid.get(C.equipeBob.uid)!;
    assert.deepEqual(equipe.verbs, ["Write", "Manage"]);
    assert.equal(equipe.writable, true);
    assert.equal(equipe.offlineSync, false, "not subscribed => false");
    assert.equal(equipe.settings.bm_color, "#E04F5F");
    const salles = byUid.get(C.salles.uid)!;
    assert.equal(salles.owner, C.salles.uid);
    assert.equal(salles.ownerDisplayname, "Salles de réunion");
    assert.equal(salles.ownerDirEntryPath, `bluemind.test/calendars/${C.salles.uid}`);
  });

  it("answers NOT_FOUND (404 fault) for an unknown container and 204 on _ifPresent", async () => {
    const r = await api.call("GET", "/api/containers/_manage/nope", undefined, keys.alice);
    assert.equal(r.status, 404);
    assert.equal(r.body.errorCode, "NOT_FOUND");
    assert.equal(r.body.errorType, "ServerFault");
    const p = await api.call("GET", "/api/containers/_manage/_ifPresent/nope", undefined, keys.alice);
    assert.equal(p.status, 204);
    assert.equal(p.text, "");
  });

  it("_list: owner+type returns every calendar of that owner; a verb query returns owned + shared-with-verb", async () => {
    const mine = await api.call("POST", "/api/containers/_manage/_list", { type: "calendar", owner: DEMO.users.bob.uid }, keys.alice);
    assert.deepEqual(mine.body.map((d: { uid: string }) => d.uid).sort(), [C.bob.uid, C.equipeBob.uid].sort());

    const managed = await api.call("POST", "/api/containers/_manage/_list", { type: "calendar", verb: ["Manage", "All"] }, keys.alice);
    const uids = managed.body.map((d: { uid: string }) => d.uid);
    assert.ok(uids.includes(C.equipeBob.uid));
    assert.ok(uids.includes(C.projets.uid), "owned calendars are always accessible");
    assert.ok(!uids.includes(C.bob.uid), "Read-only share is not Manage");

    const readable = await api.call(
      "POST",
      "/api/containers/_manage/_list",
      { type: "calendar", verb: ["Read", "Write", "Manage", "All"] },
      keys.alice,
    );
    const r2 = readable.body.map((d: { uid: string }) => d.uid);
    for (const u of [C.bob.uid, C.salles.uid, C.equipeBob.uid]) assert.ok(r2.includes(u), u);
    assert.ok(!r2.includes(C.carol.uid), "Invitation only");
    const names = readable.body.map((d: { name: string }) => d.name.toUpperCase());
    assert.deepEqual(names, [...names].sort(), "sorted by name");
  });

  it("counts items (9,500 in Archives) and refuses the count without Read", async () => {
    const r = await api.call("GET", `/api/containers/_manage/${C.archives.uid}/_itemCount`, undefined, keys.alice);
    assert.deepEqual(r.body, { total: 9500 });
    bm.server.state.addEvents(C.projets.uid, 9001 - bm.server.state.calendarItemCount(C.projets.uid));
    const p = await api.call("GET", `/api/containers/_manage/${C.projets.uid}/_itemCount`, undefined, keys.alice);
    assert.deepEqual(p.body, { total: 9001 });
    const denied = await api.call("GET", `/api/containers/_manage/${enc(C.carol.uid)}/_itemCount`, undefined, keys.alice);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.errorCode, "PERMISSION_DENIED");
  });

  it("replaces the caller's whole personal settings map, personal values win over container settings", async () => {
    const put = await api.call("PUT", `/api/containers/_manage/${enc(C.bob.uid)}/_personalSettings`, { other: "x" }, keys.alice);
    assert.equal(put.status, 200);
    assert.equal(put.text, "");
    const d = await api.call("GET", `/api/containers/_manage/${enc(C.bob.uid)}`, undefined, keys.alice);
    assert.equal(d.body.settings.other, "x");
    assert.equal(d.body.settings.bm_color, undefined, "bm_color was dropped by the replacement");
    // Bob does not see alice's personal settings.
    const bob = await api.login("bob@bluemind.test", "bob");
    const b = await api.call("GET", `/api/containers/_manage/${enc(C.bob.uid)}`, undefined, bob);
    assert.equal(b.body.settings.other, undefined);
  });

  it("toggles offlineSync with PUT/DELETE …/{subject}/offlineSync and faults without a subscription", async () => {
    const base = `/api/containers/_manage/${C.projets.uid}/${DEMO.users.alice.uid}/offlineSync`;
    assert.equal((await api.call("PUT", base, undefined, keys.alice)).status, 200);
    assert.equal(bm.server.state.subscription(DEMO.users.alice.uid, C.projets.uid)?.offlineSync, true);
    assert.equal((await api.call("DELETE", base, undefined, keys.alice)).status, 200);
    assert.equal(bm.server.state.subscription(DEMO.users.alice.uid, C.projets.uid)?.offlineSync, false);
    const none = await api.call(
      "PUT",
      `/api/containers/_manage/${C.equipeBob.uid}/${DEMO.users.alice.uid}/offlineSync`,
      undefined,
      keys.alice,
    );
    assert.equal(none.status, 500);
    assert.match(none.body.message, /No subscription for container/);
  });

  it("returns the ACL to a manager only", async () => {
    const own = await api.call("GET", `/api/containers/_manage/${enc(C.bob.uid)}/_acl`, undefined, keys.alice);
    assert.equal(own.status, 403);
    const equipe = await api.call("GET", `/api/containers/_manage/${C.equipeBob.uid}/_acl`, undefined, keys.alice);
    assert.equal(equipe.status, 200);
    assert.deepEqual(equipe.body, [
      { subject: DEMO.users.alice.uid, verb: "Write" },
      { subject: DEMO.users.alice.uid, verb: "Manage" },
    ]);
  });
});
