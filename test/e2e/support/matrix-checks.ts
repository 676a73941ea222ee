/**
 * The fault matrix's shared checks, apart from its cases: "nothing lost" (every event on both
 * sides by iCalendar UID), "no hammering" (the calls the server failed, and how many fell in
 * one window), and the summary table with its closing line.
 */

import type { RunningServer } from "../../../server/app";
import type { AccountView, CalendarRowView, Response } from "../../../src/background/protocol";
import type { Thunderbird } from "../harness/thunderbird";
import { readItems } from "./calendar-chrome";

export interface Outcome {
  kind: string;
  survived: boolean;
  lost: number;
  userSees: string;
  requests: string;
}

/** What a case returns; the matrix adds its kind and whether it survived. */
export type CaseOutcome = Omit<Outcome, "kind" | "survived">;

/** The matrix's Thunderbird, server and options-page helpers, for the cases kept in support files. */
export interface MatrixContext {
  tb(): Thunderbird;
  server(): RunningServer;
  uri(containerUid: string): string;
  nextSlot(): { start: string; end: string };
  message(request: object): Promise<Response>;
  state(): Promise<AccountView>;
  rowOf(view: AccountView, containerUid: string): CalendarRowView | undefined;
  /** Starts "Synchroniser maintenant" without waiting for it. */
  startSyncNow(): Promise<void>;
  idle(): Promise<AccountView>;
  /** The options page's status line and the calendar's row, as text. */
  pageText(containerUid: string): Promise<string>;
  lostItems(containerUid: string, expected: string[]): Promise<number>;
}

/** Events in Thunderbird's calendar vs BlueMind's, by iCalendar UID; `expected` must be on both. */
export async function lostItems(
  tb: Thunderbird,
  server: RunningServer,
  uri: string,
  containerUid: string,
  expected: string[],
): Promise<number> {
  const store = server.state.calendar(containerUid);
  const onServer = new Set((store?.all() ?? []).map((item) => item.value.icsUid));
  const inThunderbird = new Set((await readItems(tb, uri)).map((item) => item.id));
  const missing = [
    ...[...onServer].filter((uid) => !inThunderbird.has(uid)).map((uid) => `not in Thunderbird: ${uid}`),
    ...[...inThunderbird, ...expected].filter((uid) => !onServer.has(uid)).map((uid) => `not in BlueMind: ${uid}`),
  ];
  if (missing.length > 0) {
    console.log(`      ${containerUid}: ${[...new Set(missing)].join(", ")}`);
  }
  return new Set(missing).size;
}

/** The most requests among `times` (ms) that fall within one window of `windowMs`. */
export const mostWithin = (times: number[], windowMs: number): number =>
  Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));

/** Every call the server failed (4xx, 5xx, injected) since request `since`, with the times it was sent. */
export function failedCalls(server: RunningServer, since: number): Map<string, number[]> {
  const calls = new Map<string, number[]>();
  for (const hit of server.requests.slice(since)) {
    if (hit.fault || hit.status >= 400 || hit.status < 0) {
      const key = `${hit.method} ${hit.path}${hit.query}`;
      calls.set(key, [...(calls.get(key) ?? []), hit.at]);
    }
  }
  return calls;
}

/** The table of every kind, then `fault matrix: N kinds, N survived, 0 items lost`. */
export function printSummary(outcomes: Outcome[]): void {
  if (outcomes.length === 0) return;
  console.log("\n      fault                              | what the user sees | requests");
  for (const o of outcomes) {
    console.log(`      ${o.survived ? "✔" : "✘"} ${o.kind.padEnd(32)} | ${o.userSees.replace(/\s+/g, " ").slice(0, 160)} | ${o.requests}`);
  }
  const survived = outcomes.filter((o) => o.survived).length;
  const lost = outcomes.reduce((sum, o) => sum + o.lost, 0);
  console.log(`\n  fault matrix: ${outcomes.length} kinds, ${survived} survived, ${lost} items lost\n`);
}
