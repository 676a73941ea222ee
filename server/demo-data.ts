/**
 * The demo directory every test and `npm start` runs against: domain bluemind.test (INTERNAL)
 * with users alice/bob/carol, their calendars, ACLs, subscriptions, alice's colours, the
 * fixture events and 9,500 archived events, their todo lists and tasks (todo-demo.ts); dave (bluemind.test, without the calendar role);
 * and domain sso.test (OPENID, single sign-on) with carol@sso.test, whose password only the
 * web login (standing for the identity provider) knows. `DEMO` names everything a test needs.
 */
import { addCalendar, type CalendarExtra } from "./demo-calendars";
import { bulkEvents } from "./events-bulk";
import { EVENTS, fixtureEvents, NEW_YORK_ICS_UID } from "./events-fixture";
import { ALICE_COLORS, ARCHIVES_EVENT_COUNT, CALENDARS, DOMAIN, DOMAINS, SSO_DOMAIN, USERS } from "./demo-ids";
import { addDemoMeetings, MEETINGS, RESOURCE_CALENDARS, RESOURCES } from "./demo-meetings";
import { seriesDisplayName, ServerState } from "./store";
import { addDemoTodoLists, TASKS, TODO_LISTS } from "./todo-demo";
import { WEB_LOGIN } from "./web-login";

export const DEMO = {
  /** The default domain (INTERNAL). */
  domainUid: DOMAIN,
  /** The single-sign-on domain (OPENID). */
  ssoDomainUid: SSO_DOMAIN,
  domains: DOMAINS,
  /** alice, bob, carol (expired password), dave (no calendar role): bluemind.test; carolSso: sso.test. */
  users: USERS,
  calendars: CALENDARS,
  /** Alice's personal bm_color per calendar uid. */
  colors: ALICE_COLORS,
  archivesEventCount: ARCHIVES_EVENT_COUNT,
  events: EVENTS,
  newYorkIcsUid: NEW_YORK_ICS_UID,
  /** Paths and cookie of the web login (web-login.ts). */
  web: WEB_LOGIN,
  /** Bookable resources ("Salle Jupiter"), their calendars, and the invitation waiting for alice (demo-meetings.ts). */
  resources: RESOURCES,
  resourceCalendars: RESOURCE_CALENDARS,
  meetings: MEETINGS,
  /** Every user's default todo list, alice's "Courses", bob's team list shared with alice (todo-demo.ts). */
  todoLists: TODO_LISTS,
  tasks: TASKS,
} as const;

const ROLES = ["hasCalendar", "hasMail", "hasTbird", "hasDAV", "hasEAS"];
/** Everything but the calendar application. */
const ROLES_WITHOUT_CALENDAR = ROLES.filter((r) => r !== "hasCalendar");
const SETTINGS = { lang: "fr", timezone: "Europe/Paris", date: "dd/MM/yyyy", timeformat: "HH:mm", default_event_alert: "900" };

export interface DemoOptions {
  /** Anchor for the fixture events (defaults to the current time). */
  now?: number;
}

export function demoState(options: DemoOptions = {}): ServerState {
  const now = options.now ?? Date.now();
  const state = new ServerState(DOMAIN, now);
  const { alice, bob, carol } = USERS;

  for (const u of [alice, bob, carol]) {
    state.addUser({
      uid: u.uid,
      domainUid: DOMAIN,
      login: u.login.split("@")[0]!,
      displayName: u.displayName,
      email: u.email,
      password: u.password,
      passwordExpired: u === carol,
      archived: false,
      roles: [...ROLES],
      settings: { ...SETTINGS },
    });
  }
  state.addUser({
    uid: USERS.dave.uid,
    domainUid: DOMAIN,
    login: "dave",
    displayName: USERS.dave.displayName,
    email: USERS.dave.email,
    password: USERS.dave.password,
    passwordExpired: false,
    archived: false,
    roles: [...ROLES_WITHOUT_CALENDAR],
    settings: { ...SETTINGS },
  });

  state.addDomain(SSO_DOMAIN, DOMAINS.sso.authType);
  const carolSso = USERS.carolSso;
  state.addUser({
    uid: carolSso.uid,
    domainUid: SSO_DOMAIN,
    login: "carol",
    displayName: carolSso.displayName,
    email: carolSso.email,
    password: null,
    idpPassword: carolSso.idpPassword,
    passwordExpired: false,
    archived: false,
    roles: [...ROLES],
    settings: { ...SETTINGS },
  });

  const salles = CALENDARS.salles;
  state.addDirEntry({
    uid: salles.uid,
    kind: "CALENDAR",
    displayName: salles.name,
    path: `${DOMAIN}/calendars/${salles.uid}`,
    domainUid: DOMAIN,
  });

  // Default calendars: owner has every verb implicitly; the domain may invite (UserCalendarService).
  const invitation = { subject: DOMAIN, verb: "Invitation" as const };
  const cal = (c: (typeof CALENDARS)[keyof typeof CALENDARS], extra: CalendarExtra = {}) => addCalendar(state, c, extra);

  const aliceCal = cal(CALENDARS.alice, { defaultContainer: true, acl: [invitation] });
  const projets = cal(CALENDARS.projets);
  const archives = cal(CALENDARS.archives);
  const bobCal = cal(CALENDARS.bob, { defaultContainer: true, acl: [invitation, { subject: alice.uid, verb: "Read" }] });
  const equipe = cal(CALENDARS.equipeBob, {
    acl: [
      { subject: alice.uid, verb: "Write" },
      { subject: alice.uid, verb: "Manage" },
    ],
  });
  const sallesCal = cal(CALENDARS.salles, { acl: [{ subject: DOMAIN, verb: "Read" }], datalocation: null });
  const carolCal = cal(CALENDARS.carol, { defaultContainer: true, acl: [invitation] });
  // BlueMind creates a user's default calendar whatever the roles.
  const daveCal = cal(CALENDARS.dave, { defaultContainer: true, acl: [invitation] });
  const carolSsoCal = cal(CALENDARS.carolSso, {
    defaultContainer: true,
    domainUid: SSO_DOMAIN,
    acl: [{ subject: SSO_DOMAIN, verb: "Invitation" }],
  });

  for (const [uid, color] of Object.entries(ALICE_COLORS)) {
    state.containers.get(uid)!.personalSettings[alice.uid] = { bm_color: color };
  }

  state.subscribe(alice.uid, aliceCal, true);
  state.subscribe(alice.uid, projets, false);
  state.subscribe(alice.uid, archives, true);
  state.subscribe(alice.uid, bobCal, true);
  state.subscribe(alice.uid, sallesCal, false);
  state.subscribe(bob.uid, bobCal, true);
  state.subscribe(bob.uid, equipe, true);
  state.subscribe(carol.uid, carolCal, true);
  state.subscribe(USERS.dave.uid, daveCal, true);
  state.subscribe(carolSso.uid, carolSsoCal, true);

  const created = now - 30 * 86_400_000;
  for (const { ref, series } of fixtureEvents(now)) {
    const owner = state.containers.get(ref.containerUid)!.owner;
    state.calendar(ref.containerUid)!.create(ref.uid, series, seriesDisplayName(series), owner, created);
  }
  addDemoMeetings(state, now);
  addDemoTodoLists(state, now);
  const archiveStore = state.calendar(CALENDARS.archives.uid)!;
  for (const { uid, series } of bulkEvents("archives", ARCHIVES_EVENT_COUNT)) {
    archiveStore.create(uid, series, seriesDisplayName(series), alice.uid, created);
  }
  return state;
}
