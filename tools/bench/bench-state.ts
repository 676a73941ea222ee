/**
 * Why: a fair comparison needs a user whose only subscription is the bench calendar (alice's
 * 9,500-event Archives would sync at the same time). This adds user "bench" and its default
 * calendar holding the bench events, subscribed with Synchronisation on, to the demo state,
 * the way demo-data.ts builds alice and bob.
 */

import { demoState } from "../../server/demo-data";
import { DOMAIN } from "../../server/demo-ids";
import { seriesDisplayName, type ServerState } from "../../server/store";
import type { BenchEvent, Person } from "./events";

export const BENCH_USER = {
  uid: "BE7C0000-0000-4000-8000-000000000010",
  login: "bench@bluemind.test",
  password: "bench",
  displayName: "Bench User",
  email: "bench@bluemind.test",
} as const;

export const BENCH_CALENDAR = { uid: `calendar:Default:${BENCH_USER.uid}`, name: "Bench" } as const;

export const BENCH_PERSON: Person = { name: BENCH_USER.displayName, email: BENCH_USER.email };

export function benchState(events: readonly BenchEvent[], now = Date.now()): ServerState {
  const state = demoState({ now });
  state.addUser({
    uid: BENCH_USER.uid,
    domainUid: DOMAIN,
    login: BENCH_USER.login.split("@")[0]!,
    displayName: BENCH_USER.displayName,
    email: BENCH_USER.email,
    password: BENCH_USER.password,
    passwordExpired: false,
    archived: false,
    roles: ["hasCalendar", "hasMail", "hasTbird", "hasDAV", "hasEAS"],
    settings: { lang: "fr", timezone: "Europe/Paris", date: "dd/MM/yyyy", timeformat: "HH:mm", default_event_alert: "900" },
  });
  const calendar = state.addContainer({
    uid: BENCH_CALENDAR.uid,
    name: BENCH_CALENDAR.name,
    type: "calendar",
    owner: BENCH_USER.uid,
    domainUid: DOMAIN,
    defaultContainer: true,
    acl: [{ subject: DOMAIN, verb: "Invitation" }],
  });
  state.subscribe(BENCH_USER.uid, calendar, true);
  const store = state.calendar(BENCH_CALENDAR.uid)!;
  const created = now - 30 * 86_400_000;
  for (const { uid, series } of events) {
    store.create(uid, series, seriesDisplayName(series), BENCH_USER.uid, created);
  }
  return state;
}
