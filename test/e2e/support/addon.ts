/**
 * What the end-to-end tests share about our add-on in a real Thunderbird: where the built
 * .xpi is, how to read Thunderbird's calendars from chrome code, and how to wait for
 * something the user would see.
 */

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunningServer } from "../../../server/app";
import { DEMO } from "../../../server/demo-data";
import type { Thunderbird } from "../harness/thunderbird";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const manifest = JSON.parse(readFileSync(path.join(root, "manifest.json"), "utf8")) as {
  version: string;
  browser_specific_settings: { gecko: { id: string } };
};

export const ADDON_ID = manifest.browser_specific_settings.gecko.id;
export const XPI = path.join(root, "dist", `bluemind-calendar-sync-${manifest.version}.xpi`);

export function assertBuilt(): void {
  if (!existsSync(XPI)) {
    throw new Error(`${XPI} is missing: run \`npm run build\` first (npm test does)`);
  }
}

export interface TbCalendar {
  id: string;
  type: string;
  uri: string;
  name: string;
  color: string | null;
  readOnly: boolean;
  cacheEnabled: boolean;
  /** Thunderbird really wrapped it in its offline cache (calCachedCalendar). */
  cachedFacade: boolean;
  disabled: boolean;
}

/** Every calendar Thunderbird's calendar manager knows, as seen from chrome code. */
export function listCalendars(tb: Thunderbird): Promise<TbCalendar[]> {
  return tb.chrome<TbCalendar[]>(`
    const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
    const { calCachedCalendar } = ChromeUtils.importESModule("resource:///modules/CalCachedCalendar.sys.mjs");
    return cal.manager.getCalendars().map(c => ({
      id: c.id, type: c.type, uri: c.uri.spec, name: c.name, color: c.getProperty("color"),
      readOnly: !!c.readOnly, cacheEnabled: !!c.getProperty("cache.enabled"),
      cachedFacade: c.wrappedJSObject instanceof calCachedCalendar,
      disabled: !!c.getProperty("disabled"),
    }));
  `);
}

/** Our calendars of BlueMind calendars (`…/api/calendars/…`); the todo lists are ourTodoLists. */
export async function ourCalendars(tb: Thunderbird): Promise<TbCalendar[]> {
  return (await listCalendars(tb)).filter((c) => c.type === "bluemind" && c.uri.includes("/api/calendars/"));
}

/** Our task calendars: one per subscribed, readable BlueMind todo list (`…/api/todolist/…`). */
export async function ourTodoLists(tb: Thunderbird): Promise<TbCalendar[]> {
  return (await listCalendars(tb)).filter((c) => c.type === "bluemind" && c.uri.includes("/api/todolist/"));
}

/** Polls `probe` until `accept` holds; fails with the last value seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last, null, 1).slice(0, 2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Reads of a page that re-renders (staleness) are tried again this many times, 50 ms apart. */
/**
 * The texts the elements matching `selector` show on the attached page, in page order ("" for
 * a hidden one), read in one script: the options page replaces a row's details at each status
 * change (during a long first sync, several times a second), so finding an element and then
 * asking its text in a second round trip can keep meeting a replaced element on a loaded machine.
 */
export function shownTexts(tb: Thunderbird, selector: string): Promise<string[]> {
  return tb.marionette.execute<string[]>(
    "return [...document.querySelectorAll(arguments[0])].map(e => (e.checkVisibility() ? e.innerText.trim() : ''));",
    [selector],
  );
}

/** The text the first element matching `selector` shows, "" when there is none or it is hidden. */
export async function shownText(tb: Thunderbird, selector: string): Promise<string> {
  return (await shownTexts(tb, selector))[0] ?? "";
}

/** Signs in from the options page's own context (the UI path itself is covered by calendars.test.ts). */
export async function signInFromOptionsPage(tb: Thunderbird, serverUrl: string, login: string, password: string): Promise<void> {
  await tb.openOptionsPage(ADDON_ID);
  const response = await tb.content<{ ok: boolean; error?: unknown }>(
    `return browser.runtime.sendMessage({ type: "signIn", serverUrl: args[0], login: args[1], password: args[2] });`,
    serverUrl,
    login,
    password,
  );
  if (!response.ok) {
    throw new Error(`sign-in failed: ${JSON.stringify(response.error)}`);
  }
}

/** Prints Thunderbird's log tail under a failed test (use as `afterEach(dumpLogOnFailure(() => tb))`). */
export function dumpLogOnFailure(current: () => Thunderbird | undefined) {
  return function (this: Mocha.Context): void {
    const tb = current();
    if (this.currentTest?.state === "failed" && tb) {
      console.log("---- Thunderbird log tail ----\n" + tb.logTail(60));
    }
  };
}

/**
 * Alice's "Archives" (9,500 events, Synchronisation on in the demo data) made online-only, for
 * the files that do not look at it: its first sync is calendars.test.ts's subject (progress,
 * the 9000 warning), and elsewhere it only kept Thunderbird's main thread busy for tens of
 * seconds behind the steps under test. fault-matrix and offline-property do the same.
 */
export function archivesOnlineOnly(server: RunningServer): void {
  server.state.patchSubscription(DEMO.users.alice.uid, DEMO.calendars.archives.uid, { offlineSync: false });
}
