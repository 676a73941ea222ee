/**
 * Thunderbird's calendar views follow the connection and each sync, by themselves, in a real
 * Thunderbird, read from what the calendar tab shows (the week view's boxes, the minimonth's
 * dots, the Today pane's agenda): offline, an online-only calendar's events leave at once;
 * back online they return within seconds; a change in BlueMind shows in an open view after a
 * refresh, for an online-only calendar and for a cached one whose sync stored a large block
 * quietly. Nothing here moves the view.
 */

import { strict as assert } from "node:assert";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO, demoState } from "../../server/demo-data";
import type { ServerState } from "../../server/store";
import { seriesDisplayName } from "../../server/store";
import { calendarUri } from "../../src/sync/calendar-identity";
import { launchThunderbird, type Thunderbird } from "./harness/thunderbird";
import { assertBuilt, dumpLogOnFailure, ourCalendars, signInFromOptionsPage, waitFor, XPI, type TbCalendar } from "./support/addon";
import { cachedVersion, refresh, setOffline } from "./support/calendar-chrome";
import { openCalendarTab, shownInCalendarTab, type ShownCalendarView } from "./support/calendar-views";
import { inOrder } from "./support/steps";
import { benchEvents } from "../../tools/bench/events";
import type { RRule } from "../../src/bluemind/types";

const { bob } = DEMO.users;
const C = DEMO.calendars;
const E = DEMO.events;
const HOUR = 3_600_000;
const SALLES = "Salles de réunion";

/** A copy of a fixture event under a new uid and title, `startsIn` ms from now, one hour long (UTC). */
function addCopy(state: ServerState, containerUid: string, fromUid: string, uid: string, summary: string, startsIn: number): void {
  const store = state.calendar(containerUid)!;
  const series = structuredClone(store.get(fromUid)!.value);
  const start = Math.floor((Date.now() + startsIn) / HOUR) * HOUR;
  const utc = (ms: number) => ({ iso8601: new Date(ms).toISOString(), timezone: "UTC", precision: "DateTime" as const });
  series.icsUid = uid;
  series.occurrences = [];
  series.main = { ...series.main!, summary, rrule: null, exdate: null, dtstart: utc(start), dtend: utc(start + HOUR) };
  store.create(uid, series, seriesDisplayName(series), state.containers.get(containerUid)!.owner, Date.now());
}

describe("calendar views follow the connection and each sync, in a real Thunderbird", function () {
  this.timeout(120_000);
  const step = inOrder();

  let server: RunningServer;
  let tb: Thunderbird;
  let salles: TbCalendar;
  const onCalendar = (name: string) => (shown: ShownCalendarView) => shown.events.filter((e) => e.endsWith(` @ ${name}`));

  before(async () => {
    assertBuilt();
    const state = demoState();
    // bob reads the meeting rooms live (Synchronisation off); one booking is tomorrow, for the agenda.
    state.subscribe(bob.uid, state.containers.get(C.salles.uid)!, false);
    addCopy(state, C.salles.uid, E.roomBooking.uid, "view-test-room-tomorrow", "Salle Mars — revue de projet", 24 * HOUR);
    server = await startServer({ port: 0, state });
    tb = await launchThunderbird();
    await tb.installAddon(XPI, { temporary: false });
    await signInFromOptionsPage(tb, server.url, bob.login, bob.password);
    const calendars = await waitFor(
      "bob's three calendars",
      () => ourCalendars(tb),
      (list) => list.length === 3,
    );
    salles = calendars.find((c) => c.name === SALLES)!;
    await openCalendarTab(tb, "week");
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
  });

  afterEach(dumpLogOnFailure(() => tb));

  step(
    "1. offline, the online-only calendar's events leave the week view, the minimonth and the agenda at once; back online they return",
    async () => {
      // Bob's cached calendars first finish their first sync, and the view then stops changing
      // (three reads in a row alike), so the snapshot compared offline is the whole view.
      const cached = (await ourCalendars(tb)).filter((c) => c.cacheEnabled);
      await waitFor(
        "bob's cached calendars synced",
        () => Promise.all(cached.map((c) => cachedVersion(tb, c.uri))),
        (v) => v.every((x) => x !== null),
        60_000,
      );
      const seen: string[] = [];
      const online = await waitFor(
        "the rooms and bob's own events on screen",
        () => shownInCalendarTab(tb),
        (s) =>
          seen.push(JSON.stringify(s)) >= 3 &&
          seen.slice(-3).every((x) => x === seen.at(-1)) &&
          onCalendar(SALLES)(s).length > 0 &&
          onCalendar("Bob")(s).length > 0 &&
          s.agenda.includes("Salle Mars — revue de projet") &&
          // The minimonth asks the calendars on its own, after the week view.
          s.minimonthCalendars.includes(salles.id),
      );
      const cachedEvents = online.events.filter((e) => !e.endsWith(` @ ${SALLES}`));
      assert.ok(cachedEvents.length > 0, "bob's own, cached, events are shown too");

      await setOffline(tb, true);
      try {
        // "At once": within a second, with nothing but the view on screen.
        const offline = await waitFor(
          "the rooms gone",
          () => shownInCalendarTab(tb),
          (s) => onCalendar(SALLES)(s).length === 0,
          1_000,
        );
        assert.ok(!offline.minimonthCalendars.includes(salles.id), "no stale minimonth dot");
        assert.ok(!offline.agenda.includes("Salle Mars — revue de projet"), "no stale agenda entry");
        assert.deepEqual(
          offline.events.filter((e) => !e.endsWith(` @ ${SALLES}`)),
          cachedEvents,
          "the cached calendars stay",
        );
      } finally {
        await setOffline(tb, false);
      }
      const back = await waitFor(
        "the rooms back",
        () => shownInCalendarTab(tb),
        (s) => onCalendar(SALLES)(s).length > 0 && s.minimonthCalendars.includes(salles.id),
        10_000,
      );
      assert.deepEqual(onCalendar(SALLES)(back), onCalendar(SALLES)(online));
      assert.ok(back.agenda.includes("Salle Mars — revue de projet"));
    },
  );

  step("2. a booking added in BlueMind shows in the open view after the online-only calendar's refresh", async () => {
    addCopy(server.state, C.salles.uid, E.roomBooking.uid, "view-test-room-soon", "Salle Vénus — point client", 2 * HOUR);
    await refresh(tb, salles.uri);
    const shown = await waitFor(
      "the new booking",
      () => shownInCalendarTab(tb),
      (s) => s.events.includes(`Salle Vénus — point client @ ${SALLES}`),
      10_000,
    );
    assert.ok(shown.agenda.includes("Salle Vénus — point client"));
  });

  step(
    "3. after the next refresh, a booking renamed in BlueMind shows renamed, a cancelled one is gone, and the unchanged ones stay",
    async () => {
      // The provider holds what it parsed; BlueMind sends again only what changed (QueryAnswer.kept).
      const store = server.state.calendar(C.salles.uid)!;
      const before = onCalendar(SALLES)(await shownInCalendarTab(tb));
      const soon = store.get("view-test-room-soon")!;
      const renamed = { ...soon.value, main: { ...soon.value.main!, summary: "Salle Vénus — point client (déplacé)" } };
      store.update(soon.uid, renamed, seriesDisplayName(renamed), soon.updatedBy ?? "", Date.now());
      store.delete("view-test-room-tomorrow", "bob", Date.now());
      await refresh(tb, salles.uri);
      const shown = await waitFor(
        "the renamed booking, without the cancelled one",
        () => shownInCalendarTab(tb),
        (s) => s.events.includes(`Salle Vénus — point client (déplacé) @ ${SALLES}`) && !s.agenda.includes("Salle Mars — revue de projet"),
        10_000,
      );
      assert.ok(!shown.events.includes(`Salle Vénus — point client @ ${SALLES}`), "the old title is gone");
      const unchanged = before.filter((e) => !e.startsWith("Salle Vénus — point client") && !e.startsWith("Salle Mars — revue de projet"));
      assert.ok(unchanged.length > 0, "bookings BlueMind did not change are on screen");
      assert.deepEqual(
        onCalendar(SALLES)(shown).filter((e) => unchanged.includes(e)),
        unchanged,
        "every unchanged booking stays on screen",
      );
    },
  );

  step("4. a cached calendar's sync of a large block (stored quietly) shows in the open view without moving it", async () => {
    // 120 new events: more than a quiet block's threshold (100), so no per-item notification.
    for (let i = 0; i < 120; i++) {
      addCopy(
        server.state,
        C.bob.uid,
        E.bobLunch.uid,
        `view-test-bulk-${i}`,
        `Atelier ${String(i).padStart(3, "0")}`,
        HOUR + (i % 24) * HOUR,
      );
    }
    await refresh(tb, calendarUri(server.url, C.bob.uid));
    const shown = await waitFor(
      "the new events in the week view",
      () => shownInCalendarTab(tb),
      (s) => s.events.some((e) => e.startsWith("Atelier ")),
      20_000,
    );
    assert.ok(shown.events.filter((e) => /^Atelier \d{3} @ Bob$/.test(e)).length >= 1);
    assert.equal(shown.type, "week");
  });

  step("5. an online-only calendar's recurring series show the occurrences Thunderbird's own expansion gives, month by month", async () => {
    // online-reads.js expands an online-only calendar's series itself (occurrences.js,
    // rule-dates.ts); Thunderbird's own expansion of the same parsed series is the oracle.
    // The bench's series (weekly and monthly, COUNT or UNTIL, EXDATEs, moved occurrences,
    // other zones) and rules the wall-clock path leaves to Thunderbird.
    const store = server.state.calendar(C.salles.uid)!;
    const owner = server.state.containers.get(C.salles.uid)!.owner;
    const series = benchEvents(600, { name: "Bob", email: bob.email })
      .filter((e) => e.kind === "recurring" || e.kind === "otherZone")
      .map((e) => e.series);
    const variants: RRule[] = [
      {
        frequency: "WEEKLY",
        interval: 2,
        byDay: [
          { day: "MO", offset: 0 },
          { day: "TH", offset: 0 },
        ],
        count: null,
        until: null,
      },
      { frequency: "MONTHLY", byMonthDay: [31], count: 12, until: null },
      { frequency: "DAILY", byHour: [9, 14], count: 40, until: null },
      { frequency: "MONTHLY", byDay: [{ day: "TU", offset: -1 }], count: null, until: null },
      { frequency: "YEARLY", count: 5, until: null },
    ];
    variants.forEach((rrule, i) => {
      const copy = structuredClone(series[i]!);
      copy.main = { ...copy.main!, rrule, exdate: null, summary: `Variante ${i}` };
      copy.occurrences = [];
      series.push(copy);
    });
    // Weekly on today's weekday since eight weeks ago, unbounded: on screen in this week's view.
    const weekly = structuredClone(series[0]!);
    const first = Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR - 56 * 24 * HOUR + 9 * HOUR;
    const paris = (ms: number) => ({ iso8601: new Date(ms).toISOString(), timezone: "Europe/Paris", precision: "DateTime" as const });
    const today = (["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const)[new Date(first).getUTCDay()]!;
    weekly.main = {
      ...weekly.main!,
      summary: "Variante hebdo",
      dtstart: paris(first),
      dtend: paris(first + HOUR),
      exdate: null,
      rrule: { frequency: "WEEKLY", byDay: [{ day: today, offset: 0 }], count: null, until: null },
    };
    weekly.occurrences = [];
    series.push(weekly);
    series.forEach((one, i) => {
      const uid = `view-test-series-${i}`;
      const copy = { ...one, icsUid: uid };
      store.create(uid, copy, seriesDisplayName(copy), owner, Date.now());
    });
    await refresh(tb, salles.uri);
    // The open week view shows this week's occurrence of the weekly series that began eight
    // weeks ago (the refresh's reread of the ranges on screen, online-reads.js reloadShown).
    const thisWeek = await waitFor(
      "this week's occurrences in the week view",
      () => shownInCalendarTab(tb),
      (s) => s.events.includes(`Variante hebdo @ ${SALLES}`),
      10_000,
    );
    assert.equal(thisWeek.type, "week");
    const months = await tb.chrome<{ month: string; ours: string[]; theirs: string[] }[]>(
      `const [id] = args;
        const calendar = cal.manager.getCalendarById(id);
        const filter = Ci.calICalendar.ITEM_FILTER_TYPE_EVENT | Ci.calICalendar.ITEM_FILTER_CLASS_OCCURRENCES;
        const key = (i) => [i.parentItem.id, i.recurrenceId?.icalString ?? "", i.recurrenceId?.timezone.tzid ?? "",
          i.startDate.icalString, i.startDate.timezone.tzid, i.endDate.icalString, i.title].join(" ");
        const out = [];
        const now = cal.dtz.now();
        for (let m = -3; m <= 12; m++) {
          const start = cal.createDateTime(); start.resetTo(now.year, now.month + m, 1, 0, 0, 0, cal.dtz.defaultTimezone);
          const end = start.clone(); end.month += 1;
          const ours = (await calendar.getItemsAsArray(filter, 0, start, end)).filter((i) => i.parentItem.recurrenceInfo);
          const answer = await calendar.wrappedJSObject.queryRange(start, end);
          const theirs = (await answer.memory.getItemsAsArray(filter, 0, start, end))
            .filter((i) => answer.ids.has(i.parentItem.id) && i.parentItem.recurrenceInfo);
          out.push({ month: start.icalString, ours: ours.map(key).sort(), theirs: theirs.map(key).sort() });
        }
        return out;`,
      salles.id,
    );
    let occurrences = 0;
    for (const { month, ours, theirs } of months) {
      assert.deepEqual(ours, theirs, `the occurrences of ${month}`);
      occurrences += ours.length;
    }
    assert.ok(occurrences > 500, `${occurrences} occurrences compared`);
    for (let i = 0; i < variants.length; i++) {
      assert.ok(
        months.some((m) => m.ours.some((k) => k.endsWith(` Variante ${i}`))),
        `the rule ${JSON.stringify(variants[i])} has occurrences`,
      );
    }
  });

  step(
    "6. an invitation in a sync's last block counts in Thunderbird's invitations panel, though the panel was asked mid-sync",
    async () => {
      // Thunderbird's invitations manager asks the calendar behind the cache directly; online-reads.js
      // answers such a query made during a sync once the sync is stored (its answer would miss the
      // blocks to come). 1,400 new events (three blocks), the invitation from alice created last.
      const uri = calendarUri(server.url, C.bob.uid);
      const label = () =>
        tb.chrome<string | null>(`
        const doc = Services.wm.getMostRecentWindow("mail:3pane").document;
        return doc.getElementById("calendar-invitations-panel").hidden ? null : doc.getElementById("calendar-invitations-label").value;`);
      await tb.chrome(`Services.wm.getMostRecentWindow("mail:3pane").rescheduleInvitationsUpdate(0);`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const before = await label();
      const count = (text: string | null) => Number(/\d+/.exec(text ?? "")?.[0] ?? 0);
      const FILL = 1400;
      for (let i = 0; i < FILL; i++) {
        addCopy(server.state, C.bob.uid, E.bobLunch.uid, `view-test-fill-${i}`, `Créneau ${i}`, 2 * HOUR + (i % 300) * HOUR);
      }
      const store = server.state.calendar(C.bob.uid)!;
      const invitation = structuredClone(server.state.calendar(C.alice.uid)!.get(DEMO.meetings.bobInvitesAlice.uid)!.value);
      const main = invitation.main!;
      const invitee = main.attendees!.find((a) => a.mailto === DEMO.users.alice.email)!;
      invitation.icsUid = "view-test-invitation";
      main.summary = "Point d'équipe (invitation d'Alice)";
      main.organizer = { uri: null, commonName: DEMO.users.alice.displayName, mailto: DEMO.users.alice.email, dir: invitee.dir };
      main.attendees = [
        { ...invitee, commonName: bob.displayName, mailto: bob.email, dir: invitee.dir?.replace(DEMO.users.alice.uid, bob.uid) ?? null },
      ];
      store.create(invitation.icsUid, invitation, seriesDisplayName(invitation), DEMO.users.alice.uid, Date.now());

      const asked = await tb.chrome<{ held: number; total: number }>(
        `const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
      const calendar = cal.manager.getCalendars().find((c) => c.uri.spec == args[0]);
      const storage = calendar.getProperty("cache.uncachedCalendar").wrappedJSObject.mOfflineStorage;
      const held = () => storage.getAllMetaDataIds().length;
      const start = held();
      calendar.refresh();
      // Asked as soon as the sync's first block is stored, as the manager's timer may.
      const until = Date.now() + 60000;
      while (held() < start + 500 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      const now = held();
      Services.wm.getMostRecentWindow("mail:3pane").rescheduleInvitationsUpdate(0);
      return { held: now - start, total: args[1] };`,
        uri,
        FILL + 1, // the invitation too
      );
      assert.ok(asked.held >= 500 && asked.held < asked.total, `asked mid-sync: ${asked.held} of ${asked.total} new items stored`);
      const shown = await waitFor("the invitations panel", label, (text) => count(text) === count(before) + 1, 30_000);
      assert.match(shown!, new RegExp(`${count(before) + 1}`));
    },
  );
});
