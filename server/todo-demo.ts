/**
 * The demo todo lists (issue 12): every user's default list, made as BlueMind's UserTodoListHook
 * makes it (`todolist:default_<uid>`, named `$$mytasks$$`, the user's Write entry, subscribed with
 * offlineSync), alice's second list "Courses" (subscribed, Synchronisation off), and bob's
 * "Tâches de l'équipe" shared with alice Read only. Alice's own tasks are a recurring one, a
 * completed one, and one with a due date and a reminder. Dates are anchored on the demo's `now`.
 */
import { DEFAULT_TODO_LIST_NAME, defaultTodoListUid, type VTodo } from "../src/bluemind/todo-types";
import type { BmDateTime } from "../src/bluemind/types";
import { bmDate, bmDateTime } from "./bmdate";
import { DOMAIN, SSO_DOMAIN, USERS } from "./demo-ids";
import type { ServerState } from "./store";
import { TODOLIST_TYPE } from "./todolist";
import { todoStore } from "./todo-write";
import { utcToWall } from "./tz";

const { alice, bob } = USERS;
const ZONE = "Europe/Paris";
const DAY = 86_400_000;

export const TODO_LISTS = {
  alice: { uid: defaultTodoListUid(alice.uid), name: DEFAULT_TODO_LIST_NAME, owner: alice.uid },
  courses: { uid: "c0a1e5e0-2b7d-4f3a-9c11-70d0115e0001", name: "Courses", owner: alice.uid },
  bob: { uid: defaultTodoListUid(bob.uid), name: DEFAULT_TODO_LIST_NAME, owner: bob.uid },
  equipeBob: { uid: "c0a1e5e0-2b7d-4f3a-9c11-70d0115e0002", name: "Tâches de l'équipe", owner: bob.uid },
} as const;

/** Item uid = VTodo uid for the demo tasks (BlueMind's web app makes both the same UUID). */
export const TASKS = {
  weeklyReport: { uid: "7a5c0000-0000-4000-8000-7a5c00000001", list: TODO_LISTS.alice.uid, summary: "Rapport hebdomadaire" },
  passport: { uid: "7a5c0000-0000-4000-8000-7a5c00000002", list: TODO_LISTS.alice.uid, summary: "Renouveler le passeport" },
  invoice: { uid: "7a5c0000-0000-4000-8000-7a5c00000003", list: TODO_LISTS.alice.uid, summary: "Envoyer la facture" },
  bread: { uid: "7a5c0000-0000-4000-8000-7a5c00000004", list: TODO_LISTS.courses.uid, summary: "Acheter du pain" },
  demo: { uid: "7a5c0000-0000-4000-8000-7a5c00000005", list: TODO_LISTS.equipeBob.uid, summary: "Préparer la démo" },
  client: { uid: "7a5c0000-0000-4000-8000-7a5c00000006", list: TODO_LISTS.bob.uid, summary: "Appeler le client" },
} as const;

/** `days` from now's date, at hh:mm in Paris. */
function paris(now: number, days: number, hour: number, minute = 0): BmDateTime {
  const w = utcToWall(ZONE, now + days * DAY);
  return bmDateTime(ZONE, { ...w, hour, minute, second: 0 });
}

function dateIn(now: number, days: number): BmDateTime {
  const w = utcToWall(ZONE, now + days * DAY);
  return bmDate(w.year, w.month, w.day);
}

/** The Monday of now's week, as days from now. */
function mondayOffset(now: number): number {
  const w = utcToWall(ZONE, now);
  const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  return -((weekday + 6) % 7);
}

export function demoTasks(now: number): { list: string; uid: string; todo: VTodo }[] {
  const monday = mondayOffset(now);
  const t = TASKS;
  return [
    {
      ...t.weeklyReport,
      todo: {
        uid: t.weeklyReport.uid,
        summary: t.weeklyReport.summary,
        description: "<p>Chiffres de la semaine pour l'équipe.</p>",
        dtstart: paris(now, monday - 7, 9),
        due: paris(now, monday - 7, 12),
        rrule: { frequency: "WEEKLY", byDay: [{ day: "MO", offset: 0 }] },
        // Not this week: a bank holiday.
        exdate: [paris(now, monday + 7, 9)],
        status: "NeedsAction",
        percent: 0,
        priority: 5,
        categories: [{ label: "Travail" }],
      },
    },
    {
      ...t.passport,
      todo: {
        uid: t.passport.uid,
        summary: t.passport.summary,
        due: dateIn(now, -5),
        status: "Completed",
        percent: 100,
        completed: paris(now, -3, 10, 30),
        classification: "Private",
      },
    },
    {
      ...t.invoice,
      todo: {
        uid: t.invoice.uid,
        summary: t.invoice.summary,
        location: "Comptabilité",
        due: paris(now, 3, 18),
        // One day before it is due (a task without a start counts from its due date).
        alarm: [{ action: "Display", trigger: -DAY / 1000, description: "Facture à envoyer", duration: null, repeat: null, summary: null }],
        status: "NeedsAction",
        percent: 0,
        priority: 1,
        url: "https://compta.bluemind.test/factures/2026-118",
      },
    },
    { ...t.bread, todo: { uid: t.bread.uid, summary: t.bread.summary, status: "NeedsAction", percent: 0 } },
    {
      ...t.demo,
      todo: {
        uid: t.demo.uid,
        summary: t.demo.summary,
        due: paris(now, 7, 14),
        status: "InProcess",
        percent: 50,
        organizer: { commonName: bob.displayName, mailto: bob.email, dir: `bm://${DOMAIN}/users/${bob.uid}` },
      },
    },
    { ...t.client, todo: { uid: t.client.uid, summary: t.client.summary, due: dateIn(now, 1), status: "NeedsAction", percent: 0 } },
  ];
}

/** Adds the todo lists, subscriptions and tasks to the demo state (users must exist). */
export function addDemoTodoLists(state: ServerState, now: number): void {
  const created = now - 20 * DAY;
  const defaults = Object.values(USERS).map((u) => ({
    user: u.uid,
    domain: "domainUid" in u && u.domainUid === SSO_DOMAIN ? SSO_DOMAIN : DOMAIN,
  }));
  for (const { user, domain } of defaults) {
    const c = state.addContainer({
      uid: defaultTodoListUid(user),
      name: DEFAULT_TODO_LIST_NAME,
      type: TODOLIST_TYPE,
      owner: user,
      domainUid: domain,
      defaultContainer: true,
      acl: [{ subject: user, verb: "Write" }],
    });
    todoStore(state, c);
    state.subscribe(user, c, true);
  }
  const list = (l: (typeof TODO_LISTS)[keyof typeof TODO_LISTS], acl: Parameters<ServerState["addContainer"]>[0]["acl"] = []) => {
    const c = state.addContainer({
      uid: l.uid,
      name: l.name,
      type: TODOLIST_TYPE,
      owner: l.owner,
      domainUid: DOMAIN,
      defaultContainer: false,
      acl,
    });
    todoStore(state, c);
    return c;
  };
  const courses = list(TODO_LISTS.courses);
  const team = list(TODO_LISTS.equipeBob, [{ subject: alice.uid, verb: "Read" }]);
  state.subscribe(alice.uid, courses, false);
  state.subscribe(alice.uid, team, true);
  state.subscribe(bob.uid, team, true);
  for (const { list: listUid, uid, todo } of demoTasks(now)) {
    const owner = state.containers.get(listUid)!.owner;
    todoStore(state, state.containers.get(listUid)!).create(uid, todo, todo.summary ?? null, owner, created);
  }
}
