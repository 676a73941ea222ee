/**
 * Hostile server strings and secrets, in a real Thunderbird: calendar names, owner names and
 * event fields carrying HTML and script, right-to-left overrides, 10,000 characters and
 * control characters must render as inert text; the API key must live only in the login
 * manager (not in storage.local, not in prefs.js), and the password nowhere.
 */

import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunningServer } from "../../server/app";
import { DEMO, demoState } from "../../server/demo-data";
import { calendarUri } from "../../src/sync/calendar-identity";
import type { Thunderbird } from "./harness/thunderbird";
import { ADDON_ID, dumpLogOnFailure, ourCalendars, waitFor } from "./support/addon";
import { readItems } from "./support/calendar-chrome";
import { startSignedIn } from "./support/signed-in";
import { inOrder } from "./support/steps";

const { alice, bob } = DEMO.users;
const C = DEMO.calendars;
const E = DEMO.events;

const SCRIPT_NAME = `<img src=x onerror="document.body.dataset.pwned='1'"><script>document.body.dataset.pwned='2'</script>Alice`;
const RTL_NAME = "\u202Eexe.stejorP مشاريع";
const LONG_NAME = "Archives ".repeat(1200).trim();
const OWNER_NAME = "Bob <b>Durand</b>\u0007\u0000";
const EVENT_TITLE = `<a href="javascript:alert(1)">Stand-up</a>`;

describe("hostile strings and secrets in a real Thunderbird", function () {
  this.timeout(120_000);
  const step = inOrder();

  let server: RunningServer;
  let tb: Thunderbird;

  before(async () => {
    const state = demoState();
    state.containers.get(C.alice.uid)!.name = SCRIPT_NAME;
    state.containers.get(C.projets.uid)!.name = RTL_NAME;
    state.containers.get(C.archives.uid)!.name = LONG_NAME;
    state.users.get(bob.uid)!.displayName = OWNER_NAME;
    state.directory.get(bob.uid)!.displayName = OWNER_NAME;
    const standup = state.calendar(C.alice.uid)!.get(E.weeklyStandup.uid)!;
    standup.value.main!.summary = EVENT_TITLE;
    ({ server, tb } = await startSignedIn(alice, state));
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
  });

  afterEach(dumpLogOnFailure(() => tb));

  step("renders server strings in the options page as text, never as markup", async () => {
    const page = await tb.content<{ names: string[]; owners: string[]; injected: number; pwned: string | null }>(`
      return {
        names: [...document.querySelectorAll(".calendar-row .name")].map(e => e.textContent),
        owners: [...document.querySelectorAll(".calendar-row .owner")].map(e => e.textContent),
        injected: document.querySelectorAll("#account img, #account script, #account b, #account a").length,
        pwned: document.body.dataset.pwned ?? null,
      };`);
    assert.equal(page.injected, 0, "no element came from a server string");
    assert.equal(page.pwned, null, "no script ran");
    assert.ok(page.names.includes(SCRIPT_NAME));
    assert.ok(page.names.includes(RTL_NAME));
    assert.ok(page.names.includes(LONG_NAME));
    assert.ok(page.owners.some((owner) => owner.includes("Bob <b>Durand</b>")));
    // The long name wraps inside the page instead of widening it.
    const overflow = await tb.content<boolean>(`return document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;`);
    assert.equal(overflow, false);
  });

  step("gives Thunderbird the names as plain text, cleaned of control characters and shortened", async () => {
    const ours = await waitFor(
      "5 calendars",
      () => ourCalendars(tb),
      (list) => list.length === 5,
    );
    const name = (uid: string) => ours.find((c) => c.uri === calendarUri(server.url, uid))?.name;
    assert.equal(name(C.alice.uid), SCRIPT_NAME);
    assert.equal(name(C.projets.uid), RTL_NAME);
    assert.equal([...(name(C.archives.uid) ?? "")].length, 200);
    const items = await waitFor(
      "Alice's events",
      () => readItems(tb, calendarUri(server.url, C.alice.uid)),
      (list) => list.length >= 6,
      60_000,
    );
    assert.ok(
      items.some((item) => item.title === EVENT_TITLE),
      "the event title is kept as text",
    );
  });

  step("keeps the API key only in the login manager, and the password nowhere", async () => {
    const [key] = server.state.apiKeys(alice.uid);
    assert.ok(key);
    const logins = await tb.chrome<{ origin: string; username: string; password: string }[]>(
      `return (await Services.logins.getAllLogins()).map(l => ({ origin: l.origin, username: l.username, password: l.password }));`,
    );
    assert.deepEqual(logins, [{ origin: server.url, username: alice.login, password: key.sid }]);
    const stored = JSON.stringify(await tb.getStorageLocal(ADDON_ID));
    assert.ok(stored.includes(alice.login), "storage.local holds the account");
    assert.ok(!stored.includes(key.sid), "but not the key");
    assert.ok(!stored.includes(JSON.stringify(alice.password)), "nor the password");
    await tb.chrome(`Services.prefs.savePrefFile(null);`);
    const prefs = readFileSync(path.join(tb.profileDir, "prefs.js"), "utf8");
    assert.ok(prefs.includes("bluemind"), "prefs.js was read");
    assert.ok(!prefs.includes(key.sid));
  });
});
