/**
 * Why: measures a and b, our add-on's two syncs, as a user gets them: the first sync from
 * sign-in on the options page until every event is in Thunderbird's cache, and the sync of a
 * single event changed in BlueMind after Thunderbird's refresh. It also keeps the timeline of
 * the first sync (server requests, storage batches) to tell where the time goes.
 */

import type { RunningServer } from "../../server/app";
import { apiPath } from "../../src/bluemind/http";
import type { Thunderbird } from "../../test/e2e/harness/thunderbird";
import { webSession } from "../../test/unit/support/servers";
import { BENCH_USER } from "./bench-state";
import type { CpuLog } from "./cpu";
import { itemCount, recording, recordWhenRegistered, refreshUntilTitle, stopWatchingRegistrations, storedVersion } from "./chrome";
import { pollUntil, sleep, SYNC_TIMEOUT_MS, underCalendar, type TimedRequest, type Window } from "./wait";

export interface SyncTarget {
  server: RunningServer;
  /** Every server request, stamped on arrival. */
  stamped: TimedRequest[];
  containerUid: string;
  /** Our calendar's URI in Thunderbird. */
  uri: string;
  expected: number;
  /** CPU samples, marked at the start and end of each step ("a:start", "a:end", ...). */
  cpu: CpuLog;
}

export interface BlockTiming {
  items: number;
  /** Arrival of this block's _mget at the server, ms after sign-in (null if not matched). */
  mgetAtMs: number | null;
  startMs: number;
  /** Storage batch: ICS parse + adoptItem + metadata in Thunderbird. */
  storageMs: number;
  /** From the previous batch's end (or sign-in) to this batch's start: background, HTTP, IPC. */
  gapBeforeMs: number;
}

export interface FirstSync {
  /** Sign-in sent → end of the storage batch that wrote "bluemind:version". */
  seconds: number;
  window: Window;
  /** The slowest block's storage batch. */
  longestBlock: Window | null;
  /** Sign-in sent → the 250 ms poll saw the version. */
  pollSeconds: number;
  requests: number;
  signInAnsweredMs: number;
  registeredMs: number | null;
  changesetAtMs: number | null;
  blocks: BlockTiming[];
  finalBatchMs: number | null;
}

/**
 * Expects the options page to be open and attached (main does it before the memory sample).
 * Does not read the events back: see verifyFirstSync.
 */
export async function firstSync(tb: Thunderbird, target: SyncTarget): Promise<FirstSync> {
  const { server, stamped, uri, expected } = target;
  await recordWhenRegistered(tb, uri, expected);
  const mark = stamped.length;

  await target.cpu.mark("a:start");
  const t0 = Date.now();
  const answer = await tb.content<{ ok: boolean; error?: unknown }>(
    `return browser.runtime.sendMessage({ type: "signIn", serverUrl: args[0], login: args[1], password: args[2] });`,
    server.url,
    BENCH_USER.login,
    BENCH_USER.password,
  );
  const signInAnsweredMs = Date.now() - t0;
  if (!answer.ok) throw new Error(`sign-in failed: ${JSON.stringify(answer.error)}`);
  await tb.marionette.setContext("chrome");

  await pollUntil(
    "the first sync's stored version",
    () => storedVersion(tb, uri),
    (v) => v !== null,
  );
  const seenAt = Date.now();
  await target.cpu.mark("a:end");
  await stopWatchingRegistrations(tb);
  const rec = await recording(tb, uri);
  if (!rec) throw new Error("first sync: nothing recorded (the calendar was never registered?)");

  const done = rec.batches.filter((b) => b.end !== null && b.end <= seenAt);
  const last = done[done.length - 1];
  const mine = stamped.slice(mark).filter((r) => underCalendar(target.containerUid)(r.entry) && r.at <= seenAt);
  const mgets = mine.filter((r) => r.entry.path.endsWith("/_mget"));
  const changeset = mine.find((r) => r.entry.path.endsWith("/_changeset"));
  const blocks: BlockTiming[] = [];
  let previousEnd = t0;
  for (const batch of done.slice(0, -1)) {
    const end = batch.end ?? batch.start;
    blocks.push({
      items: (batch.addsAtEnd ?? batch.addsAtStart) - batch.addsAtStart,
      mgetAtMs: mgets[blocks.length] ? mgets[blocks.length]!.at - t0 : null,
      startMs: batch.start - t0,
      storageMs: end - batch.start,
      gapBeforeMs: batch.start - previousEnd,
    });
    previousEnd = end;
  }
  const slowest = blocks.reduce<BlockTiming | null>((max, b) => (!max || b.storageMs > max.storageMs ? b : max), null);
  return {
    seconds: ((last?.end ?? seenAt) - t0) / 1000,
    window: { from: t0, to: last?.end ?? seenAt },
    longestBlock: slowest ? { from: t0 + slowest.startMs, to: t0 + slowest.startMs + slowest.storageMs } : null,
    pollSeconds: (seenAt - t0) / 1000,
    requests: mine.length,
    signInAnsweredMs,
    registeredMs: rec.registeredAt === null ? null : rec.registeredAt - t0,
    changesetAtMs: changeset ? changeset.at - t0 : null,
    blocks,
    finalBatchMs: last?.end != null ? last.end - last.start : null,
  };
}

/**
 * Reads every event of the calendar back through Thunderbird and checks the count. Run only after
 * the memory samples of the first sync: Thunderbird's storage calendar keeps every item it has
 * read in its item cache for the rest of the session (CalStorageCachedItemModel.itemCache), so
 * this read alone adds the 10,000 parsed events to the parent's memory, which a first sync
 * does not (its events are written as rows; only what views and alarms ask for is read).
 */
export async function verifyFirstSync(tb: Thunderbird, target: SyncTarget): Promise<void> {
  const items = await itemCount(tb, target.uri);
  if (items !== target.expected) throw new Error(`first sync: ${items} events in Thunderbird, expected ${target.expected}`);
}

export interface OneChange {
  seconds: number;
  window: Window;
  requests: number;
  /** "GET _version +12 ms", relative to the refresh call. */
  requestLog: string[];
  polls: number;
}

/** Changes one event's title in BlueMind as the user (web session), as BlueMind's web app would. */
export async function changeTitleOnServer(server: RunningServer, containerUid: string, itemUid: string, title: string): Promise<void> {
  const web = await webSession(server.url, BENCH_USER.login, BENCH_USER.password);
  const item = server.state.calendar(containerUid)?.get(itemUid);
  if (!item?.value.main) throw new Error(`no event ${itemUid} on the server`);
  const changed = structuredClone(item.value);
  changed.main!.summary = title;
  await web.call("POST", apiPath("calendars", containerUid, itemUid), { body: changed });
}

export async function oneChangeSync(
  tb: Thunderbird,
  target: SyncTarget,
  item: { uid: string; icsUid: string },
  title: string,
): Promise<OneChange> {
  const { server, stamped, uri, containerUid } = target;
  await changeTitleOnServer(server, containerUid, item.uid, title);
  const serverVersion = server.state.calendar(containerUid)!.version;
  const mark = server.requestCount();
  const stampMark = stamped.length;

  await target.cpu.mark("b:start");
  const run = await refreshUntilTitle(tb, uri, item.icsUid, title, SYNC_TIMEOUT_MS);
  await target.cpu.mark("b:end");
  if (run.t1 === null) throw new Error(`one-change sync: title still ${JSON.stringify(run.last)} after ${SYNC_TIMEOUT_MS / 1000} s`);
  // The sync ends with the new version; only then are all of its requests in.
  await pollUntil(
    "the version after the change",
    () => storedVersion(tb, uri),
    (v) => Number(v) >= serverVersion,
    50,
    60_000,
  );
  await sleep(500);

  const ours = underCalendar(containerUid);
  const requests = server.requests.slice(mark).filter(ours);
  const prefix = `/api/calendars/${containerUid}/`;
  return {
    seconds: (run.t1 - run.t0) / 1000,
    window: { from: run.t0, to: run.t1 },
    requests: requests.length,
    requestLog: stamped
      .slice(stampMark)
      .filter((r) => ours(r.entry))
      .map((r) => `${r.entry.method} ${r.entry.path.replace(prefix, "")} +${r.at - run.t0} ms`),
    polls: run.polls,
  };
}
