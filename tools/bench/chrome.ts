/**
 * Why: every measure reads Thunderbird's calendars from chrome code, and the moments that
 * matter (a storage batch written, the 10,000th item added, a changed title stored) happen
 * inside Thunderbird. A calIObserver on the calendar's cache storage stamps them with Date.now() there
 * (the same clock as Node's on this machine), so a measure is not limited by how often Node
 * polls, and polling stays cheap: Node only reads those stamps. Stamps live on the calendar
 * manager's JS object, which every chrome script can reach.
 */

import type { Thunderbird } from "../../test/e2e/harness/thunderbird";

/** What the observer recorded for one calendar (Date.now() ms in Thunderbird). */
export interface Recording {
  expected: number;
  t0: number | null;
  registeredAt: number | null;
  adds: number;
  /** When `adds` reached `expected`. */
  fullAt: number | null;
  watch: { id: string; title: string } | null;
  /** When the watched item was first stored with the watched title. */
  titleAt: number | null;
  batches: { start: number; end: number | null; addsAtStart: number; addsAtEnd: number | null }[];
  loads: number[];
  errors: string[];
}

const PRELUDE = `
const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
const { setTimeout } = ChromeUtils.importESModule("resource://gre/modules/Timer.sys.mjs");
const registry = (cal.manager.wrappedJSObject.__bmBench ??= { states: {}, managerObservers: [] });
const find = (key) => cal.manager.getCalendarById(key) || cal.manager.getCalendars().find((c) => c.uri.spec == key) || null;
const storageOf = (calendar) => calendar?.getProperty("cache.uncachedCalendar")?.wrappedJSObject?.mOfflineStorage || null;
// The cache storage itself is observed, not the cached calendar: writers may detach the
// cached calendar's own observer from the storage during a large batch.
const observe = (calendar, state) => (calendar.wrappedJSObject?.mCachedCalendar || calendar).addObserver(recorder(state));
// CPU time (ms) used so far, by Thunderbird's parent-process main thread, its SQLite threads,
// its workers (the iCalendar parser's), its other threads, the extension process, other processes.
const cpuSample = async () => {
  const info = await ChromeUtils.requestProcInfo();
  const s = { at: Date.now(), main: 0, sqlite: 0, workers: 0, otherThreads: 0, extension: 0, otherProcesses: 0 };
  for (const t of info.threads || []) {
    const ms = t.cpuTime / 1e6;
    if (t.tid == info.pid) s.main += ms;
    else if (t.name.startsWith("sqldb:") || t.name.startsWith("mozStorage")) s.sqlite += ms;
    else if (t.name.startsWith("DOM Worker")) s.workers += ms;
    else s.otherThreads += ms;
  }
  for (const c of info.children || []) {
    if (c.type == "extension") s.extension += c.cpuTime / 1e6;
    else s.otherProcesses += c.cpuTime / 1e6;
  }
  return s;
};
const newState = (expected) => ({ expected, t0: null, registeredAt: null, adds: 0, fullAt: null, watch: null, titleAt: null, batches: [], loads: [], errors: [] });
const recorder = (state) => {
  const seen = (item, now) => {
    if (state.watch && state.titleAt === null && item && item.id == state.watch.id && item.title == state.watch.title) state.titleAt = now;
  };
  return {
    QueryInterface: ChromeUtils.generateQI(["calIObserver"]),
    onStartBatch() { state.batches.push({ start: Date.now(), end: null, addsAtStart: state.adds, addsAtEnd: null }); },
    onEndBatch() {
      const batch = state.batches[state.batches.length - 1];
      if (batch && batch.end === null) { batch.end = Date.now(); batch.addsAtEnd = state.adds; }
    },
    onLoad() { state.loads.push(Date.now()); },
    onAddItem(item) {
      const now = Date.now();
      state.adds++;
      if (state.fullAt === null && state.adds >= state.expected) state.fullAt = now;
      seen(item, now);
    },
    onModifyItem(item) { seen(item, Date.now()); },
    onDeleteItem() {},
    onError(calendar, code, message) { state.errors.push(code + " " + message); },
    onPropertyChanged() {},
    onPropertyDeleting() {},
  };
};
`;

/**
 * Runs a chrome script (staying in chrome context if already there). Long scripts need the
 * session's script timeout raised (main does it): Marionette 153 ignores a per-call one.
 */
export function chrome<T>(tb: Thunderbird, body: string, args: unknown[] = []): Promise<T> {
  return tb.inChrome(() => tb.marionette.run<T>(`${PRELUDE}\n${body}`, args));
}

/** Attaches a recorder to the calendar with this URI as soon as it is registered (before its first sync). */
export function recordWhenRegistered(tb: Thunderbird, uri: string, expected: number): Promise<void> {
  return chrome(
    tb,
    `
    const [uri, expected] = args;
    const state = (registry.states[uri] = newState(expected));
    const observer = {
      QueryInterface: ChromeUtils.generateQI(["calICalendarManagerObserver"]),
      onCalendarRegistered(calendar) {
        if (calendar.uri.spec != uri || state.registeredAt !== null) return;
        state.registeredAt = Date.now();
        observe(calendar, state);
      },
      onCalendarUnregistering() {},
      onCalendarDeleting() {},
    };
    cal.manager.addObserver(observer);
    registry.managerObservers.push(observer);`,
    [uri, expected],
  );
}

export function stopWatchingRegistrations(tb: Thunderbird): Promise<void> {
  return chrome(tb, `for (const o of registry.managerObservers.splice(0)) cal.manager.removeObserver(o);`);
}

export function recording(tb: Thunderbird, key: string): Promise<Recording | null> {
  return chrome(tb, `return registry.states[args[0]] || null;`, [key]);
}

/** The version of a cached calendar's last complete sync, as our provider reports it (null until one completed). */
export function storedVersion(tb: Thunderbird, uri: string): Promise<number | null> {
  return chrome(tb, `return find(args[0])?.getProperty("cache.uncachedCalendar")?.wrappedJSObject?.syncedVersion?.() ?? null;`, [uri]);
}

/** Events as Thunderbird reads them (parents, occurrences not expanded); -1 if no such calendar. */
export function itemCount(tb: Thunderbird, key: string): Promise<number> {
  return chrome(
    tb,
    `
    const c = find(args[0]);
    if (!c) return -1;
    return (await c.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_TYPE_EVENT, 0, null, null)).length;`,
    [key],
  );
}

export function itemTitle(tb: Thunderbird, key: string, id: string): Promise<string | null> {
  return chrome(tb, `const item = await find(args[0]).getItem(args[1]); return item ? item.title : null;`, [key, id]);
}

/**
 * calendar.refresh(), then reads the item every `intervalMs` until it has `title`; all inside
 * Thunderbird, so the time excludes Marionette round trips. t1 is null on timeout.
 */
export function refreshUntilTitle(tb: Thunderbird, key: string, id: string, title: string, timeoutMs: number, intervalMs = 20) {
  return chrome<{ t0: number; t1: number | null; polls: number; last?: string | null }>(
    tb,
    `
    const [key, id, title, timeoutMs, intervalMs] = args;
    const calendar = find(key);
    const t0 = Date.now();
    Promise.resolve(calendar.refresh()).catch(() => undefined);
    for (let polls = 1; ; polls++) {
      const item = await calendar.getItem(id);
      if (item && item.title == title) return { t0, t1: Date.now(), polls };
      if (Date.now() - t0 > timeoutMs) return { t0, t1: null, polls, last: item ? item.title : null };
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }`,
    [key, id, title, timeoutMs, intervalMs],
  );
}

/**
 * Thunderbird's own ICS subscription with Offline support: cache.enabled before registerCalendar
 * (that is where the cache wrapper is chosen). Registration starts the first load; the recorder
 * is attached right after, before any item can arrive (the download is asynchronous).
 */
export function subscribeIcs(tb: Thunderbird, url: string, name: string, expected: number) {
  return chrome<{ id: string; uri: string; t0: number }>(
    tb,
    `
    const [url, name, expected] = args;
    const uri = Services.io.newURI(url);
    const calendar = cal.manager.createCalendar("ics", uri);
    calendar.name = name;
    calendar.setProperty("cache.enabled", true);
    const state = (registry.states[uri.spec] = newState(expected));
    state.t0 = Date.now();
    cal.manager.registerCalendar(calendar);
    const registered = cal.manager.getCalendarById(calendar.id);
    observe(registered, state);
    state.registeredAt = Date.now();
    return { id: calendar.id, uri: uri.spec, t0: state.t0 };`,
    [url, name, expected],
  );
}

/** Resets a calendar's recording to watch one item's new title, then refreshes; returns t0. */
export function refreshWatching(tb: Thunderbird, key: string, id: string, title: string): Promise<number> {
  return chrome(
    tb,
    `
    const [key, id, title] = args;
    const state = registry.states[key];
    Object.assign(state, { adds: 0, fullAt: null, titleAt: null, watch: { id, title }, batches: [], loads: [], errors: [] });
    state.t0 = Date.now();
    Promise.resolve(find(key).refresh()).catch(() => undefined);
    return state.t0;`,
    [key, id, title],
  );
}

export interface FloorRun {
  id: string;
  cpuStart: CpuSample;
  cpuEnd: CpuSample;
  items: number;
  parseMs: number;
  t0: number;
  t1: number;
  /** Date.now() after each `blockSize` items. */
  marks: number[];
}

/**
 * The floor: the ICS file parsed with calIIcsParser (before the clock starts), then each item
 * adopted one after the other into a new registered storage calendar inside one batch.
 */
export function adoptIntoStorage(tb: Thunderbird, icsFile: string, name: string, blockSize: number): Promise<FloorRun> {
  return chrome(
    tb,
    `
    const [file, name, blockSize] = args;
    const text = await IOUtils.readUTF8(file);
    const p0 = Date.now();
    const parser = Cc["@mozilla.org/calendar/ics-parser;1"].createInstance(Ci.calIIcsParser);
    parser.parseString(text);
    const items = parser.getItems();
    const parseMs = Date.now() - p0;
    const created = cal.manager.createCalendar("storage", Services.io.newURI("moz-storage-calendar://"));
    created.name = name;
    cal.manager.registerCalendar(created);
    const calendar = cal.manager.getCalendarById(created.id);
    const marks = [];
    const cpuStart = await cpuSample();
    const t0 = Date.now();
    calendar.startBatch();
    try {
      for (let i = 0; i < items.length; i++) {
        await calendar.adoptItem(items[i]);
        if ((i + 1) % blockSize === 0) marks.push(Date.now());
      }
    } finally {
      calendar.endBatch();
    }
    const t1 = Date.now();
    const cpuEnd = await cpuSample();
    return { id: created.id, items: items.length, parseMs, t0, t1, marks, cpuStart, cpuEnd };`,
    [icsFile, name, blockSize],
  );
}

/** Cumulative CPU time of Thunderbird's processes and parent-process threads (ms). */
export interface CpuSample {
  at: number;
  main: number;
  sqlite: number;
  workers: number;
  otherThreads: number;
  extension: number;
  otherProcesses: number;
}

export function cpuSample(tb: Thunderbird): Promise<CpuSample> {
  return chrome(tb, `return await cpuSample();`);
}

export function thunderbirdVersion(tb: Thunderbird): Promise<string> {
  return chrome(tb, `return Services.appinfo.version;`);
}

/**
 * Lets Thunderbird finish what the previous step set off (views reloading after onLoad,
 * queued storage writes, garbage): a forced GC/CC in the parent and in every child process
 * (the extension process's garbage too: what about:memory's GC and CC buttons send them), then
 * waits until a 100 ms timer fires on time and a storage read on every calendar comes back
 * promptly, three times in a row.
 */
export function settle(tb: Thunderbird, maxMs = 120_000): Promise<{ ms: number; quiet: boolean }> {
  return chrome(
    tb,
    `
    Cu.forceGC();
    Cu.forceCC();
    Cu.forceGC();
    for (const topic of ["child-gc-request", "child-cc-request", "child-gc-request"]) {
      Services.obs.notifyObservers(null, topic);
    }
    const start = Date.now();
    // The children collect asynchronously and say nothing when done; a collection of the
    // extension process's heap takes well under a second.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    let quiet = 0;
    while (quiet < 3 && Date.now() - start < args[0]) {
      const t = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const c of cal.manager.getCalendars()) {
        try { await c.getItem("bm-bench-probe-none"); } catch (e) {}
      }
      quiet = Date.now() - t < 150 ? quiet + 1 : 0;
    }
    return { ms: Date.now() - start, quiet: quiet >= 3 };`,
    [maxMs],
  );
}

/**
 * What Thunderbird does by itself once the user has left it alone for five minutes
 * (javascript.options.compact_on_user_inactive, _delay 300000 ms): a shrinking, compacting
 * collection of the parent's JavaScript heap, which hands emptied chunks back. Run at once here,
 * in the parent only (the children offer no such request); returns how long the parent's main
 * thread was held, and the two preferences as this Thunderbird has them.
 */
export function idleCompaction(tb: Thunderbird): Promise<{ ms: number; onInactive: boolean; delayMs: number }> {
  return chrome(
    tb,
    `
    const onInactive = Services.prefs.getBoolPref("javascript.options.compact_on_user_inactive", false);
    const delayMs = Services.prefs.getIntPref("javascript.options.compact_on_user_inactive_delay", -1);
    const t0 = Date.now();
    Cu.forceShrinkingGC();
    const ms = Date.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return { ms, onInactive, delayMs };`,
  );
}

export interface StorageCosts {
  /** The three offline-journal queries our cache code runs before each write (on 10,000 events). */
  offlineScanMs: number;
  /** getAllMetaDataIds + getAllMetaDataValues on our cache (10,000 entries). */
  metaReadAllMs: number;
  /** `count` × setMetaData (one synchronous SQL write each) on a storage calendar. */
  metaWriteMs: number;
  count: number;
}

/** Prices the storage operations our sync adds on top of adoptItem (see report's breakdown). */
export function storageCosts(tb: Thunderbird, ourUri: string, storageCalendarId: string, count: number): Promise<StorageCosts> {
  return chrome(
    tb,
    `
    const [uri, id, count] = args;
    const ours = storageOf(find(uri));
    let t = Date.now();
    for (const flag of [Ci.calICalendar.ITEM_FILTER_OFFLINE_CREATED, Ci.calICalendar.ITEM_FILTER_OFFLINE_MODIFIED, Ci.calICalendar.ITEM_FILTER_OFFLINE_DELETED]) {
      await ours.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_ALL_ITEMS | flag, 0, null, null);
    }
    const offlineScanMs = Date.now() - t;
    t = Date.now();
    ours.getAllMetaDataIds();
    ours.getAllMetaDataValues();
    const metaReadAllMs = Date.now() - t;
    const storage = cal.manager.getCalendarById(id).QueryInterface(Ci.calISyncWriteCalendar);
    t = Date.now();
    for (let i = 0; i < count; i++) storage.setMetaData("bm-bench-meta-" + i, JSON.stringify({ u: "bench-" + i, v: i }));
    const metaWriteMs = Date.now() - t;
    for (let i = 0; i < count; i++) storage.deleteMetaData("bm-bench-meta-" + i);
    return { offlineScanMs, metaReadAllMs, metaWriteMs, count };`,
    [ourUri, storageCalendarId, count],
  );
}
