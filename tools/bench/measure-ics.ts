/**
 * Why: measures c, the baseline a user has without our add-on: Thunderbird's own ICS
 * subscription with Offline support, on BlueMind's whole-calendar ICS export (authenticated by
 * an API key in the URL). First load until all events are in its cache, then a refresh after
 * one event changed. The refresh re-downloads the file, empties the cache and adds every event
 * again, so two moments are kept: the changed title readable, and all events back.
 */

import type { APIKey } from "../../src/bluemind/types";
import { apiPath } from "../../src/bluemind/http";
import type { Thunderbird } from "../../test/e2e/harness/thunderbird";
import { webSession } from "../../test/unit/support/servers";
import { BENCH_USER } from "./bench-state";
import { itemCount, itemTitle, recording, refreshWatching, subscribeIcs } from "./chrome";
import { changeTitleOnServer, type SyncTarget } from "./measure-ours";
import { pollUntil, type Window } from "./wait";

export interface IcsRun {
  /** The export URL with its API key (the floor downloads the same text). */
  url: string;
  firstLoadS: number;
  firstLoadWindow: Window;
  firstLoadRequests: number;
  /** refresh() → the changed title readable in the cache. */
  refreshS: number;
  /** refresh() → the changed title readable and all events back in the cache. */
  refreshCompleteS: number;
  refreshWindow: Window;
  refreshRequests: number;
}

export async function icsSubscription(
  tb: Thunderbird,
  target: SyncTarget,
  item: { uid: string; icsUid: string },
  title: string,
): Promise<IcsRun> {
  const { server, containerUid, expected } = target;
  const web = await webSession(server.url, BENCH_USER.login, BENCH_USER.password);
  const key = await web.call<APIKey>("PUT", apiPath("auth", "keys"), { query: { displayName: "Thunderbird ICS (bench)" } });
  const url = `${server.url}${apiPath("calendars", "vevent", containerUid)}?apikey=${encodeURIComponent(key.sid)}`;
  const isExport = (path: string): boolean => path.startsWith("/api/calendars/vevent/");

  let mark = server.requestCount();
  await target.cpu.mark("c1:start");
  const subscription = await subscribeIcs(tb, url, "Bench ICS", expected);
  const loaded = await pollUntil(
    "the ICS first load",
    () => recording(tb, subscription.uri),
    (r) => r?.fullAt != null,
  );
  await target.cpu.mark("c1:end");
  const firstLoadRequests = server.requests.slice(mark).filter((r) => isExport(r.path)).length;
  const count = await itemCount(tb, subscription.id);
  if (count !== expected) throw new Error(`ICS first load: ${count} events in Thunderbird, expected ${expected}`);

  await changeTitleOnServer(server, containerUid, item.uid, title);
  mark = server.requestCount();
  await target.cpu.mark("c2:start");
  const t0 = await refreshWatching(tb, subscription.uri, item.icsUid, title);
  const refreshed = await pollUntil(
    "the ICS refresh",
    () => recording(tb, subscription.uri),
    (r) => r?.titleAt != null && r.fullAt != null,
  );
  await target.cpu.mark("c2:end");
  const refreshRequests = server.requests.slice(mark).filter((r) => isExport(r.path)).length;
  const readBack = await itemTitle(tb, subscription.id, item.icsUid);
  if (readBack !== title) throw new Error(`ICS refresh: title is ${JSON.stringify(readBack)}, expected ${JSON.stringify(title)}`);
  const after = await itemCount(tb, subscription.id);
  if (after !== expected) throw new Error(`ICS refresh: ${after} events in Thunderbird, expected ${expected}`);

  const refreshedAt = Math.max(refreshed!.titleAt!, refreshed!.fullAt!);
  return {
    url,
    firstLoadS: (loaded!.fullAt! - subscription.t0) / 1000,
    firstLoadWindow: { from: subscription.t0, to: loaded!.fullAt! },
    firstLoadRequests,
    refreshS: (refreshed!.titleAt! - t0) / 1000,
    refreshCompleteS: (refreshedAt - t0) / 1000,
    refreshWindow: { from: t0, to: refreshedAt },
    refreshRequests,
  };
}
