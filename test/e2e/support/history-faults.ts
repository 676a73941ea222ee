/**
 * The fault matrix's three "long lives" kinds (issue 9 §2): what BlueMind's change log never
 * admits to a client — a server restored from a backup, deletions purged during a long
 * absence, a mailbox moved. Each starts from events Thunderbird and BlueMind share, changes
 * BlueMind while Thunderbird is away (offline, with an offline edit waiting), applies the
 * fault with the reference server's controls, and checks what every matrix kind checks: the
 * status the user sees, the requests counted (one full reconciliation, not one per sync), the
 * cache intact and readable offline, recovery (the next change is an ordinary incremental
 * sync), and every event compared on both sides by UID, the offline edit included.
 */

import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import type { RunningServer } from "../../../server/app";
import { DEMO } from "../../../server/demo-data";
import { moveMailbox } from "../../../server/history";
import type { AccountView } from "../../../src/background/protocol";
import { CalendarItems } from "../../../src/bluemind/calendar-items";
import { webSession } from "../../unit/support/servers";
import type { Thunderbird } from "../harness/thunderbird";
import { ADDON_ID, waitFor } from "./addon";
import { addEvent, applyOperations, cacheState, pendingOfflineChanges, readItems, setOffline } from "./calendar-chrome";
import type { CaseOutcome, MatrixContext } from "./matrix-checks";

const { alice } = DEMO.users;
const CALENDAR = DEMO.calendars.alice.uid;
const DAY = 86_400_000;

export function historyFaults(ctx: MatrixContext) {
  const tb = (): Thunderbird => ctx.tb();
  const server = (): RunningServer => ctx.server();
  const uri = (): string => ctx.uri(CALENDAR);
  const idsInThunderbird = async (): Promise<Set<string>> => new Set((await readItems(tb(), uri())).map((i) => i.id));
  const titleInThunderbird = async (id: string): Promise<string | undefined> =>
    (await readItems(tb(), uri())).find((i) => i.id === id)?.title;
  const onServer = (id: string) => server().state.calendar(CALENDAR)?.get(id) ?? null;
  const bluemind = async (): Promise<CalendarItems> =>
    new CalendarItems(await webSession(server().url, alice.login, alice.password), CALENDAR);

  /** Thunderbird may have been restarted by an earlier case: the options page is where messages go. */
  async function pageOpen(): Promise<void> {
    if (
      !(await ctx.message({ type: "getState" }).then(
        () => true,
        () => false,
      ))
    ) {
      await tb().openOptionsPage(ADDON_ID);
    }
  }

  /** Events made in Thunderbird (online) and synced: what both sides share before the fault. */
  async function shared(label: string, n: number): Promise<string[]> {
    await ctx.idle();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      assert.ok((await addEvent(tb(), uri(), { id, title: `${label} ${i + 1}`, ...ctx.nextSlot() })).ok);
      ids.push(id);
    }
    await ctx.message({ type: "syncNow" });
    await ctx.idle();
    return ids;
  }

  /** A new event made in BlueMind's web app, from a copy of a shared one. */
  async function createInBlueMind(web: CalendarItems, from: string, title: string): Promise<string> {
    const base = onServer(from);
    assert.ok(base?.value.main, `${from} on the server`);
    const id = randomUUID();
    await web.create(id, { ...base.value, icsUid: id, main: { ...base.value.main, summary: title } });
    return id;
  }

  async function retitleInBlueMind(web: CalendarItems, id: string, title: string): Promise<void> {
    const item = await web.complete(id);
    assert.ok(item?.value.main);
    await web.update(id, { ...item.value, main: { ...item.value.main, summary: title } });
  }

  /** Offline: the cache holds everything it held, and the edits made offline. */
  async function cacheIntactOffline(kind: string, expected: Iterable<string>): Promise<void> {
    const offline = await idsInThunderbird();
    for (const id of expected) assert.ok(offline.has(id), `${kind}: ${id} readable offline`);
  }

  /** Back online: the journal is replayed, the sync reconciles; then one "Synchronise now". */
  async function reconnect(kind: string): Promise<AccountView> {
    await setOffline(tb(), false);
    await waitFor(
      "the offline edits sent",
      () => pendingOfflineChanges(tb(), uri()),
      (n) => n === 0,
      90_000,
    );
    await ctx.message({ type: "syncNow" });
    const view = await ctx.idle();
    const row = [...view.mine, ...view.others].find((r) => r.uid === CALENDAR);
    assert.equal(row?.activity.error ?? null, null, `${kind}: no error on the calendar's row`);
    assert.equal(view.status.lastError, null, `${kind}: no error in the status line`);
    return view;
  }

  /** The requests the recovery made for alice's calendar since `mark`, checked and summarised. */
  function reconciliationRequests(kind: string, mark: number, liveItems: number): string {
    const hits = server().requests.slice(mark);
    const path = `/api/calendars/${CALENDAR}/`;
    const count = (what: string, query?: string) =>
      hits.filter((h) => h.path === path + what && (query === undefined || h.query === query)).length;
    const full = count("_changeset", "?since=0");
    const mgets = count("_mget");
    const auth = hits.filter((h) => h.method === "GET" && h.path === "/api/auth").length;
    assert.equal(full, 1, `${kind}: one full reconciliation, not one per sync`);
    assert.ok(mgets >= 1 && mgets <= 2 * Math.ceil(liveItems / 500), `${kind}: ${mgets} _mget for ${liveItems} events`);
    assert.ok(auth <= 3, `${kind}: GET /api/auth read sparingly (${auth})`);
    const ours = hits.filter((h) => h.path.startsWith(path) || h.path === "/api/auth");
    assert.ok(
      ours.every((h) => h.status < 400 && !h.fault),
      `${kind}: no failed request`,
    );
    return `${count("_version")} _version, 1 _changeset?since=0, ${count("_changeset") - 1} other _changeset, ${mgets} _mget (calendar of ${liveItems}), ${auth} GET /api/auth`;
  }

  /** Recovered: a change made in BlueMind afterwards comes through an ordinary incremental sync. */
  async function recovery(kind: string, from: string): Promise<string> {
    const web = await bluemind();
    const id = await createInBlueMind(web, from, `Après la reprise (${kind})`);
    const mark = server().requests.length;
    await ctx.message({ type: "syncNow" });
    await ctx.idle();
    assert.ok((await idsInThunderbird()).has(id), `${kind}: a later change arrives`);
    const full = server()
      .requests.slice(mark)
      .filter((h) => h.path.startsWith(`/api/calendars/${CALENDAR}/_changeset`) && h.query === "?since=0");
    assert.equal(full.length, 0, `${kind}: the next sync is incremental again`);
    // Readable offline, exactly as BlueMind has it.
    await setOffline(tb(), true);
    const offline = await idsInThunderbird();
    const live = new Set(
      server()
        .state.calendar(CALENDAR)!
        .all()
        .map((i) => i.value.icsUid),
    );
    assert.deepEqual([...offline].sort(), [...live].sort(), `${kind}: the cache offline is BlueMind's calendar`);
    await setOffline(tb(), false);
    await ctx.idle();
    return id;
  }

  /**
   * BlueMind restored from a backup taken before some shared history: an event made then
   * (and edited offline since), one BlueMind made, a retitle and a deletion all roll back.
   */
  async function serverRestored(): Promise<CaseOutcome> {
    await pageOpen();
    const [kept, retitled, deleted] = await shared("Avant la sauvegarde", 3);
    const backup = server().state.backup();
    const web = await bluemind();
    const fromBlueMind = await createInBlueMind(web, kept!, "Créé après la sauvegarde");
    await retitleInBlueMind(web, retitled!, "Renommé après la sauvegarde");
    await web.remove(deleted!);
    const [madeLater] = await shared("Créé dans Thunderbird après la sauvegarde", 1);
    assert.ok((await idsInThunderbird()).has(fromBlueMind));

    await setOffline(tb(), true);
    const offlineNew = randomUUID();
    const failures = await applyOperations(tb(), uri(), [
      { kind: "modify", id: madeLater!, title: "Modifié hors connexion" },
      { kind: "create", id: offlineNew, title: "Créé hors connexion", location: "", description: "", ...utc(ctx.nextSlot()), rrule: null },
    ]);
    assert.deepEqual(failures, []);
    const before = await idsInThunderbird();
    server().state.restoreBackup(backup);
    await cacheIntactOffline("restored", before);

    const mark = server().requests.length;
    const view = await reconnect("restored");
    const shown = await ctx.pageText(CALENDAR);
    const lost = await ctx.lostItems(CALENDAR, [kept!, madeLater!, offlineNew]);
    if (lost > 0) return { lost, userSees: shown, requests: "" }; // the matrix counts them
    const inTb = await idsInThunderbird();
    assert.ok(!inTb.has(fromBlueMind), "what BlueMind made after the backup is gone");
    assert.ok(inTb.has(deleted!), "what was deleted after the backup is back");
    assert.equal(await titleInThunderbird(retitled!), "Avant la sauvegarde 2", "the retitle rolled back");
    assert.equal(onServer(madeLater!)?.value.main?.summary, "Modifié hors connexion", "the offline edit re-created its event in BlueMind");
    assert.ok(onServer(offlineNew), "the event made offline reached BlueMind");
    const requests = reconciliationRequests("restored", mark, server().state.calendar(CALENDAR)!.size);
    const conflict = view.conflicts.find((c) => c.summary === "Modifié hors connexion");
    assert.equal(conflict?.kind, "deleted", "the options page lists the event BlueMind no longer had");
    await recovery("restored", kept!);
    return {
      lost,
      userSees: `no error; the options page lists "${conflict?.summary}" as deleted in BlueMind, re-created | ${shown}`,
      requests,
    };
  }

  /**
   * Away 61 days with an offline edit waiting; BlueMind deletes two shared events and renames
   * a third meanwhile, and its cleanup forgets those deletions.
   */
  async function historyPurged(): Promise<CaseOutcome> {
    await pageOpen();
    const [renamed, gone1, gone2] = await shared("Avant l'absence", 3);
    await setOffline(tb(), true);
    const offlineNew = randomUUID();
    assert.ok((await addEvent(tb(), uri(), { id: offlineNew, title: "Créé avant de partir, hors connexion", ...ctx.nextSlot() })).ok);
    const web = await bluemind();
    await web.remove(gone1!);
    await web.remove(gone2!);
    await retitleInBlueMind(web, renamed!, "Renommé pendant l'absence");
    const before = await idsInThunderbird();
    const stored = await storedVersion();
    try {
      server().state.clockOffsetMs = 61 * DAY; // BlueMind lives on: its cleanup runs on the next request
      server().state.changesetCleanup.runIfDue(server().state);
      assert.deepEqual(server().state.calendar(CALENDAR)!.changeset(stored).deleted, [], "the deletions are no longer told");
      await backdateLastSyncs(61 * DAY); // Thunderbird's last complete syncs were 61 days ago
      await cacheIntactOffline("purged", before);

      const mark = server().requests.length;
      await reconnect("purged");
      const shown = await ctx.pageText(CALENDAR);
      const lost = await ctx.lostItems(CALENDAR, [renamed!, offlineNew]);
      if (lost > 0) return { lost, userSees: shown, requests: "" }; // the matrix counts them
      const inTb = await idsInThunderbird();
      assert.ok(!inTb.has(gone1!) && !inTb.has(gone2!), "the deletions BlueMind forgot to tell are applied");
      assert.equal(await titleInThunderbird(renamed!), "Renommé pendant l'absence");
      assert.ok(onServer(offlineNew), "the offline edit reached BlueMind");
      const requests = reconciliationRequests("purged", mark, server().state.calendar(CALENDAR)!.size);
      await recovery("purged", renamed!);
      return { lost, userSees: `no error: ${shown}`, requests };
    } finally {
      server().state.clockOffsetMs = 0;
    }
  }

  /** The mailbox moved while Thunderbird was offline: a deletion made before the move is in no change log. */
  async function mailboxMoved(): Promise<CaseOutcome> {
    await pageOpen();
    const [edited, gone, renamed] = await shared("Avant le déménagement", 3);
    await setOffline(tb(), true);
    assert.deepEqual(
      await applyOperations(tb(), uri(), [{ kind: "modify", id: edited!, title: "Modifié hors connexion avant le déménagement" }]),
      [],
    );
    const web = await bluemind();
    await web.remove(gone!);
    await retitleInBlueMind(web, renamed!, "Renommé avant le déménagement");
    const before = await idsInThunderbird();
    const guid = moveMailbox(server().state, alice.uid);
    await cacheIntactOffline("moved", before);

    const mark = server().requests.length;
    await reconnect("moved");
    const shown = await ctx.pageText(CALENDAR);
    const lost = await ctx.lostItems(CALENDAR, [edited!, renamed!]);
    if (lost > 0) return { lost, userSees: shown, requests: "" }; // the matrix counts them
    assert.ok(!(await idsInThunderbird()).has(gone!), "the deletion no change log tells is applied");
    assert.equal(await titleInThunderbird(renamed!), "Renommé avant le déménagement");
    assert.equal(
      onServer(edited!)?.value.main?.summary,
      "Modifié hors connexion avant le déménagement",
      "the offline edit reached BlueMind",
    );
    assert.equal(await titleInThunderbird(edited!), "Modifié hors connexion avant le déménagement", "and stayed in Thunderbird");
    assert.equal(await storedGuid(), guid, "the new mailboxCopyGuid is stored with the sync");
    const requests = reconciliationRequests("moved", mark, server().state.calendar(CALENDAR)!.size);
    await recovery("moved", renamed!);
    return { lost, userSees: `no error: ${shown}`, requests };
  }

  const storedVersion = async (): Promise<number> => Number((await cacheState(tb(), uri())).version);
  const storedGuid = async (): Promise<string | null> => (await cacheState(tb(), uri())).mailboxCopyGuid ?? null;

  // The one place a test writes our metadata itself: a fault injected into the cache, as if the
  // last sync were older (src/experiments/bmcal/cache-storage.js names the key).
  /** Every cached BlueMind calendar's last complete sync, moved `ms` into the past. */
  const backdateLastSyncs = (ms: number): Promise<void> =>
    tb().chrome<void>(
      `const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
       for (const calendar of cal.manager.getCalendars().filter(c => c.type == "bluemind")) {
         const storage = calendar.getProperty("cache.uncachedCalendar")?.wrappedJSObject?.mOfflineStorage;
         const at = storage?.getMetaData("bluemind:syncedAt");
         if (at) storage.setMetaData("bluemind:syncedAt", String(Number(at) - args[0]));
       }`,
      ms,
    );

  return { serverRestored, historyPurged, mailboxMoved };
}

/** A matrix slot as applyOperations' times ("UTC:…"). */
function utc(slot: { start: string; end: string }): { start: string; end: string } {
  return { start: `UTC:${slot.start.replace(/Z$/, "")}`, end: `UTC:${slot.end.replace(/Z$/, "")}` };
}
