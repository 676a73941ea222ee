/**
 * The two ways in for single-sign-on domains, in a real Thunderbird, typed as a user would:
 * a key made in BlueMind pasted into the options page, and "Sign in with your browser", where
 * BlueMind's own login page opens in a Thunderbird window and the user fills its form. After
 * each: the calendars arrive, only the key is in the login manager (nothing in storage.local
 * or prefs.js), and no web session is left open. A key the user made survives sign-out.
 */

import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { apiPath } from "../../src/bluemind/http";
import type { APIKey } from "../../src/bluemind/types";
import { webSession } from "../unit/support/servers";
import { launchThunderbird, type Thunderbird } from "./harness/thunderbird";
import { ADDON_ID, archivesOnlineOnly, assertBuilt, dumpLogOnFailure, ourCalendars, shownText, waitFor, XPI } from "./support/addon";
import { attachToLoginWindow, closeLoginWindows, openLoginWindows } from "./support/login-window";
import { inOrder } from "./support/steps";

const { bob, carolSso } = DEMO.users;

interface StoredLogin {
  origin: string;
  username: string;
  password: string;
}

describe("sign-in with an API key and through BlueMind's login page, in a real Thunderbird", function () {
  this.timeout(120_000);
  const step = inOrder();

  let server: RunningServer;
  let tb: Thunderbird;

  const find = (selector: string) => tb.marionette.findElement(selector);
  const text = (selector: string): Promise<string> => shownText(tb, selector);
  const sessionsOf = (uid: string): number => [...server.state.sessions.values()].filter((s) => s.subject === uid).length;
  const logins = (): Promise<StoredLogin[]> =>
    tb.chrome<StoredLogin[]>(
      `return (await Services.logins.getAllLogins()).map(l => ({ origin: l.origin, username: l.username, password: l.password }));`,
    );

  /** Waits for the options page's sign-in error (by default: for any) and gives it. */
  const signInError = (accept: (t: string) => boolean = (t) => t !== ""): Promise<string> =>
    waitFor("the error", () => text("#sign-in-error"), accept);

  async function type(selector: string, value: string): Promise<void> {
    const input = await find(selector);
    await tb.marionette.clear(input);
    await tb.marionette.sendKeys(input, value);
  }

  /** Only the key is kept: in the login manager, and neither in storage.local nor in prefs.js. */
  async function expectOnlyKeyStored(login: string, key: string): Promise<void> {
    assert.deepEqual(await logins(), [{ origin: server.url, username: login, password: key }]);
    const stored = JSON.stringify(await tb.getStorageLocal(ADDON_ID));
    assert.ok(stored.includes(login), "storage.local holds the account");
    assert.ok(!stored.includes(key), "the key is not in storage.local");
    const prefs = readFileSync(path.join(tb.profileDir, "prefs.js"), "utf8");
    assert.ok(!prefs.includes(key), "the key is not in prefs.js");
  }

  async function signOut(): Promise<void> {
    await tb.openOptionsPage(ADDON_ID);
    await tb.marionette.click(await find("#sign-out"));
    await waitFor(
      "the sign-in form",
      async () => tb.marionette.isDisplayed(await find("#sign-in")),
      (v) => v,
    );
    await waitFor(
      "no BlueMind calendar",
      () => ourCalendars(tb),
      (list) => list.length === 0,
    );
  }

  before(async () => {
    assertBuilt();
    server = await startServer({ port: 0 });
    archivesOnlineOnly(server);
    tb = await launchThunderbird();
    await tb.installAddon(XPI, { temporary: false });
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
  });

  afterEach(dumpLogOnFailure(() => tb));

  step("1. signs in with a key made in BlueMind, pasted into the options page; signing out leaves the key in BlueMind", async () => {
    // bob makes a key in BlueMind's web preferences.
    const web = await webSession(server.url, bob.login, bob.password);
    const key = await web.call<APIKey>("PUT", apiPath("auth", "keys"), { query: { displayName: "Mon Thunderbird" } });
    const bobSessions = sessionsOf(bob.uid);

    await tb.openOptionsPage(ADDON_ID);
    assert.match(await text("#api-key-hint"), /Security › API keys/);
    await type("#server-url", server.url);
    // Pasted the password instead of the key: not a key at all.
    await type("#api-key", bob.password);
    await tb.marionette.click(await find("#api-key-button"));
    assert.match(await signInError(), /not a BlueMind API key/);
    // A key this server never made (another server's).
    await type("#api-key", "3f2b6c1e-9d4a-4b7e-8c21-5a0f9e7d6b43");
    await tb.marionette.click(await find("#api-key-button"));
    assert.match(await signInError((t) => /does not know/.test(t)), /made on another BlueMind server/);

    await type("#api-key", key.sid);
    await tb.marionette.click(await find("#api-key-button"));
    const line = await waitFor(
      "the account line",
      () => text("#account-line"),
      (t) => t.includes(bob.displayName),
    );
    assert.ok(line.includes(bob.login), line);
    assert.match(await text("#user-key-note"), /will not delete it/);
    const calendars = await waitFor(
      "bob's calendars",
      () => ourCalendars(tb),
      (list) => list.length === 2,
    );
    assert.deepEqual(calendars.map((c) => c.name).sort(), ["Bob", "Équipe Bob"]);
    await expectOnlyKeyStored(bob.login, key.sid);
    assert.equal(sessionsOf(bob.uid), bobSessions, "the add-on opened no session of its own");

    await signOut();
    assert.match(await text("#notice"), /still exists in BlueMind/);
    assert.deepEqual(
      server.state.apiKeys(bob.uid).map((k) => k.sid),
      [key.sid],
      "the user's key was not revoked",
    );
    assert.deepEqual(await logins(), [], "the key left the login manager");
  });

  step("2. signs in a single-sign-on user through BlueMind's login page in a Thunderbird window", async () => {
    await tb.openOptionsPage(ADDON_ID);
    // Her password belongs to the identity provider: the password way cannot work.
    await type("#server-url", server.url);
    await type("#login", carolSso.login);
    await type("#password", carolSso.idpPassword);
    await tb.marionette.click(await find("#sign-in-button"));
    assert.ok(await signInError());

    await tb.marionette.click(await find("#browser-sign-in-button"));
    assert.match(
      await waitFor(
        "the waiting line",
        () => text("#browser-sign-in-status"),
        (t) => t !== "",
      ),
      /BlueMind window/,
    );
    // The user logs in on BlueMind's page, in the window Thunderbird opened.
    await attachToLoginWindow(tb, `${server.url}/login/`);
    await tb.marionette.sendKeys(await find("#username"), carolSso.login);
    await tb.marionette.sendKeys(await find("#password"), carolSso.idpPassword);
    await tb.marionette.click(await find("#kc-login"));

    await waitFor(
      "the login window to close",
      () => openLoginWindows(tb),
      (n) => n === 0,
    );
    await tb.openOptionsPage(ADDON_ID);
    const line = await waitFor(
      "the account line",
      () => text("#account-line"),
      (t) => t.includes(carolSso.displayName),
    );
    assert.ok(line.includes(carolSso.login), line);
    assert.equal(await tb.marionette.isDisplayed(await find("#user-key-note")), false);
    const calendars = await waitFor(
      "carol's calendar",
      () => ourCalendars(tb),
      (list) => list.length === 1,
    );
    assert.equal(calendars[0]?.name, "Carol");

    const [key, ...more] = server.state.apiKeys(carolSso.uid);
    assert.ok(key && more.length === 0, "one key, made by the add-on");
    await expectOnlyKeyStored(carolSso.login, key.sid);
    // The web session is over: on the server, and in Thunderbird's cookie jar.
    assert.equal(sessionsOf(carolSso.uid), 0);
    const cookies = await tb.chrome<string[]>(
      `return Services.cookies.getCookiesFromHost(args[0], {}).map(c => c.name);`,
      new URL(server.url).hostname,
    );
    assert.ok(!cookies.includes("OpenIdSession"), `cookies left: ${cookies.join(", ")}`);

    await signOut();
    assert.deepEqual(server.state.apiKeys(carolSso.uid), [], "the add-on's key is revoked at sign-out");
  });

  step("3. says so when the login window is closed before the user logged in", async () => {
    await tb.openOptionsPage(ADDON_ID);
    await type("#server-url", server.url);
    await tb.marionette.click(await find("#browser-sign-in-button"));
    await attachToLoginWindow(tb, `${server.url}/login/`);
    await closeLoginWindows(tb);
    await tb.openOptionsPage(ADDON_ID);
    assert.match(await signInError(), /closed before you logged in/);
    assert.equal(await tb.marionette.isDisplayed(await find("#sign-in")), true);
    assert.deepEqual(await logins(), []);
  });
});
