/**
 * Conformance of the reference server's authentication surface: LoginResponse/AuthUser
 * shapes, Bad/Expired statuses, session vs permanent API keys, logout semantics, the 401
 * AUTHENTICATION_FAIL fault for unknown keys and anonymous 403s.
 */
import { strict as assert } from "node:assert";
import { DEMO } from "../../server/demo-data";
import { shape, useServer } from "./helpers";

describe("reference server: auth", () => {
  const bm = useServer();
  const { api } = bm;

  it("answers a successful login with a complete LoginResponse", async () => {
    const r = await api.call("POST", "/api/auth/login?login=alice@bluemind.test&origin=mocha", "alice");
    assert.equal(r.status, 200);
    assert.deepEqual(
      shape(r.body, { status: "string", message: "null|string", authKey: "string", latd: "string", authUser: "object" }),
      [],
    );
    assert.equal(r.body.status, "Ok");
    assert.equal(r.body.latd, "alice@bluemind.test");
    const u = r.body.authUser;
    assert.deepEqual(
      shape(u, {
        uid: "string",
        domainUid: "string",
        displayName: "string",
        value: "object",
        roles: "array",
        rolesByOU: "object",
        settings: "object",
      }),
      [],
    );
    assert.equal(u.uid, DEMO.users.alice.uid);
    assert.equal(u.displayName, "Alice Martin");
    assert.ok(u.roles.includes("hasTbird"));
    assert.equal(u.value.login, "alice");
    assert.equal(u.value.emails[0].address, "alice@bluemind.test");
  });

  it("answers 200 with status Bad for a wrong password or an unknown login", async () => {
    for (const [login, pw] of [
      ["alice@bluemind.test", "wrong"],
      ["nobody@bluemind.test", "x"],
      ["alice", "alice"],
    ]) {
      const r = await api.call("POST", `/api/auth/login?login=${login}&origin=mocha`, pw);
      assert.equal(r.status, 200);
      assert.equal(r.body.status, "Bad", login);
      assert.equal(r.body.authKey, null);
    }
  });

  it("answers Expired for carol's expired password, Bad for a wrong one", async () => {
    const ok = await api.call("POST", "/api/auth/loginWithParams?login=carol@bluemind.test&origin=mocha&interactive=false", "carol");
    assert.equal(ok.body.status, "Expired");
    assert.equal(ok.body.authKey, null);
    const bad = await api.call("POST", "/api/auth/login?login=carol@bluemind.test&origin=mocha", "nope");
    assert.equal(bad.body.status, "Bad");
  });

  it("rejects an unknown key with 401 AUTHENTICATION_FAIL, header or ?apikey=", async () => {
    const r = await api.call("GET", "/api/auth", undefined, "not-a-session");
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, {
      errorCode: "AUTHENTICATION_FAIL",
      errorType: "ServerFault",
      message: "session id not-a-session is not valid",
    });
    const q = await api.call("GET", "/api/auth/ping?apikey=not-a-session");
    assert.equal(q.status, 401);
  });

  it("treats a missing key as anonymous: GET /api/auth is 403 PERMISSION_DENIED", async () => {
    const r = await api.call("GET", "/api/auth");
    assert.equal(r.status, 403);
    assert.equal(r.body.errorCode, "PERMISSION_DENIED");
    assert.equal(r.body.errorType, "ServerFault");
  });

  it("accepts the session key as header and as ?apikey=, and ping/logout are void", async () => {
    const key = await api.login("alice@bluemind.test", "alice");
    const me = await api.call("GET", "/api/auth", undefined, key);
    assert.equal(me.body.uid, DEMO.users.alice.uid);
    const viaQuery = await api.call("GET", `/api/auth?apikey=${key}`);
    assert.equal(viaQuery.body.uid, DEMO.users.alice.uid);
    const ping = await api.call("GET", "/api/auth/ping", undefined, key);
    assert.equal(ping.status, 200);
    assert.equal(ping.text, "");
    const out = await api.call("POST", "/api/auth/logout", undefined, key);
    assert.equal(out.status, 200);
    assert.equal(out.text, "");
    assert.equal((await api.call("GET", "/api/auth/ping", undefined, key)).status, 401);
  });

  it("creates, lists and deletes permanent API keys usable as X-BM-ApiKey and as password", async () => {
    const session = await api.login("alice@bluemind.test", "alice");
    const created = await api.call("PUT", "/api/auth/keys?displayName=Thunderbird", undefined, session);
    assert.equal(created.status, 200);
    assert.deepEqual(shape(created.body, { sid: "string", displayName: "string", subject: "string", domainUid: "string" }), []);
    assert.equal(created.body.subject, DEMO.users.alice.uid);
    const sid = created.body.sid as string;
    assert.deepEqual(
      bm.server.state.apiKeys(DEMO.users.alice.uid).map((k) => k.sid),
      [sid],
    );

    const listed = await api.call("GET", "/api/auth/keys", undefined, sid);
    assert.deepEqual(
      listed.body.map((k: { sid: string }) => k.sid),
      [sid],
    );

    const viaKey = await api.call("POST", "/api/auth/login?login=alice@bluemind.test&origin=mocha", sid);
    assert.equal(viaKey.body.status, "Ok");
    assert.notEqual(viaKey.body.authKey, sid);

    // Logging out with the API key does not revoke it.
    await api.call("POST", "/api/auth/logout", undefined, sid);
    assert.equal((await api.call("GET", "/api/auth", undefined, sid)).status, 200);

    const del = await api.call("DELETE", `/api/auth/keys/${sid}`, undefined, session);
    assert.equal(del.status, 200);
    assert.equal((await api.call("GET", "/api/auth", undefined, sid)).status, 401);
    assert.equal((await api.call("GET", "/api/auth/keys")).status, 403);
  });

  it("expires idle session keys when state.sessionIdleMs is set, but not API keys", async () => {
    const key = await api.login("alice@bluemind.test", "alice");
    const sid = (await api.call("PUT", "/api/auth/keys?displayName=idle", undefined, key)).body.sid as string;
    bm.server.state.sessionIdleMs = 1;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await api.call("GET", "/api/auth/ping", undefined, key)).status, 401);
    assert.equal((await api.call("GET", "/api/auth/ping", undefined, sid)).status, 200);
  });

  it("lets a client recognise BlueMind anonymously", async () => {
    const state = await api.call("GET", "/api/system/installation/state");
    assert.equal(state.status, 200);
    assert.equal(state.body, "CORE_STATE_RUNNING");
    const infos = await api.call("GET", "/api/system/installation/_infos");
    assert.equal(infos.body.defaultDomain, "bluemind.test");
    assert.equal(typeof infos.body.softwareVersion, "string");
    assert.equal(typeof infos.body.releaseName, "string");
  });
});
