/**
 * BlueMind tasks in a real Thunderbird (issue 12): alice's « Mes listes de tâches » / « Autres
 * listes de tâches » in the options page; one task calendar per subscribed, readable todo list
 * (cached where Synchronisation is on, online-only where it is off, events not allowed there);
 * her tasks in Thunderbird's Tasks tab with their details; ticking a task there makes it
 * Completed in BlueMind, unticking reopens it; a task created and one edited offline reach
 * BlueMind when back online; switching a list's Synchronisation changes its mode under the
 * same URI, with no duplicate; bob's list, shared Read only, refuses edits.
 */

import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import type { RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import type { VTodo } from "../../src/bluemind/todo-types";
import type { BmDateTime } from "../../src/bluemind/types";
import { calendarUri } from "../../src/sync/calendar-identity";
import type { Thunderbird } from "./harness/thunderbird";
import { ADDON_ID, dumpLogOnFailure, ourCalendars, ourTodoLists, shownTexts, type TbCalendar, waitFor } from "./support/addon";
import { pendingOfflineChanges, setOffline } from "./support/calendar-chrome";
import { addTask, capabilities, changeTask, deleteTask, openTasksTab, readTasks, shownTasks, tickInTaskTree } from "./support/task-chrome";
import { startSignedIn } from "./support/signed-in";
import { inOrder } from "./support/steps";

const { alice, bob } = DEMO.users;
const L = DEMO.todoLists;
const T = DEMO.tasks;

/** "2026-12-04T18:00:00.000+01:00" -> "20261204T170000Z"; a date stays a DATE. */
function ical(value: BmDateTime | null | undefined): string | null {
  if (!value) return null;
  if (value.precision === "Date") return value.iso8601.replace(/-/g, "");
  return new Date(value.iso8601)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

describe("BlueMind tasks in a real Thunderbird", function () {
  this.timeout(180_000);
  const step = inOrder();

  let server: RunningServer;
  let tb: Thunderbird;
  const uri = (uid: string): string => calendarUri(server.url, uid, "todolist");
  const task = (list: string, uid: string): VTodo | undefined => server.state.stores.get(list)?.get(uid)?.value as VTodo | undefined;
  const byUri = (lists: TbCalendar[], uid: string): TbCalendar[] => lists.filter((c) => c.uri === uri(uid));
  const texts = (selector: string): Promise<string[]> => shownTexts(tb, selector);

  before(async () => {
    ({ server, tb } = await startSignedIn(alice));
    await waitFor(
      "alice's tasks in Thunderbird",
      () => readTasks(tb, uri(L.alice.uid)).catch(() => []),
      (tasks) => tasks.length === 3,
      60_000,
    );
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
  });

  afterEach(dumpLogOnFailure(() => tb));

  step("1. the options page shows her two task lists and the one bob shares, as BlueMind's preferences do", async () => {
    await tb.openOptionsPage(ADDON_ID);
    await waitFor(
      "the task lists",
      () => texts("#my-todo-list .calendar-row .name"),
      (names) => names.length === 2,
    );
    // Her default list first, shown as BlueMind shows `$$mytasks$$`.
    assert.deepEqual(await texts("#my-todo-list .calendar-row .name"), ["My tasks", "Courses"]);
    assert.deepEqual(await texts("#other-todo-list .calendar-row .name"), ["Tâches de l'équipe"]);
    assert.deepEqual(await texts("#my-todo-title, #other-todo-title"), ["My task lists", "Other task lists"]);
    const row = (uid: string): string => `.calendar-row[data-uid="${uid}"]`;
    const on = async (uid: string) => tb.marionette.isSelected(await tb.marionette.findElement(`${row(uid)} input.sync-switch`));
    assert.deepEqual([await on(L.alice.uid), await on(L.courses.uid), await on(L.equipeBob.uid)], [true, false, true]);
    assert.match((await texts(`${row(L.equipeBob.uid)} .owner`))[0] ?? "", /Bob Durand/);
    assert.equal((await texts(`${row(L.equipeBob.uid)} .read-only`)).length, 1, "read-only without Write");
    assert.deepEqual(await texts(`${row(L.alice.uid)} .count`), ["3 tasks"]);
    // The calendars' lists are as they were.
    assert.deepEqual(await texts("#mine-list .calendar-row .name"), ["Alice", "Archives", "Projets"]);
  });

  step("2. one task calendar per subscribed list: cached where synced, online-only where not, tasks only", async () => {
    const lists = await waitFor(
      "3 task calendars",
      () => ourTodoLists(tb),
      (l) => l.length === 3,
    );
    const expected = [
      [L.alice.uid, "My tasks", true, false],
      [L.courses.uid, "Courses", false, false],
      [L.equipeBob.uid, "Tâches de l'équipe", true, true],
    ] as const;
    for (const [uid, name, cached, readOnly] of expected) {
      const [calendar, ...duplicates] = byUri(lists, uid);
      assert.ok(calendar, name);
      assert.equal(duplicates.length, 0);
      assert.deepEqual(
        { name: calendar.name, cached: calendar.cachedFacade, readOnly: calendar.readOnly },
        { name, cached, readOnly },
        name,
      );
    }
    assert.deepEqual(await capabilities(tb, uri(L.alice.uid)), { events: false, tasks: true, writable: true });
    const [anyCalendar] = await ourCalendars(tb);
    assert.ok(anyCalendar);
    const calendarCaps = await capabilities(tb, anyCalendar.uri);
    assert.deepEqual([calendarCaps.events, calendarCaps.tasks], [true, false], "a BlueMind calendar holds events only");
  });

  step("3. Thunderbird's Tasks tab shows her tasks with BlueMind's details, from all three lists", async () => {
    await openTasksTab(tb);
    // Her three, the online-only list's one and bob's shared one (not bob's own list).
    const shown = await waitFor(
      "the task tree",
      () => shownTasks(tb),
      (rows) => rows.length === 5,
    );
    // The tab asks every calendar for its tasks, with no date range: 'Archives' (online-only
    // here, 9,500 events) answers that it has none without reading all its events from BlueMind.
    const archives = calendarUri(server.url, DEMO.calendars.archives.uid);
    const asked = server.requestCount();
    const tasksInArchives = await tb.chrome<number>(
      `const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
      const calendar = cal.manager.getCalendars().find(c => c.uri.spec == args[0]);
      const filter = Ci.calICalendar.ITEM_FILTER_TYPE_TODO | Ci.calICalendar.ITEM_FILTER_COMPLETED_ALL;
      return (await calendar.getItemsAsArray(filter, 0, null, null)).length;`,
      archives,
    );
    assert.equal(tasksInArchives, 0);
    assert.deepEqual(
      server.requests.slice(asked).filter((r) => r.path.includes(DEMO.calendars.archives.uid)),
      [],
      "no request for it",
    );
    const get = (title: string) => {
      const found = shown.find((t) => t.title === title);
      assert.ok(found, `${title} in ${shown.map((t) => t.title).join(", ")}`);
      return found;
    };
    const weekly = get(T.weeklyReport.summary);
    assert.equal(weekly.recurring, true);
    assert.equal(weekly.entry, ical(task(L.alice.uid, T.weeklyReport.uid)?.dtstart));
    const passport = get(T.passport.summary);
    assert.deepEqual(
      [passport.isCompleted, passport.percent, passport.completed],
      [true, 100, ical(task(L.alice.uid, T.passport.uid)?.completed)],
    );
    const invoice = get(T.invoice.summary);
    assert.equal(invoice.due, ical(task(L.alice.uid, T.invoice.uid)?.due));
    assert.deepEqual(invoice.alarms, [{ offset: -86400, related: "END" }], "one day before it is due");
    assert.deepEqual([invoice.priority, invoice.location, invoice.isCompleted], [1, "Comptabilité", false]);
    assert.equal(get(T.bread.summary).calendar, "Courses", "the online-only list is read live");
    assert.deepEqual([get(T.demo.summary).percent, get(T.demo.summary).calendar], [50, "Tâches de l'équipe"]);
  });

  step("4. ticking a task in the task tree makes it Completed in BlueMind; unticking reopens it", async () => {
    assert.deepEqual(await tickInTaskTree(tb, T.invoice.summary), { ok: true });
    const done = await waitFor(
      "Completed in BlueMind",
      async () => task(L.alice.uid, T.invoice.uid),
      (t) => t?.status === "Completed",
    );
    assert.equal(done?.percent, 100);
    assert.ok(done?.completed, "with its completed date");
    await waitFor(
      "ticked in Thunderbird",
      () => shownTasks(tb),
      (rows) => rows.find((t) => t.title === T.invoice.summary)?.isCompleted === true,
    );
    assert.deepEqual(await tickInTaskTree(tb, T.invoice.summary), { ok: true });
    const reopened = await waitFor(
      "reopened in BlueMind",
      async () => task(L.alice.uid, T.invoice.uid),
      (t) => t?.status !== "Completed",
    );
    assert.deepEqual([reopened?.completed ?? null, reopened?.percent], [null, 0]);
    assert.equal(reopened?.alarm?.[0]?.trigger, -86400, "what was not edited stays");
  });

  step("5. a task created, one edited and one deleted offline reach BlueMind when back online", async () => {
    const mine = uri(L.alice.uid);
    const created = randomUUID();
    assert.deepEqual(await addTask(tb, mine, created, { title: "Appeler la banque" }), { ok: true });
    await waitFor(
      "the new task in BlueMind",
      async () => task(L.alice.uid, created)?.summary,
      (s) => s === "Appeler la banque",
    );
    await setOffline(tb, true);
    try {
      assert.deepEqual(await changeTask(tb, mine, T.invoice.uid, { title: "Envoyer la facture (relance)", percent: 40 }), { ok: true });
      const offline = randomUUID();
      assert.deepEqual(await addTask(tb, mine, offline, { title: "Écrite hors connexion", due: "20261224" }), { ok: true });
      assert.deepEqual(await deleteTask(tb, mine, created), { ok: true });
      assert.equal(await pendingOfflineChanges(tb, mine), 3);
      assert.equal(task(L.alice.uid, T.invoice.uid)?.summary, T.invoice.summary, "nothing sent while offline");
      await setOffline(tb, false);
      await waitFor(
        "the offline edits in BlueMind",
        async () => [task(L.alice.uid, T.invoice.uid), task(L.alice.uid, offline), task(L.alice.uid, created)],
        ([edited, added, deleted]) =>
          edited?.summary === "Envoyer la facture (relance)" &&
          edited.percent === 40 &&
          edited.status !== "Completed" &&
          added?.due?.iso8601 === "2026-12-24" &&
          deleted === undefined,
      );
      await waitFor(
        "the journal emptied",
        () => pendingOfflineChanges(tb, mine),
        (n) => n === 0,
      );
    } finally {
      await setOffline(tb, false);
    }
  });

  step("6. switching a list's Synchronisation changes its mode, same URI, no duplicate, tasks still there", async () => {
    const before = byUri(await ourTodoLists(tb), L.courses.uid)[0];
    assert.equal(before?.cachedFacade, false);
    await tb.openOptionsPage(ADDON_ID);
    const toggle = async () =>
      tb.marionette.click(await tb.marionette.findElement(`.calendar-row[data-uid="${L.courses.uid}"] input.sync-switch`));
    await toggle();
    await waitFor(
      "Synchronisation on in BlueMind",
      async () => server.state.subscription(alice.uid, L.courses.uid)?.offlineSync,
      (v) => v === true,
    );
    const cached = await waitFor(
      "Courses cached",
      async () => byUri(await ourTodoLists(tb), L.courses.uid),
      (l) => l[0]?.cachedFacade === true,
    );
    assert.equal(cached.length, 1);
    assert.notEqual(cached[0]?.id, before?.id, "re-created under a new id, the same URI");
    await waitFor(
      "its task in the cache",
      () => readTasks(tb, uri(L.courses.uid)),
      (tasks) => tasks.some((t) => t.title === T.bread.summary),
    );
    await toggle();
    const online = await waitFor(
      "Courses online-only again",
      async () => byUri(await ourTodoLists(tb), L.courses.uid),
      (l) => l[0]?.cachedFacade === false,
    );
    assert.equal(online.length, 1);
    assert.equal(server.state.subscription(alice.uid, L.courses.uid)?.offlineSync, false);
  });

  step("7. bob's list, shared Read only, refuses edits: read-only in Thunderbird, BlueMind unchanged", async () => {
    const team = uri(L.equipeBob.uid);
    assert.equal((await capabilities(tb, team)).writable, false);
    const outcome = await changeTask(tb, team, T.demo.uid, { title: "Modifiée par alice" });
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    assert.equal(task(L.equipeBob.uid, T.demo.uid)?.summary, T.demo.summary);
    assert.equal(task(L.equipeBob.uid, T.demo.uid)?.organizer?.mailto, bob.email);
    const back = await waitFor(
      "Thunderbird shows BlueMind's version",
      () => readTasks(tb, team),
      (tasks) => tasks.some((t) => t.title === T.demo.summary),
    );
    assert.ok(!back.some((t) => t.title === "Modifiée par alice"));
  });
});
