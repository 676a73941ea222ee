/**
 * Calendar contents in a real Thunderbird: BlueMind's events with the right details, edits
 * made in Thunderbird reaching BlueMind (one occurrence alone too), server changes reaching
 * Thunderbird, offline reading and editing with replay, read-only refusal, Synchronisation
 * switched off with an edit pending, and a restart while offline.
 */

import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import type { BmDateTime, VEventSeries } from "../../src/bluemind/types";
import { calendarUri } from "../../src/sync/calendar-identity";
import { webSession } from "../unit/support/servers";
import type { Thunderbird } from "./harness/thunderbird";
import { ADDON_ID, dumpLogOnFailure, ourCalendars, waitFor } from "./support/addon";
import {
  addEvent,
  applyOperations,
  deleteEvent,
  isWritable,
  pendingOfflineChanges,
  readItems,
  refresh,
  retitle,
  setOffline,
  type TbItem,
} from "./support/calendar-chrome";
import { startSignedIn } from "./support/signed-in";
import { inOrder } from "./support/steps";

const { alice } = DEMO.users;
const C = DEMO.calendars;
const E = DEMO.events;

/** "2026-11-30T09:30:00.000+01:00" -> "20261130T083000Z" (how Thunderbird prints a UTC instant). */
function utc(value: BmDateTime | null | undefined): string {
  assert.ok(value);
  return new Date(value.iso8601)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

const dateOnly = (value: BmDateTime | null | undefined): string => {
  assert.ok(value);
  return value.iso8601.slice(0, 10).replace(/-/g, "");
};

describe("calendar contents in a real Thunderbird", function () {
  this.timeout(180_000);
  const step = inOrder();

  let server: RunningServer;
  let tb: Thunderbird;
  const uri = (uid: string): string => calendarUri(server.url, uid);
  const serverSeries = (calendarUid: string, itemUid: string): VEventSeries | undefined =>
    server.state.calendar(calendarUid)?.get(itemUid)?.value;
  const window = (): { start: string; end: string } => {
    const day = 86_400_000;
    const toIcal = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, "") + "T000000Z";
    return { start: toIcal(Date.now() - 60 * day), end: toIcal(Date.now() + 60 * day) };
  };
  const titled = (items: TbItem[], title: string): TbItem[] => items.filter((i) => i.title === title);

  before(async () => {
    ({ server, tb } = await startSignedIn(alice));
    await waitFor(
      "Alice's events in Thunderbird",
      () => readItems(tb, uri(C.alice.uid)),
      (items) => items.length >= 6,
      60_000,
    );
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
  });

  afterEach(dumpLogOnFailure(() => tb));

  step("1. shows alice's events with the right details", async () => {
    const occurrences = await readItems(tb, uri(C.alice.uid), window());
    // Weekly stand-up (Europe/Paris): one occurrence moved, one cancelled.
    const standup = serverSeries(C.alice.uid, E.weeklyStandup.uid);
    assert.ok(standup?.main && standup.occurrences[0]);
    const standups = titled(occurrences, E.weeklyStandup.summary);
    const movedFrom = utc(standup.occurrences[0].recurid);
    const movedTo = utc(standup.occurrences[0].dtstart);
    const moved = standups.find((i) => i.recurrenceId === movedFrom);
    assert.ok(moved, "the moved occurrence is there");
    assert.equal(moved.start, movedTo);
    assert.equal(moved.location, "Salle Saturne");
    assert.equal(standups.filter((i) => i.start === utc(standup.main?.exdate?.[0])).length, 0, "the cancelled one is gone");
    assert.ok(standups.length >= 4);
    assert.ok(standups.every((i) => i.zone === "Europe/Paris"));
    assert.ok(
      standups.every((i) => i.alarmOffsets.includes(-900)),
      "15-minute reminder",
    );
    // All-day event.
    const leave = serverSeries(C.alice.uid, E.allDayLeave.uid);
    const [leaveItem] = titled(occurrences, E.allDayLeave.summary);
    assert.equal(leaveItem?.allDay, true);
    assert.equal(leaveItem?.start, dateOnly(leave?.main?.dtstart));
    // Europe/Paris and UTC instants.
    const workshop = serverSeries(C.alice.uid, E.clientWorkshop.uid);
    assert.equal(titled(occurrences, E.clientWorkshop.summary)[0]?.start, utc(workshop?.main?.dtstart));
    // America/New_York, in the online-only "Projets" (answered live).
    const newYork = serverSeries(C.projets.uid, E.newYorkCall.uid);
    const projets = await readItems(tb, uri(C.projets.uid), window());
    const [call] = titled(projets, E.newYorkCall.summary);
    assert.equal(call?.start, utc(newYork?.main?.dtstart));
    assert.equal(call?.zone, "America/New_York");
  });

  step("2. sends creations, edits (one occurrence alone) and deletions to BlueMind", async () => {
    const calendar = uri(C.alice.uid);
    const id = randomUUID();
    assert.deepEqual(await addEvent(tb, calendar, { id, title: "Point budget", start: "20261203T100000Z", end: "20261203T110000Z" }), {
      ok: true,
    });
    await waitFor(
      "the event on the server",
      async () => serverSeries(C.alice.uid, id)?.main?.summary,
      (s) => s === "Point budget",
    );

    assert.deepEqual(await retitle(tb, calendar, id, "Point budget 2027"), { ok: true });
    assert.equal(serverSeries(C.alice.uid, id)?.main?.summary, "Point budget 2027");

    const standup = serverSeries(C.alice.uid, E.weeklyStandup.uid);
    assert.ok(standup?.main);
    const weekAgo = new Date(new Date(standup.main.dtstart.iso8601).getTime() + 7 * 86_400_000);
    const occurrence = weekAgo
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    assert.deepEqual(await retitle(tb, calendar, E.weeklyStandup.uid, "Stand-up (exceptionnel)", occurrence), { ok: true });
    const after = serverSeries(C.alice.uid, E.weeklyStandup.uid);
    assert.equal(after?.main?.summary, E.weeklyStandup.summary, "the series keeps its title");
    assert.equal(after?.occurrences.length, 2);
    assert.ok(after?.occurrences.some((o) => o.summary === "Stand-up (exceptionnel)" && utc(o.recurid) === occurrence));

    assert.deepEqual(await deleteEvent(tb, calendar, id), { ok: true });
    assert.equal(serverSeries(C.alice.uid, id), undefined);
  });

  step("3. brings a change made in BlueMind into Thunderbird after a sync", async () => {
    const web = await webSession(server.url, alice.login, alice.password);
    const item = server.state.calendar(C.alice.uid)?.get(E.utcDeploy.uid);
    assert.ok(item?.value.main);
    const changed = structuredClone(item.value);
    changed.main!.summary = "Déploiement production (reporté)";
    await web.call("POST", `/api/calendars/${encodeURIComponent(C.alice.uid)}/${E.utcDeploy.uid}`, { body: changed });
    await refresh(tb, uri(C.alice.uid));
    await waitFor(
      "the new title",
      () => readItems(tb, uri(C.alice.uid)),
      (items) => titled(items, "Déploiement production (reporté)").length === 1,
    );
  });

  step("4. refuses edits on Bob's read-only calendar", async () => {
    await waitFor(
      "Bob's events",
      () => readItems(tb, uri(C.bob.uid)),
      (items) => items.length > 0,
    );
    assert.equal(await isWritable(tb, uri(C.bob.uid)), false);
    const before = server.state.calendarItemCount(C.bob.uid);
    const result = await addEvent(tb, uri(C.bob.uid), {
      id: randomUUID(),
      title: "Intrus",
      start: "20261204T100000Z",
      end: "20261204T110000Z",
    });
    assert.equal(result.ok, false);
    assert.equal(server.state.calendarItemCount(C.bob.uid), before);
  });

  step("5. works offline: synced calendars readable and editable, online-only ones not; edits reach BlueMind back online", async () => {
    const alicesCalendar = uri(C.alice.uid);
    const countBefore = (await readItems(tb, alicesCalendar)).length;
    await setOffline(tb, true);
    try {
      assert.equal((await readItems(tb, alicesCalendar)).length, countBefore);
      assert.deepEqual(await readItems(tb, uri(C.projets.uid), window()), [], "Projets is unavailable offline");
      const id = randomUUID();
      assert.deepEqual(
        await addEvent(tb, alicesCalendar, { id, title: "Écrit hors connexion", start: "20261205T100000Z", end: "20261205T110000Z" }),
        { ok: true },
      );
      assert.deepEqual(await retitle(tb, alicesCalendar, E.clientWorkshop.uid, "Atelier (modifié hors connexion)"), { ok: true });
      assert.equal(await pendingOfflineChanges(tb, alicesCalendar), 2);
      assert.equal(serverSeries(C.alice.uid, id), undefined, "nothing sent while offline");
      // Meanwhile the same workshop is changed in BlueMind's web app: a conflict.
      const web = await webSession(server.url, alice.login, alice.password);
      const workshop = structuredClone(server.state.calendar(C.alice.uid)?.get(E.clientWorkshop.uid)?.value);
      assert.ok(workshop?.main);
      workshop.main.location = "Salle Jupiter (changée sur le web)";
      await web.call("POST", `/api/calendars/${encodeURIComponent(C.alice.uid)}/${E.clientWorkshop.uid}`, { body: workshop });
      await setOffline(tb, false);
      await waitFor(
        "the offline edits on the server",
        async () => [serverSeries(C.alice.uid, id)?.main?.summary, serverSeries(C.alice.uid, E.clientWorkshop.uid)?.main?.summary],
        ([created, modified]) => created === "Écrit hors connexion" && modified === "Atelier (modifié hors connexion)",
      );
      await waitFor(
        "the journal emptied",
        () => pendingOfflineChanges(tb, alicesCalendar),
        (n) => n === 0,
      );
      // The conflict rule: the offline edit won, and the replaced BlueMind version is reported.
      await tb.openOptionsPage(ADDON_ID);
      const reported = await waitFor(
        "the conflict in the options page",
        () => tb.content<string>(`return document.querySelector("#conflict-list").textContent`),
        (t) => t.includes("Atelier (modifié hors connexion)"),
      );
      assert.match(reported, /Alice Martin|A11CE000/);
    } finally {
      await setOffline(tb, false);
    }
  });

  step("5b. offline edits of recurring events reach BlueMind too: a renamed series, a new one, a deleted one", async () => {
    const alicesCalendar = uri(C.alice.uid);
    const weekly = (id: string, title: string, day: string) => ({
      kind: "create" as const,
      id,
      title,
      location: "",
      description: "",
      start: `UTC:${day}T090000`,
      end: `UTC:${day}T100000`,
      rrule: "FREQ=WEEKLY;COUNT=3",
    });
    const doomed = randomUUID();
    assert.deepEqual(await applyOperations(tb, alicesCalendar, [weekly(doomed, "Série à supprimer", "20261207")]), []);
    await waitFor(
      "the series on the server",
      async () => serverSeries(C.alice.uid, doomed)?.main?.rrule?.count,
      (n) => n === 3,
    );
    const created = randomUUID();
    let requestsBefore = server.requests.length;
    await setOffline(tb, true);
    try {
      assert.deepEqual(await retitle(tb, alicesCalendar, E.weeklyStandup.uid, "Stand-up (renommé hors connexion)"), { ok: true });
      assert.deepEqual(
        await applyOperations(tb, alicesCalendar, [
          weekly(created, "Série créée hors connexion", "20261208"),
          { kind: "delete", id: doomed },
        ]),
        [],
      );
      // Thunderbird's storage caches the journal flags of recurring items (see keepJournalFresh).
      assert.equal(await pendingOfflineChanges(tb, alicesCalendar), 3);
      assert.equal(titled(await readItems(tb, alicesCalendar), "Série à supprimer").length, 0, "deleted offline, gone from Thunderbird");
    } finally {
      requestsBefore = server.requests.length;
      await setOffline(tb, false);
    }
    await waitFor(
      "the offline edits on the server",
      async () => [
        serverSeries(C.alice.uid, E.weeklyStandup.uid)?.main?.summary,
        serverSeries(C.alice.uid, created)?.main?.rrule?.count,
        serverSeries(C.alice.uid, doomed),
      ],
      ([standup, count, gone]) => standup === "Stand-up (renommé hors connexion)" && count === 3 && gone === undefined,
    );
    await waitFor(
      "the journal emptied",
      () => pendingOfflineChanges(tb, alicesCalendar),
      (n) => n === 0,
    );
    // Thunderbird's own refresh and ours both replay the journal on reconnecting: one at a time.
    const writes = server.requests
      .slice(requestsBefore)
      .filter((r) => r.method !== "GET" && !r.path.includes("/_") && r.path.startsWith(`/api/calendars/${C.alice.uid}/`));
    assert.equal(writes.length, 3, JSON.stringify(writes));
  });

  step("5c. a recurring event edited offline before a restart is sent once; BlueMind's later change still arrives", async () => {
    const alicesCalendar = uri(C.alice.uid);
    await setOffline(tb, true);
    assert.deepEqual(await retitle(tb, alicesCalendar, E.weeklyStandup.uid, "Stand-up (avant redémarrage)"), { ok: true });
    tb = await tb.restart({ prefs: { "offline.startup_state": 3, "offline.autoDetect": false } });
    await setOffline(tb, false);
    await waitFor(
      "the edit on the server",
      async () => serverSeries(C.alice.uid, E.weeklyStandup.uid)?.main?.summary,
      (t) => t === "Stand-up (avant redémarrage)",
    );
    await waitFor(
      "the journal emptied",
      () => pendingOfflineChanges(tb, alicesCalendar),
      (n) => n === 0,
    );
    // Renamed in BlueMind afterwards: a refresh brings it, instead of sending Thunderbird's copy again.
    const web = await webSession(server.url, alice.login, alice.password);
    const standup = structuredClone(serverSeries(C.alice.uid, E.weeklyStandup.uid));
    assert.ok(standup?.main);
    standup.main.summary = "Stand-up (renommé sur le web)";
    await web.call("POST", `/api/calendars/${encodeURIComponent(C.alice.uid)}/${E.weeklyStandup.uid}`, { body: standup });
    await refresh(tb, alicesCalendar);
    await waitFor(
      "the web's title in Thunderbird",
      () => readItems(tb, alicesCalendar),
      (items) => titled(items, "Stand-up (renommé sur le web)").length === 1,
    );
    assert.equal(serverSeries(C.alice.uid, E.weeklyStandup.uid)?.main?.summary, "Stand-up (renommé sur le web)");
  });

  step("6. switching Synchronisation off with an unsent edit pushes the edit before the mode changes", async () => {
    const alicesCalendar = uri(C.alice.uid);
    const port = new URL(server.url).port;
    const state = server.state;
    await server.close();
    try {
      // The server is unreachable: Thunderbird keeps the edit in its offline journal.
      assert.deepEqual(await retitle(tb, alicesCalendar, E.allDayLeave.uid, "Congé Alice (prolongé)"), { ok: true });
      assert.equal(await pendingOfflineChanges(tb, alicesCalendar), 1);
    } finally {
      server = await startServer({ port: Number(port), state });
    }
    await tb.openOptionsPage(ADDON_ID);
    await tb.marionette.click(await tb.marionette.findElement(`.calendar-row[data-uid="${C.alice.uid}"] input.sync-switch`));
    await waitFor(
      "Alice online-only",
      async () => (await ourCalendars(tb)).find((c) => c.uri === alicesCalendar)?.cacheEnabled,
      (v) => v === false,
    );
    assert.equal(serverSeries(C.alice.uid, E.allDayLeave.uid)?.main?.summary, "Congé Alice (prolongé)", "the edit reached BlueMind first");
    assert.equal(server.state.subscription(alice.uid, C.alice.uid)?.offlineSync, false);
  });

  step("7. after a restart while offline, synced calendars still show their events", async () => {
    const bobs = uri(C.bob.uid);
    const before = await readItems(tb, bobs);
    assert.ok(before.length > 0);
    tb = await tb.restart({ prefs: { "offline.startup_state": 3, "offline.autoDetect": false } });
    assert.equal(await tb.chrome<boolean>("return Services.io.offline;"), true);
    const after = await waitFor(
      "Bob's cached events",
      () => readItems(tb, bobs),
      (items) => items.length === before.length,
      30_000,
    );
    assert.deepEqual(after.map((i) => i.id).sort(), before.map((i) => i.id).sort());
    assert.deepEqual(await readItems(tb, uri(C.projets.uid), window()), [], "online-only calendars show nothing offline");
  });
});
