/**
 * The fault matrix's HTTP kinds (5xx, 503 with Retry-After, a reset mid-body, damaged JSON,
 * 401, 403, a hang), injected on alice's synced calendar by the reference server while the
 * user edits and asks for a sync: the status shown, the requests counted, the cache intact
 * offline, the recovery, and every event on both sides.
 */

import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import type { FaultRule, InjectedFaultKind } from "../../../server/fault-injection";
import { DEMO } from "../../../server/demo-data";
import { waitFor } from "./addon";
import { addEventResult, pendingOfflineChanges, readItems, setOffline, startAddEvent } from "./calendar-chrome";
import { mostWithin, type CaseOutcome, type MatrixContext } from "./matrix-checks";

const C = DEMO.calendars;

/**
 * One HTTP fault on alice's synced calendar: the user adds an event while it lasts and asks
 * for a sync; then Thunderbird goes offline (the cache must be whole), the fault clears,
 * Thunderbird goes online and everything must meet on both sides.
 */
export async function calendarFault(
  ctx: MatrixContext,
  kind: InjectedFaultKind,
  rule: Partial<FaultRule>,
  expect: { error: string; editKept: boolean; maxRequestsPerCall: number; minGapMs?: number },
): Promise<CaseOutcome> {
  const calendar = C.alice.uid;
  const tb = () => ctx.tb();
  const server = () => ctx.server();
  const path = `/api/calendars/${calendar}`;
  await ctx.idle();
  const before = (await readItems(tb(), ctx.uri(calendar))).map((item) => item.id);
  const mark = server().requests.length;
  server().faults.arm({ kind, pathContains: path, ...rule });

  // The user's edit during the fault, and a sync asked at the same time.
  await ctx.startSyncNow();
  const id = randomUUID();
  await startAddEvent(tb(), ctx.uri(calendar), { id, title: `Pendant la panne (${kind})`, ...ctx.nextSlot() });
  const added = await waitFor(
    "Thunderbird to take the edit",
    () => addEventResult(tb(), id),
    (r) => r !== null,
    90_000,
  );
  const view = await waitFor(
    "the fault shown",
    () => ctx.state(),
    (v) => !v.status.busy && !!ctx.rowOf(v, calendar)?.activity.error,
    90_000,
  );
  const shown = ctx.rowOf(view, calendar)?.activity.error?.kind ?? view.status.lastError?.kind;
  assert.equal(shown, expect.error, `${kind}: status`);
  const userSees = await ctx.pageText(calendar);
  assert.equal(
    added?.ok,
    expect.editKept,
    `${kind}: the edit ${expect.editKept ? "kept offline" : "refused at once"}: ${JSON.stringify(added)}`,
  );

  // No hammering: a failing call is tried at most 3 times within 3 s, never twice within 0.7 s
  // (unless two different operations meet), and the faulted requests are few.
  const hits = server()
    .requests.slice(mark)
    .filter((r) => r.path.startsWith(path) && r.fault);
  const calls = new Map<string, number[]>();
  for (const hit of hits) {
    const key = `${hit.method} ${hit.path}${hit.query}`;
    calls.set(key, [...(calls.get(key) ?? []), hit.at]);
  }
  for (const [call, times] of calls) {
    assert.ok(
      mostWithin(times, 3_000) <= expect.maxRequestsPerCall,
      `${kind}: ${call} at ${times.map((t) => t - times[0]!).join(", ")} ms`,
    );
    assert.ok(mostWithin(times, expect.minGapMs ?? 700) <= 2, `${kind}: ${call} at ${times.map((t) => t - times[0]!).join(", ")} ms`);
  }

  // The cache is intact and readable offline, the edit included.
  await setOffline(tb(), true);
  const offline = new Set((await readItems(tb(), ctx.uri(calendar))).map((item) => item.id));
  assert.ok(
    before.every((uid) => offline.has(uid)),
    `${kind}: cache intact offline`,
  );
  assert.equal(offline.has(id), expect.editKept, `${kind}: the edit in the cache`);
  server().faults.clear();
  await setOffline(tb(), false);

  // Recovery: the online trigger syncs; the offline journal empties, the error goes.
  await waitFor(
    "the offline edit sent",
    () => pendingOfflineChanges(tb(), ctx.uri(calendar)),
    (n) => n === 0,
    90_000,
  );
  await ctx.message({ type: "syncNow" });
  const recovered = await ctx.idle();
  assert.equal(ctx.rowOf(recovered, calendar)?.activity.error ?? null, null, `${kind}: recovered`);
  const lost = await ctx.lostItems(calendar, expect.editKept ? [id] : []);
  const perCall = [...calls.values()].map((t) => mostWithin(t, 3_000));
  return { lost, userSees, requests: `${hits.length} faulted requests, ≤ ${Math.max(0, ...perCall)} per call within 3 s` };
}
