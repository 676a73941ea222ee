/**
 * Conformance of the second, single-sign-on domain (sso.test, OPENID) and of the user
 * without the calendar role: core login ignores the auth type (carol@sso.test has no
 * BlueMind password: "Bad"), API keys work for her, her subscriptions live in her own
 * domain, domains do not see each other's calendars, and the domain survives persistence.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { DEMO } from "../../server/demo-data";
import { ServerState, type ServerStateJson } from "../../server/store";
import { enc, useServer } from "./helpers";

const { alice, carolSso, dave } = DEMO.users;
const SSO = DEMO.ssoDomainUid;

/** Logs in on the web form; returns the core sid of the OpenIdSession cookie. */
async function webSid(server: { readonly url: string }, username: string, password: string): Promise<string> {
  const res = await fetch(server.url + DEMO.web.loginPage, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password }).toString(),
  });
  assert.equal(res.status, 302);
  const pair = res.headers.getSetCookie()[0]!.split(";")[0]!;
  return (JSON.parse(decodeURIComponent(pair.slice(pair.indexOf("=") + 1))) as { sid: string }).sid;
}

describe("reference server: domains", () => {
  const bm = useServer();
  const { api } = bm;

  it("holds two domains with BlueMind's auth types; the default domain stays bluemind.test", async () => {
    assert.deepEqual(
      [...bm.server.state.domains.values()].map((d) => [d.uid, d.authType]),
      [
        ["bluemind.test", "INTERNAL"],
        ["sso.test", "OPENID"],
      ],
    );
    const infos = await api.call("GET", "/api/system/installation/_infos");
    assert.equal(infos.body.defaultDomain, "bluemind.test");
  });

  it("answers Bad to a password login of carol@sso.test: her password is only at the identity provider", async () => {
    for (const path of ["/api/auth/login", "/api/auth/loginWithParams"]) {
      for (const pw of [carolSso.idpPassword, "carol", ""]) {
        const r = await api.call("POST", `${path}?login=${enc(carolSso.login)}&origin=mocha&interactive=false`, pw);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { status: "Bad", message: null, authKey: null, latd: null, authUser: null }, `${path} ${pw}`);
      }
    }
    const v = await api.call("POST", `/api/auth/validate?login=${enc(carolSso.login)}&origin=mocha`, carolSso.idpPassword);
    assert.equal(v.body, "NONE");
    assert.equal(bm.server.state.sessions.size, 0);
  });

  it("lets carol@sso.test make an API key with her web session, and the key works for her", async () => {
    const sid = await webSid(bm, carolSso.login, carolSso.idpPassword);
    const created = await api.call("PUT", "/api/auth/keys?displayName=Thunderbird", undefined, sid);
    assert.equal(created.status, 200);
    assert.equal(created.body.subject, carolSso.uid);
    assert.equal(created.body.domainUid, SSO);
    const key = created.body.sid as string;
    // The web session can go; the key stays.
    await api.call("POST", "/api/auth/logout", undefined, sid);
    assert.equal((await api.call("GET", "/api/auth", undefined, sid)).status, 401);

    const me = await api.call("GET", "/api/auth", undefined, key);
    assert.equal(me.status, 200);
    assert.equal(me.body.uid, carolSso.uid);
    assert.equal(me.body.domainUid, SSO);
    assert.equal(me.body.displayName, "Carol Lefèvre");
    assert.equal(me.body.value.login, "carol");
    assert.equal(me.body.value.emails[0].address, "carol@sso.test");
    assert.ok(me.body.roles.includes("hasCalendar"));
    // An API key is also accepted as the password of login.
    const viaKey = await api.call("POST", `/api/auth/login?login=${enc(carolSso.login)}&origin=mocha`, key);
    assert.equal(viaKey.body.status, "Ok");
    assert.equal(viaKey.body.latd, "carol@sso.test");
  });

  it("keeps carol@sso.test's subscriptions in her domain, with her default calendar synchronised and holding events", async () => {
    const sid = await webSid(bm, carolSso.login, carolSso.idpPassword);
    assert.equal(bm.server.state.ownerSubscriptionsUid(carolSso.uid), `owner_subscriptions_${carolSso.uid}_at_sso.test`);
    assert.equal(bm.server.state.ownerSubscriptionsUid(alice.uid), `owner_subscriptions_${alice.uid}_at_bluemind.test`);
    const subs = await api.call("GET", `/api/users/sso.test/subscriptions/${carolSso.uid}?type=calendar`, undefined, sid);
    assert.equal(subs.status, 200);
    assert.deepEqual(
      subs.body.map((s: { containerUid: string; offlineSync: boolean; name: string; ownerDirEntryPath: string }) => [
        s.containerUid,
        s.offlineSync,
        s.name,
        s.ownerDirEntryPath,
      ]),
      [[DEMO.calendars.carolSso.uid, true, "Carol", `sso.test/users/${carolSso.uid}`]],
    );
    const owner = await api.call("GET", `/api/containers/_subscriptions/sso.test/${carolSso.uid}/_list`, undefined, sid);
    assert.equal(owner.status, 200);
    // Her calendar and her default todo list.
    assert.deepEqual(owner.body.map((s: { value: { containerType: string } }) => s.value.containerType).sort(), ["calendar", "todolist"]);
    // ROLE_SELF is per domain.
    assert.equal((await api.call("GET", `/api/users/bluemind.test/subscriptions/${carolSso.uid}`, undefined, sid)).status, 403);
    assert.equal((await api.call("GET", `/api/users/nowhere.test/subscriptions/${carolSso.uid}`, undefined, sid)).status, 404);

    const cal = `/api/calendars/${enc(DEMO.calendars.carolSso.uid)}`;
    const cs = await api.call("GET", `${cal}/_changeset?since=0`, undefined, sid);
    assert.deepEqual([...cs.body.created].sort(), [DEMO.events.ssoKickoff.uid, DEMO.events.ssoWeekly.uid].sort());
    const kickoff = await api.call("GET", `${cal}/${DEMO.events.ssoKickoff.uid}/complete`, undefined, sid);
    assert.equal(kickoff.body.value.main.summary, DEMO.events.ssoKickoff.summary);
    const descriptor = await api.call("GET", `/api/containers/_manage/${enc(DEMO.calendars.carolSso.uid)}`, undefined, sid);
    assert.equal(descriptor.body.domainUid, SSO);
    assert.equal(descriptor.body.defaultContainer, true);
    assert.equal(descriptor.body.offlineSync, true);
  });

  it("keeps the two domains apart: alice cannot read carol@sso.test's calendar", async () => {
    const key = await api.login(alice.login, alice.password);
    const r = await api.call("GET", `/api/calendars/${enc(DEMO.calendars.carolSso.uid)}/_changeset?since=0`, undefined, key);
    assert.equal(r.status, 403);
    const managed = await api.call(
      "POST",
      "/api/containers/_manage/_list",
      { type: "calendar", verb: ["Read", "Write", "Manage", "All"] },
      key,
    );
    assert.ok(!managed.body.some((c: { uid: string }) => c.uid === DEMO.calendars.carolSso.uid));
  });

  it("logs in the user without the calendar role; his AuthUser roles lack hasCalendar", async () => {
    const r = await api.call("POST", `/api/auth/loginWithParams?login=${enc(dave.login)}&origin=mocha&interactive=false`, dave.password);
    assert.equal(r.body.status, "Ok");
    assert.equal(r.body.authUser.uid, dave.uid);
    assert.ok(!r.body.authUser.roles.includes("hasCalendar"));
    assert.ok(r.body.authUser.roles.includes("hasTbird"));
    const me = await api.call("GET", "/api/auth", undefined, r.body.authKey);
    assert.deepEqual(me.body.roles, r.body.authUser.roles);
    // The web login works for him too (an INTERNAL domain: his BlueMind password).
    const sid = await webSid(bm, dave.login, dave.password);
    assert.equal((await api.call("GET", "/api/auth", undefined, sid)).body.uid, dave.uid);
  });
});

describe("reference server: domains persistence", () => {
  const bm = useServer({ lifetime: "manual", dataFile: "state.json" });
  const { api } = bm;

  it("round-trips the second domain, its user, calendar, subscriptions and API keys", async () => {
    const first = await bm.start();
    const sid = await webSid(first, carolSso.login, carolSso.idpPassword);
    const key = (await api.call("PUT", "/api/auth/keys?displayName=tb", undefined, sid)).body.sid as string;
    await bm.stop();
    const saved = JSON.parse(readFileSync(bm.dataFile, "utf8")) as ServerStateJson;
    assert.equal(saved.domainUid, "bluemind.test");
    assert.deepEqual(saved.domains?.find((d) => d.uid === SSO)?.authType, "OPENID");

    const second = await bm.start();
    assert.equal(second.state.domains.get(SSO)?.authType, "OPENID");
    assert.equal(second.state.domains.get("bluemind.test")?.authType, "INTERNAL");
    const me = await api.call("GET", "/api/auth", undefined, key);
    assert.equal(me.status, 200);
    assert.equal(me.body.domainUid, SSO);
    const subs = await api.call("GET", `/api/containers/_subscriptions/sso.test/${carolSso.uid}/_list`, undefined, key);
    assert.equal(subs.body.length, 2, "her calendar and her default todo list");
    // Still no BlueMind password, still the identity provider's on the web form.
    assert.equal(
      (await api.call("POST", `/api/auth/login?login=${enc(carolSso.login)}&origin=mocha`, carolSso.idpPassword)).body.status,
      "Bad",
    );
    assert.ok(await webSid(second, carolSso.login, carolSso.idpPassword));
  });

  it("loads a state file written before there were several domains (the default one, INTERNAL)", async () => {
    await bm.start();
    await bm.stop();
    const old = JSON.parse(readFileSync(bm.dataFile, "utf8")) as ServerStateJson;
    delete old.domains;
    const state = ServerState.fromJSON(old);
    assert.deepEqual([...state.domains.values()], [{ uid: "bluemind.test", name: "bluemind.test", authType: "INTERNAL" }]);
  });
});
