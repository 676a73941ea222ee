/**
 * The two ways in for single-sign-on domains, against the reference server: a pasted API key
 * (checked with GET /api/auth) and BlueMind's own login page (its web session read from the
 * cookie jar, turned into our key, then ended), with their error messages; and what the
 * account service keeps and revokes for each.
 */

import { strict as assert } from "node:assert";
import type { AccountService, AccountServiceDeps } from "../../src/background/account-service";
import type { LoginWindowHandle } from "../../src/background/browser-sign-in";
import { signInWithApiKey, signInWithSession } from "../../src/bluemind/auth";
import { BlueMindError } from "../../src/bluemind/errors";
import { apiPath, BlueMindHttp } from "../../src/bluemind/http";
import { endWebSession, readWebSession } from "../../src/bluemind/web-session";
import type { APIKey, LoginResponse } from "../../src/bluemind/types";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { FakeThunderbirdCalendars, MemorySecrets, MemoryStorage } from "./support/fakes";
import { makeAccountService } from "./support/account-service";
import { startWebPage, webSession } from "./support/servers";
import { WebBrowser } from "./support/web-browser";

const { alice, bob, dave, carolSso } = DEMO.users;

const kind = (expected: string) => (error: unknown) => {
  assert.ok(error instanceof BlueMindError, String(error));
  assert.equal(error.kind, expected, error.message);
  return true;
};

async function userKey(server: RunningServer, login: string, password: string): Promise<APIKey> {
  const web = await webSession(server.url, login, password);
  return web.call<APIKey>("PUT", apiPath("auth", "keys"), { query: { displayName: "Mon Thunderbird" } });
}

describe("sign-in with an API key and with BlueMind's login page", () => {
  let server: RunningServer;
  let http: BlueMindHttp;
  beforeEach(async () => {
    server = await startServer({ port: 0 });
    http = new BlueMindHttp({ origin: server.url });
  });
  afterEach(() => server.close());

  describe("a pasted key", () => {
    it("is checked with GET /api/auth and names its account; no session is opened", async () => {
      const key = await userKey(server, bob.login, bob.password);
      const sessionsBefore = server.state.sessions.size;
      const result = await signInWithApiKey(http, `  ${key.sid}\n`);
      assert.deepEqual([result.login, result.user.uid, result.apiKey.sid], [bob.login, bob.uid, key.sid]);
      assert.equal(server.state.sessions.size, sessionsBefore);
      assert.ok(server.requests.some((r) => r.method === "GET" && r.path === "/api/auth" && r.status === 200));
    });

    it("works for a user of the single-sign-on domain, whose password login answers Bad", async () => {
      const login = await http.call<LoginResponse>("POST", apiPath("auth", "login"), {
        query: { login: carolSso.login },
        body: carolSso.idpPassword,
      });
      assert.equal(login.status, "Bad");
      const browser = new WebBrowser();
      await browser.logIn(`${server.url}/`, carolSso.login, carolSso.idpPassword);
      const session = await readWebSession(server.url, browser.fetch);
      const key = await http.withKey(session!.sid).call<APIKey>("PUT", apiPath("auth", "keys"), { query: { displayName: "k" } });
      const result = await signInWithApiKey(http, key.sid);
      assert.deepEqual([result.login, result.user.domainUid], [carolSso.login, "sso.test"]);
    });

    it("tells a mis-copied key (not a key at all) from a key this server does not know", async () => {
      await assert.rejects(signInWithApiKey(http, ""), kind("apiKeyMalformed"));
      await assert.rejects(signInWithApiKey(http, "alice"), kind("apiKeyMalformed"));
      await assert.rejects(signInWithApiKey(http, "3f2b6c1e-9d4a 4b7e"), kind("apiKeyMalformed"));
      // A well-formed key of another server (or one deleted since).
      await assert.rejects(signInWithApiKey(http, "3f2b6c1e-9d4a-4b7e-8c21-5a0f9e7d6b43"), kind("apiKeyUnknown"));
    });

    it("refuses a user without the calendar role", async () => {
      const key = await userKey(server, dave.login, dave.password);
      await assert.rejects(signInWithApiKey(http, key.sid), kind("noCalendarRole"));
    });

    it("says 'not BlueMind' for a web page", async () => {
      const page = await startWebPage(404);
      try {
        await assert.rejects(
          signInWithApiKey(new BlueMindHttp({ origin: page.url }), "3f2b6c1e-9d4a-4b7e-8c21-5a0f9e7d6b43"),
          kind("notBlueMind"),
        );
      } finally {
        await page.close();
      }
    });
  });

  describe("the web session", () => {
    it("is null before login and the session's JSON after, in the same cookie jar", async () => {
      const browser = new WebBrowser();
      assert.equal(await readWebSession(server.url, browser.fetch), null);
      const landed = await browser.logIn(`${server.url}/`, carolSso.login, carolSso.idpPassword);
      assert.match(landed.body, new RegExp(carolSso.displayName));
      const session = await readWebSession(server.url, browser.fetch);
      assert.equal(session?.userId, carolSso.uid);
      assert.equal(session?.domain, "sso.test");
      assert.equal(await readWebSession(server.url, new WebBrowser().fetch), null, "another cookie jar has no session");
    });

    it("makes our key, logs its core session out, and the web logout ends the web session", async () => {
      const browser = new WebBrowser();
      await browser.logIn(`${server.url}/`, carolSso.login, carolSso.idpPassword);
      const { sid } = (await readWebSession(server.url, browser.fetch))!;
      const result = await signInWithSession(http, sid, "Thunderbird (test)");
      assert.equal(result.login, carolSso.login);
      assert.deepEqual(
        server.state.apiKeys(carolSso.uid).map((k) => k.displayName),
        ["Thunderbird (test)"],
      );
      await assert.rejects(http.withKey(sid).call("GET", apiPath("auth")), kind("keyRevoked"));
      assert.equal((await http.withKey(result.apiKey.sid).call<{ uid: string }>("GET", apiPath("auth"))).uid, carolSso.uid);
      await endWebSession(server.url, browser.fetch);
      assert.equal(await readWebSession(server.url, browser.fetch), null);
      assert.equal(browser.cookies.size, 0, "the session cookie was cleared");
    });

    it("revokes the key it made for a user without the calendar role", async () => {
      const browser = new WebBrowser();
      await browser.logIn(`${server.url}/`, dave.login, dave.password);
      const { sid } = (await readWebSession(server.url, browser.fetch))!;
      await assert.rejects(signInWithSession(http, sid, "Thunderbird (test)"), kind("noCalendarRole"));
      assert.deepEqual(server.state.apiKeys(dave.uid), []);
    });

    it("a page that is not BlueMind has no /session-infos: 'not BlueMind'", async () => {
      const page = await startWebPage(404);
      try {
        await assert.rejects(readWebSession(page.url, new WebBrowser().fetch), kind("notBlueMind"));
      } finally {
        await page.close();
      }
    });
  });

  describe("the account service", () => {
    let storage: MemoryStorage;
    let secrets: MemorySecrets;
    let calendars: FakeThunderbirdCalendars;

    const makeService = (overrides: Partial<AccountServiceDeps> = {}): AccountService =>
      makeAccountService({ storage, secrets, calendars }, overrides);

    /** A login window whose user logs in on BlueMind's form with these credentials, or closes it. */
    function windowWhereUser(browser: WebBrowser, action: { logIn: [string, string] } | "closes") {
      const opened: string[] = [];
      let closes = 0;
      const openWindow = async (url: string): Promise<LoginWindowHandle> => {
        opened.push(url);
        let close!: () => void;
        const closed = new Promise<void>((resolve) => (close = resolve));
        if (action === "closes") setTimeout(close, 10);
        else await browser.logIn(url, ...action.logIn);
        return {
          closed,
          close: async () => {
            closes++;
            close();
          },
        };
      };
      return { openWindow, opened, closes: () => closes };
    }

    beforeEach(() => {
      storage = new MemoryStorage();
      secrets = new MemorySecrets();
      calendars = new FakeThunderbirdCalendars();
    });

    it("a pasted key: only the key is kept; at sign-out it is not revoked, and the view says so", async () => {
      const key = await userKey(server, alice.login, alice.password);
      const service = makeService();
      await service.start();
      await service.signInWithKey(server.url, key.sid);
      assert.deepEqual([...secrets.entries.values()], [key.sid]);
      assert.ok(!JSON.stringify(storage.data).includes(key.sid), "not in storage.local");
      assert.equal(service.view().keySource, "user");
      assert.equal(calendars.calendars.filter((c) => c.uri.includes("/api/calendars/")).length, 5, "alice's calendars arrived");
      await service.signOut();
      assert.deepEqual(
        server.state.apiKeys(alice.uid).map((k) => k.sid),
        [key.sid],
        "the user's key still exists",
      );
      assert.equal(service.view().userKeyKept, true);
      assert.equal(secrets.entries.size, 0);
    });

    it("the login page: our key made, the web session ended, the window closed; revoked at sign-out", async () => {
      const browser = new WebBrowser();
      const window = windowWhereUser(browser, { logIn: [carolSso.login, carolSso.idpPassword] });
      const service = makeService({
        browser: { openWindow: window.openWindow, fetch: browser.fetch, sleep: () => new Promise((r) => setTimeout(r, 5)) },
      });
      await service.start();
      await service.signInWithBrowser(server.url);
      assert.deepEqual(window.opened, [`${server.url}/`]);
      assert.equal(window.closes(), 1);
      const [key] = server.state.apiKeys(carolSso.uid);
      assert.deepEqual([...secrets.entries.values()], [key?.sid]);
      assert.equal(await readWebSession(server.url, browser.fetch), null, "the web session is over");
      assert.equal([...server.state.sessions.values()].filter((s) => s.subject === carolSso.uid).length, 0, "no core session left");
      assert.equal(service.view().login, carolSso.login);
      assert.equal(service.view().keySource, "addon");
      assert.deepEqual(
        calendars.calendars.map((c) => c.name),
        ["Carol", "My tasks"],
        "her calendar and her default task list",
      );
      await service.signOut();
      assert.deepEqual(server.state.apiKeys(carolSso.uid), [], "our key is revoked");
      assert.equal(service.view().userKeyKept, false);
    });

    it("the login page: a window closed before login says so and keeps nothing", async () => {
      const browser = new WebBrowser();
      const window = windowWhereUser(browser, "closes");
      const service = makeService({
        browser: { openWindow: window.openWindow, fetch: browser.fetch, sleep: () => new Promise((r) => setTimeout(r, 5)) },
      });
      await service.start();
      await assert.rejects(service.signInWithBrowser(server.url), kind("loginWindowClosed"));
      assert.equal(service.view().signedIn, false);
      assert.equal(secrets.entries.size, 0);
    });

    it("the login page: a server that is not BlueMind is refused before any window opens", async () => {
      const page = await startWebPage(200);
      const browser = new WebBrowser();
      const window = windowWhereUser(browser, "closes");
      try {
        const service = makeService({ browser: { openWindow: window.openWindow, fetch: browser.fetch, sleep: () => Promise.resolve() } });
        await service.start();
        await assert.rejects(service.signInWithBrowser(page.url), kind("notBlueMind"));
        assert.deepEqual(window.opened, []);
      } finally {
        await page.close();
      }
    });

    it("an administrator's locked address applies to the key and the login page too", async () => {
      const key = await userKey(server, alice.login, alice.password);
      const browser = new WebBrowser();
      const window = windowWhereUser(browser, "closes");
      const service = makeService({
        serverPolicy: async () => ({ serverUrl: "https://bluemind.example.com", locked: true }),
        browser: { openWindow: window.openWindow, fetch: browser.fetch, sleep: () => Promise.resolve() },
      });
      await service.start();
      await assert.rejects(service.signInWithKey(server.url, key.sid), kind("serverLocked"));
      await assert.rejects(service.signInWithBrowser(server.url), kind("serverLocked"));
      assert.deepEqual(window.opened, []);
    });
  });
});
