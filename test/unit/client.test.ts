import { strict as assert } from "node:assert";
import { currentUser, revokeKey, signIn } from "../../src/bluemind/auth";
import { fetchCalendarLists, fetchItemCounts } from "../../src/sync/calendar-directory";
import { subscribe } from "../../src/bluemind/containers";
import { BlueMindError } from "../../src/bluemind/errors";
import { apiPath, BlueMindHttp } from "../../src/bluemind/http";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { closedPortUrl, startHangingServer, startUntrustedTls, startWebPage, type LoopbackServer } from "./support/servers";

const { alice, carol } = DEMO.users;
const ORIGIN = "bluemind-calendar-sync-test";

async function failureKind(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "no error";
  } catch (error) {
    return error instanceof BlueMindError ? error.kind : `not a BlueMindError: ${String(error)}`;
  }
}

describe("BlueMind client against the reference server", () => {
  let server: RunningServer;
  let anonymous: BlueMindHttp;

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    anonymous = new BlueMindHttp({ origin: server.url });
  });
  afterEach(() => server.close());

  describe("sign-in", () => {
    it("creates a permanent API key and closes the password session", async () => {
      const result = await signIn(anonymous, alice.login, alice.password, ORIGIN, "Thunderbird test");
      assert.equal(result.user.uid, alice.uid);
      assert.equal(result.user.domainUid, DEMO.domainUid);
      assert.equal(result.apiKey.displayName, "Thunderbird test");
      assert.deepEqual(
        server.state.apiKeys(alice.uid).map((k) => k.sid),
        [result.apiKey.sid],
      );
      const calls = server.requests.map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(calls, ["POST /api/auth/login", "PUT /api/auth/keys", "POST /api/auth/logout"]);
      // The key alone identifies the user from now on.
      const me = await currentUser(anonymous.withKey(result.apiKey.sid));
      assert.equal(me.uid, alice.uid);
    });

    it("completes a login without a domain with the server's default domain", async () => {
      const result = await signIn(anonymous, "alice", alice.password, ORIGIN, "k");
      assert.equal(result.login, alice.login);
    });

    it("reports a wrong password", async () => {
      assert.equal(await failureKind(signIn(anonymous, alice.login, "wrong", ORIGIN, "k")), "badCredentials");
      assert.deepEqual(server.state.apiKeys(alice.uid), []);
    });

    it("reports an expired password", async () => {
      assert.equal(await failureKind(signIn(anonymous, carol.login, carol.password, ORIGIN, "k")), "passwordExpired");
    });
  });

  describe("error mapping", () => {
    const extra: LoopbackServer[] = [];
    afterEach(async () => {
      await Promise.all(extra.splice(0).map((s) => s.close()));
    });

    it("tells an unreachable server", async () => {
      const http = new BlueMindHttp({ origin: await closedPortUrl() });
      assert.equal(await failureKind(signIn(http, alice.login, "x", ORIGIN, "k")), "unreachable");
    });

    it("tells a web page that is not a BlueMind server (404 page and 200 page)", async () => {
      for (const status of [404, 200]) {
        const page = await startWebPage(status);
        extra.push(page);
        const http = new BlueMindHttp({ origin: page.url });
        assert.equal(await failureKind(signIn(http, alice.login, "x", ORIGIN, "k")), "notBlueMind", `HTTP ${status}`);
      }
    });

    it("tells a TLS failure", async () => {
      const tls = await startUntrustedTls();
      extra.push(tls);
      const http = new BlueMindHttp({ origin: tls.url });
      assert.equal(await failureKind(signIn(http, alice.login, "x", ORIGIN, "k")), "tls");
    });

    it("tells a TLS failure through the diagnosis hook when fetch gives no cause (as in Thunderbird)", async () => {
      const http = new BlueMindHttp({ origin: await closedPortUrl(), diagnose: async () => "tls" });
      assert.equal(await failureKind(currentUser(http)), "tls");
    });

    it("tells a timeout", async () => {
      const hanging = await startHangingServer();
      extra.push(hanging);
      const http = new BlueMindHttp({ origin: hanging.url, timeoutMs: 200 });
      assert.equal(await failureKind(currentUser(http)), "timeout");
    });

    it("maps an unknown or revoked key to keyRevoked (401 AUTHENTICATION_FAIL)", async () => {
      const { apiKey } = await signIn(anonymous, alice.login, alice.password, ORIGIN, "k");
      const http = anonymous.withKey(apiKey.sid);
      await revokeKey(http, apiKey.sid);
      assert.deepEqual(server.state.apiKeys(alice.uid), []);
      assert.equal(await failureKind(currentUser(http)), "keyRevoked");
      assert.equal(await failureKind(currentUser(anonymous.withKey("no-such-key"))), "keyRevoked");
    });

    it("maps a denied call to permissionDenied (403)", async () => {
      const { apiKey } = await signIn(anonymous, alice.login, alice.password, ORIGIN, "k");
      const http = anonymous.withKey(apiKey.sid);
      // Alice may only read Bob's calendar.
      const denied = http.call("DELETE", apiPath("calendars", DEMO.calendars.bob.uid, "any-item"));
      assert.equal(await failureKind(denied), "permissionDenied");
    });
  });

  describe("calendar lists and toggle", () => {
    let http: BlueMindHttp;
    const me = { uid: alice.uid, domainUid: DEMO.domainUid };

    beforeEach(async () => {
      const { apiKey } = await signIn(anonymous, alice.login, alice.password, ORIGIN, "k");
      http = anonymous.withKey(apiKey.sid);
    });

    it("builds alice's two lists as BlueMind's preferences do", async () => {
      const lists = await fetchCalendarLists(http, me);
      assert.deepEqual(
        lists.mine.map((e) => e.name),
        ["Alice", "Archives", "Projets"],
      );
      assert.deepEqual(
        lists.others.map((e) => e.name),
        ["Bob", "Équipe Bob", "Salles de réunion"],
      );
      const row = (name: string) => [...lists.mine, ...lists.others].find((e) => e.name === name);
      assert.deepEqual(
        ["Alice", "Projets", "Archives", "Bob", "Équipe Bob", "Salles de réunion"].map((name) => {
          const e = row(name);
          return e && [name, e.subscribed, e.offlineSync, e.readOnly, e.color];
        }),
        [
          ["Alice", true, true, false, "#3D99FF"],
          ["Projets", true, false, false, "#2EB398"],
          ["Archives", true, true, false, "#8E8E8E"],
          ["Bob", true, true, true, "#F5A623"],
          ["Équipe Bob", false, false, false, "#E04F5F"],
          ["Salles de réunion", true, false, true, "#B065D8"],
        ],
      );
      assert.equal(row("Bob")?.ownerDisplayName, "Bob Durand");
      assert.equal(row("Salles de réunion")?.ownerDisplayName, "Salles de réunion");
    });

    it("writes a toggle back to BlueMind", async () => {
      await subscribe(http, DEMO.domainUid, alice.uid, [{ containerUid: DEMO.calendars.salles.uid, offlineSync: true }]);
      assert.equal(server.state.subscription(alice.uid, DEMO.calendars.salles.uid)?.offlineSync, true);
      const lists = await fetchCalendarLists(http, me);
      assert.equal(lists.others.find((e) => e.uid === DEMO.calendars.salles.uid)?.offlineSync, true);
    });

    it("subscribes a managed calendar that was not subscribed when its switch is turned on", async () => {
      await subscribe(http, DEMO.domainUid, alice.uid, [{ containerUid: DEMO.calendars.equipeBob.uid, offlineSync: true }]);
      const team = (await fetchCalendarLists(http, me)).others.find((e) => e.uid === DEMO.calendars.equipeBob.uid);
      assert.deepEqual(team && [team.subscribed, team.offlineSync], [true, true]);
    });

    it("counts items for the warning: 9000 gives no warning, 9001 does", async () => {
      const projets = DEMO.calendars.projets.uid;
      await subscribe(http, DEMO.domainUid, alice.uid, [{ containerUid: projets, offlineSync: true }]);
      server.state.addEvents(projets, 9000 - server.state.calendarItemCount(projets));
      const entries = (await fetchCalendarLists(http, me)).mine;
      const { needsSizeWarning } = await import("../../src/sync/size-warning");
      let counts = await fetchItemCounts(http, entries);
      assert.equal(counts.get(projets), 9000);
      assert.equal(needsSizeWarning(true, counts.get(projets)), false);
      server.state.addEvents(projets, 1);
      counts = await fetchItemCounts(http, entries);
      assert.equal(counts.get(projets), 9001);
      assert.equal(needsSizeWarning(true, counts.get(projets)), true);
      assert.equal(counts.get(DEMO.calendars.archives.uid), DEMO.archivesEventCount);
    });
  });
});
