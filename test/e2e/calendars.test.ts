/**
 * The walking skeleton as a user lives it, in a real headless Thunderbird: install the add-on,
 * sign in as alice through the options page, get one Thunderbird calendar per subscribed
 * BlueMind calendar (synced ⇒ cached, unsynced ⇒ online-only), flip Synchronisation from the
 * options page and from BlueMind's web side, restart, sign out.
 */

import { strict as assert } from "node:assert";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { calendarUri } from "../../src/sync/calendar-identity";
import { webSession } from "../unit/support/servers";
import { launchThunderbird, type Thunderbird } from "./harness/thunderbird";
import {
  ADDON_ID,
  assertBuilt,
  dumpLogOnFailure,
  listCalendars,
  ourCalendars,
  shownTexts,
  waitFor,
  XPI,
  type TbCalendar,
} from "./support/addon";
import { inOrder } from "./support/steps";

const { alice } = DEMO.users;
const C = DEMO.calendars;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Screenshots go to .tmp/screenshots; with UPDATE_SCREENSHOTS=1 they refresh the README's. */
const SCREENSHOTS = path.join(ROOT, process.env["UPDATE_SCREENSHOTS"] ? "docs/screenshots" : ".tmp/screenshots");

describe("walking skeleton in a real Thunderbird", function () {
  this.timeout(120_000);
  const step = inOrder();

  let server: RunningServer;
  let tb: Thunderbird;
  let personalCalendarId: string;
  const uri = (uid: string): string => calendarUri(server.url, uid);
  const byUri = (calendars: TbCalendar[], uid: string): TbCalendar[] => calendars.filter((c) => c.uri === uri(uid));

  const row = (uid: string): string => `.calendar-row[data-uid="${uid}"]`;
  const find = (selector: string) => tb.marionette.findElement(selector);
  /** The text an element shows ("" when hidden; see shownTexts); throws at once when there is none, as findElement does. */
  const text = async (selector: string): Promise<string> => {
    const [shown] = await shownTexts(tb, selector);
    if (shown === undefined) throw new Error(`no element ${selector} on the page`);
    return shown;
  };
  const texts = (selector: string): Promise<string[]> => shownTexts(tb, selector);
  const switchOf = (uid: string) => find(`${row(uid)} input.sync-switch`);

  /** The options page, attached in Marionette's content context. */
  async function openOptions(): Promise<void> {
    await tb.openOptionsPage(ADDON_ID);
  }

  async function expectServerSync(uid: string, offlineSync: boolean): Promise<void> {
    await waitFor(
      `server offlineSync of ${uid} = ${offlineSync}`,
      async () => server.state.subscription(alice.uid, uid)?.offlineSync,
      (v) => v === offlineSync,
    );
  }

  before(async () => {
    assertBuilt();
    server = await startServer({ port: 0 });
    tb = await launchThunderbird();
    // A calendar of the user's own, which the add-on must never touch.
    personalCalendarId = await tb.chrome<string>(`
      const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
      const c = cal.manager.createCalendar("storage", Services.io.newURI("moz-storage-calendar://"));
      c.name = "Perso";
      cal.manager.registerCalendar(c);
      return c.id;
    `);
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
  });

  afterEach(dumpLogOnFailure(() => tb));

  step("1. installs the built add-on and signs in as alice through the options page", async () => {
    const id = await tb.installAddon(XPI, { temporary: false });
    assert.equal(id, ADDON_ID);
    await openOptions();
    await tb.marionette.sendKeys(await find("#server-url"), server.url);
    await tb.marionette.sendKeys(await find("#login"), alice.login);
    await tb.marionette.sendKeys(await find("#password"), alice.password);
    await tb.marionette.click(await find("#sign-in-button"));
    const line = await waitFor(
      "the account line",
      () => text("#account-line").catch(() => ""),
      (t) => t.includes(alice.displayName),
    );
    assert.ok(line.includes(server.url) && line.includes(alice.login), line);
    // The lists mirror BlueMind's, in BlueMind's order.
    assert.deepEqual(await texts("#mine-list .calendar-row .name"), ["Alice", "Archives", "Projets"]);
    assert.deepEqual(await texts("#others-list .calendar-row .name"), ["Bob", "Équipe Bob", "Salles de réunion"]);
    assert.match(await text(`${row(C.bob.uid)} .owner`), /Bob Durand/);
    assert.ok(await text(`${row(C.bob.uid)} .read-only`));
    assert.equal(await tb.marionette.getComputedRole(await switchOf(C.alice.uid)), "switch");
    // Archives' long first sync shows its progress on its row.
    const progress = await waitFor(
      "Archives' sync progress",
      () => text(`${row(C.archives.uid)} .activity`).catch(() => ""),
      (t) => /of 9,500 events/.test(t),
    );
    assert.match(progress, /synchronizing: [\d,]+ of 9,500 events/);
  });

  step("2. gives Thunderbird exactly alice's subscribed, readable calendars, cached where synced", async () => {
    const ours = await waitFor(
      "5 BlueMind calendars",
      () => ourCalendars(tb),
      (list) => list.length === 5,
    );
    const expected = [
      [C.alice.uid, "Alice", true, false, "#3D99FF"],
      [C.projets.uid, "Projets", false, false, "#2EB398"],
      [C.archives.uid, "Archives", true, false, "#8E8E8E"],
      [C.bob.uid, "Bob", true, true, "#F5A623"],
      [C.salles.uid, "Salles de réunion", false, true, "#B065D8"],
    ] as const;
    for (const [uid, name, cached, readOnly, color] of expected) {
      const [calendar, ...duplicates] = byUri(ours, uid);
      assert.ok(calendar, `${name} is in Thunderbird`);
      assert.equal(duplicates.length, 0, `${name} is there once`);
      assert.deepEqual(
        {
          name: calendar.name,
          cache: calendar.cacheEnabled,
          facade: calendar.cachedFacade,
          readOnly: calendar.readOnly,
          color: calendar.color?.toUpperCase(),
        },
        { name, cache: cached, facade: cached, readOnly, color },
        name,
      );
    }
    assert.equal(byUri(ours, C.equipeBob.uid).length, 0, "Équipe Bob is managed but not subscribed");
  });

  step("3. switching 'Salles de réunion' on writes to BlueMind and makes Thunderbird cache it, same URI, no duplicate", async () => {
    const before = byUri(await ourCalendars(tb), C.salles.uid)[0];
    assert.equal(before?.cacheEnabled, false);
    await tb.marionette.click(await switchOf(C.salles.uid));
    await expectServerSync(C.salles.uid, true);
    const after = await waitFor(
      "Salles cached",
      async () => byUri(await ourCalendars(tb), C.salles.uid),
      (list) => list[0]?.cacheEnabled === true,
    );
    assert.equal(after.length, 1);
    assert.equal(after[0]?.cachedFacade, true);
    assert.notEqual(after[0]?.id, before?.id, "Thunderbird re-created it under a new id");
    assert.equal(await tb.marionette.isSelected(await switchOf(C.salles.uid)), true);
  });

  step("3b. a switch flipped while BlueMind cannot be reached is kept, marked as not sent, and sent when BlueMind is back", async () => {
    const port = new URL(server.url).port;
    const state = server.state;
    await server.close();
    try {
      await tb.marionette.click(await switchOf(C.projets.uid));
      const note = await waitFor(
        "the not-sent note",
        () => text(`li[data-uid="${C.projets.uid}"] .queued-note`).catch(() => ""),
        (t) => t !== "",
      );
      assert.match(note, /BlueMind/);
      assert.equal(await tb.marionette.isSelected(await switchOf(C.projets.uid)), true, "the switch shows the wish");
      assert.equal(byUri(await ourCalendars(tb), C.projets.uid)[0]?.cacheEnabled, false, "Thunderbird waits for BlueMind");
    } finally {
      server = await startServer({ port: Number(port), state });
    }
    assert.equal(server.state.subscription(alice.uid, C.projets.uid)?.offlineSync, false);
    await tb.marionette.click(await find("#sync-now"));
    await waitFor(
      "Projets cached",
      async () => byUri(await ourCalendars(tb), C.projets.uid)[0]?.cacheEnabled,
      (v) => v === true,
    );
    assert.equal(server.state.subscription(alice.uid, C.projets.uid)?.offlineSync, true, "BlueMind received the switch");
    await waitFor(
      "the note gone",
      () => text(`li[data-uid="${C.projets.uid}"] .queued-note`).catch(() => ""),
      (t) => t === "",
    );
    // Back as it was, for the next steps.
    await tb.marionette.click(await switchOf(C.projets.uid));
    await waitFor(
      "Projets online-only again",
      async () => byUri(await ourCalendars(tb), C.projets.uid)[0]?.cacheEnabled,
      (v) => v === false,
    );
  });

  step("4. follows a switch turned off in BlueMind's web preferences on 'Synchroniser maintenant'", async () => {
    const web = await webSession(server.url, alice.login, alice.password);
    await web.call("POST", `/api/users/${DEMO.domainUid}/subscriptions/${alice.uid}/_subscribe`, {
      body: [{ containerUid: C.salles.uid, offlineSync: false }],
    });
    await tb.marionette.click(await find("#sync-now"));
    const list = await waitFor(
      "Salles online-only again",
      async () => byUri(await ourCalendars(tb), C.salles.uid),
      (l) => l[0]?.cacheEnabled === false,
    );
    assert.equal(list.length, 1);
    assert.equal(list[0]?.cachedFacade, false);
    await waitFor(
      "the switch off",
      async () => tb.marionette.isSelected(await switchOf(C.salles.uid)),
      (v) => v === false,
    );
    const status = await waitFor(
      "the sync to end",
      () => text("#status"),
      (t) => !/…/.test(t),
    );
    assert.match(status, /\d/);
  });

  step("5. shows BlueMind's warning with the count for Archives (9,500 entries, synced), and only there", async () => {
    const warning = await text(`${row(C.archives.uid)} .size-warning`);
    assert.match(warning, /9[,.\s\u202f\u00a0]?500/);
    assert.equal((await tb.marionette.findElements(".size-warning")).length, 1);
    const shot = await tb.screenshot(path.join(SCREENSHOTS, "options-page.png"));
    assert.ok(shot.endsWith(".png"));
  });

  step("6. after a restart the calendars are the same, with no duplicate", async () => {
    const before = (await ourCalendars(tb)).map((c) => [c.uri, c.name, c.cacheEnabled, c.readOnly]).sort();
    tb = await tb.restart();
    const after = await waitFor(
      "our provider back and the calendars enabled",
      () => ourCalendars(tb),
      (list) => list.length === 5 && list.every((c) => !c.disabled),
    );
    assert.deepEqual(after.map((c) => [c.uri, c.name, c.cacheEnabled, c.readOnly]).sort(), before);
    // The startup reconciliation ran and changed nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await ourCalendars(tb)).length, 5);
  });

  step("7. signing out removes our calendars only and revokes the key on the server", async () => {
    assert.equal(server.state.apiKeys(alice.uid).length, 1);
    await openOptions();
    await tb.marionette.click(await find("#sign-out"));
    await waitFor(
      "the sign-in form",
      async () => tb.marionette.isDisplayed(await find("#sign-in")),
      (v) => v,
    );
    const all = await waitFor(
      "no BlueMind calendar",
      () => listCalendars(tb),
      (list) => list.every((c) => c.type !== "bluemind"),
    );
    assert.ok(
      all.some((c) => c.id === personalCalendarId && c.name === "Perso"),
      "the user's own calendar is untouched",
    );
    assert.deepEqual(server.state.apiKeys(alice.uid), []);
    const logins = await tb.chrome<number>(`return (await Services.logins.getAllLogins()).length;`);
    assert.equal(logins, 0, "the key left the login manager");
  });
});
