/**
 * What the options page tells a user, in a real Thunderbird: an online-only calendar says
 * when it was last read (it keeps no copy, so nothing was "synchronized"), a readable calendar
 * not subscribed yet says what switching it on does, and going offline says what that means
 * for each kind of calendar, at once, and goes away when Thunderbird is back online.
 */

import { strict as assert } from "node:assert";
import type { RunningServer } from "../../server/app";
import { DEMO, demoState } from "../../server/demo-data";
import type { Thunderbird } from "./harness/thunderbird";
import { ADDON_ID, dumpLogOnFailure, ourCalendars, shownText, waitFor } from "./support/addon";
import { setOffline } from "./support/calendar-chrome";
import { startSignedIn } from "./support/signed-in";
import { inOrder } from "./support/steps";

const { bob } = DEMO.users;
const C = DEMO.calendars;
const PERSO_UID = "b0b0c0de-0000-4000-8000-00000000perso";

describe("the options page tells the truth, in a real Thunderbird", function () {
  this.timeout(120_000);
  const step = inOrder();

  let server: RunningServer;
  let tb: Thunderbird;
  const row = (uid: string): string => `.calendar-row[data-uid="${uid}"]`;
  const text = (selector: string): Promise<string> => shownText(tb, selector);
  const shown = async (selector: string): Promise<boolean> => tb.marionette.isDisplayed(await tb.marionette.findElement(selector));

  before(async () => {
    const state = demoState();
    // bob reads the meeting rooms live (Synchronisation off), and owns a calendar he never subscribed to.
    state.subscribe(bob.uid, state.containers.get(C.salles.uid)!, false);
    state.addContainer({
      uid: PERSO_UID,
      name: "Bob perso",
      type: "calendar",
      owner: bob.uid,
      domainUid: DEMO.domainUid,
      defaultContainer: false,
    });
    ({ server, tb } = await startSignedIn(bob, state));
    await waitFor(
      "bob's three calendars",
      () => ourCalendars(tb),
      (list) => list.length === 3,
    );
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
  });

  afterEach(dumpLogOnFailure(() => tb));

  step("1. says when an online-only calendar was last read, and when a cached one was synchronized", async () => {
    await tb.openOptionsPage(ADDON_ID);
    assert.match(
      await waitFor(
        "Salles' last read",
        () => text(`${row(C.salles.uid)} .activity`),
        (t) => t !== "",
      ),
      /^last read from BlueMind /,
    );
    assert.match(
      await waitFor(
        "Bob's last sync",
        () => text(`${row(C.bob.uid)} .activity`),
        (t) => /^synchronized /.test(t),
      ),
      /^synchronized /,
    );
    assert.match(await text(`${row(C.salles.uid)} .mode`), /^online only$/);
    assert.match(await text("#status"), /^Last check with BlueMind: /);
    assert.equal(await text(`${row(C.bob.uid)} .switch-text`), "Synchronization");
  });

  step("2. says what switching on a calendar not subscribed yet will do", async () => {
    assert.match(await text(`${row(PERSO_UID)} .not-subscribed`), /not subscribed/);
    assert.match(
      await text(`${row(PERSO_UID)} .subscribe-note`),
      /subscribes you to this calendar in BlueMind and makes it available offline/,
    );
    assert.equal(await text(`${row(C.bob.uid)} .subscribe-note`), "", "subscribed calendars have no such note");
  });

  step("3. offline, says at once what that means for each kind of calendar; back online, the note goes", async () => {
    assert.equal(await shown("#offline-note"), false);
    await setOffline(tb, true);
    try {
      const note = await waitFor(
        "the offline note",
        () => text("#offline-note"),
        (t) => t !== "",
      );
      assert.match(note, /Thunderbird is offline\. Calendars with Synchronization on stay readable and editable/);
      assert.match(note, /Synchronization off are unavailable/);
      assert.match(await text(`${row(C.salles.uid)} .mode`), /unavailable while Thunderbird is offline/);
      assert.match(await text(`${row(C.bob.uid)} .mode`), /^available offline$/);
    } finally {
      await setOffline(tb, false);
    }
    await waitFor(
      "the note gone",
      () => shown("#offline-note"),
      (v) => v === false,
    );
    assert.match(await text(`${row(C.salles.uid)} .mode`), /^online only$/);
  });
});
