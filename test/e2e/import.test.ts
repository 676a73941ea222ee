/**
 * Foreign iCalendar brought in with Thunderbird's own Import (File › Import › Calendar, the
 * import wizard's CalendarFileImporter: calIcsParser reads the file, then each item is added to
 * the chosen calendar with addItem) into alice's synced BlueMind calendar "Alice". What BlueMind
 * then stores is compared with the independent reading of the file the ICS corpus test uses
 * (test/unit/support/ics-oracle.ts): the same occurrences, as UTC instants over two years, with
 * their durations. Also: a Teams join link survives in BlueMind's description, and a file with
 * one event BlueMind cannot store brings the others in and tells the user about that one.
 */

import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunningServer } from "../../server/app";
import { toInstant } from "../../server/bmdate";
import { DEMO } from "../../server/demo-data";
import { seriesInstances } from "../../server/recurrence";
import type { VEventSeries } from "../../src/bluemind/types";
import { calendarUri } from "../../src/sync/calendar-identity";
import { readIcs } from "../unit/support/ics-oracle";
import type { Thunderbird } from "./harness/thunderbird";
import { ADDON_ID, dumpLogOnFailure, waitFor } from "./support/addon";
import { readItems, refresh } from "./support/calendar-chrome";
import { startSignedIn } from "./support/signed-in";
import { inOrder } from "./support/steps";

const { alice } = DEMO.users;
const C = DEMO.calendars;
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures");
/** The oracle's window: two years from the series' start. */
const YEAR2 = 2 * 366 * 86_400_000;

interface Occ {
  start: string;
  duration: number | null;
}

const byStart = (a: Occ, b: Occ): number => a.start.localeCompare(b.start);

/** The oracle's occurrences of one UID: UTC instants (never floating here) and durations. */
function expected(ics: string, uid: string): Occ[] {
  const occurrences = readIcs(ics).occurrences.filter((o) => o.uid === uid);
  for (const o of occurrences) assert.match(o.start, /^I:/, `${uid}: the file gives ${o.start} an offset`);
  return occurrences.map((o) => ({ start: o.start.slice(2), duration: o.duration })).sort(byStart);
}

/** The occurrences BlueMind's copy has, over the same two years (the reference server's expansion). */
function onServer(series: VEventSeries): Occ[] {
  const starts = [series.main?.dtstart, ...series.occurrences.map((o) => o.dtstart)].filter((d) => !!d).map((d) => toInstant(d, "UTC"));
  const first = Math.min(...starts);
  const out: Occ[] = [];
  for (const i of seriesInstances(series, "UTC", first + YEAR2 + 1)) {
    out.push({ start: new Date(i.start).toISOString(), duration: Math.round((i.end - i.start) / 1000) });
  }
  return out.sort(byStart);
}

/** The VEVENTs of `uid`s in `ics`, by UID (a file's line folding undone first). */
function uidsOf(ics: string): string[] {
  const unfolded = ics.replace(/\r?\n[ \t]/g, "");
  return [...new Set([...unfolded.matchAll(/^UID:(.+?)\r?$/gm)].map((m) => m[1]!.trim()))];
}

describe("Thunderbird's own Import of foreign .ics files into a BlueMind calendar", function () {
  this.timeout(240_000);
  const step = inOrder();

  let server: RunningServer;
  let tb: Thunderbird;
  let tmp: string;
  const aliceUri = (): string => calendarUri(server.url, C.alice.uid);
  const stored = (icsUid: string): VEventSeries | undefined =>
    server.state
      .calendar(C.alice.uid)
      ?.all()
      .find((item) => item.value.icsUid === icsUid)?.value;

  /**
   * What the import wizard does once the user picked the file and the calendar: parse it with
   * calIcsParser, then add every item to that calendar (startImport stops at the first refusal).
   */
  function importFile(file: string): Promise<{ offered: boolean; parsed: string[]; ok: boolean; error?: string }> {
    return tb.chrome(
      `
      const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
      const { CalendarFileImporter } = ChromeUtils.importESModule("resource:///modules/CalendarFileImporter.sys.mjs");
      const importer = new CalendarFileImporter();
      const target = importer.getTargetCalendars().find(c => c.uri.spec == args[1]);
      const file = Cc["@mozilla.org/file/local;1"].createInstance(Ci.nsIFile);
      file.initWithPath(args[0]);
      const items = await importer.parseIcsFile(file);
      const parsed = items.map(i => i.title);
      if (!target) return { offered: false, parsed, ok: false };
      try {
        await importer.startImport(items, target);
        return { offered: true, parsed, ok: true };
      } catch (e) {
        return { offered: true, parsed, ok: false, error: String(e && (e.message || e)) };
      }`,
      file,
      aliceUri(),
    );
  }

  /** Thunderbird's calendar error windows now open: their message and details; closes them. */
  function takeErrorWindows(): Promise<{ text: string; description: string }[]> {
    return tb.chrome(`
      const out = [];
      for (const w of Services.wm.getEnumerator(null)) {
        if (!w.document.documentURI.includes("calendar-error-prompt") || w.document.readyState != "complete") continue;
        out.push({ text: w.document.getElementById("general-text").value, description: w.document.getElementById("error-description").value });
        w.close();
      }
      return out;`);
  }

  before(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), "bm-import-"));
    ({ server, tb } = await startSignedIn(alice));
    await waitFor(
      "Alice's events in Thunderbird",
      () => readItems(tb, aliceUri()),
      (items) => items.length >= 6,
      60_000,
    );
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(dumpLogOnFailure(() => tb));

  step("1. an Outlook calendar in Windows zones: BlueMind holds every occurrence the file means, across the DST change", async () => {
    // A real Exchange export (test/fixtures/ics-corpus/SOURCES.md). One of its VEVENTs has a line
    // ical.js cannot parse, so Thunderbird's parser refuses the whole file ("noItemsFound") before
    // anything reaches the add-on; the user gets the file without that VEVENT.
    const original = readFileSync(path.join(fixtures, "ics-corpus/outlook/exchange-windows-zones-broken-dtstart.ics"), "utf8");
    const ics = original.replace(
      /BEGIN:VEVENT\r?\n(?:(?!END:VEVENT)[\s\S])*?DTSTART;TZID="W\. Europe Standard Time:[\s\S]*?END:VEVENT\r?\n/,
      "",
    );
    assert.notEqual(ics, original);
    const file = path.join(tmp, "exchange-windows-zones.ics");
    writeFileSync(file, ics);

    const result = await importFile(file);
    assert.deepEqual(result, { offered: true, parsed: result.parsed, ok: true });
    assert.equal(result.parsed.length, 3);

    const uids = uidsOf(ics);
    assert.equal(uids.length, 3);
    for (const uid of uids) {
      const series = stored(uid);
      assert.ok(series?.main, `${uid} is in BlueMind`);
      assert.deepEqual(onServer(series), expected(ics, uid), `${series.main.summary}: the occurrences BlueMind holds`);
    }
    // The weekly series in "Pacific Standard Time" stays at 12:00 Los Angeles on both sides of
    // the change of 1 November 2020 (19:00Z in summer, 20:00Z in winter).
    const weekly = stored(uids.find((u) => stored(u)?.main?.rrule)!)!;
    assert.equal(weekly.main!.dtstart.timezone, "America/Los_Angeles");
    const starts = onServer(weekly).map((o) => o.start);
    assert.ok(starts.includes("2020-10-30T19:00:00.000Z") && starts.includes("2020-11-03T20:00:00.000Z"), starts.join(" "));
    assert.ok(!starts.includes("2020-07-21T19:00:00.000Z"), "an EXDATE in the Windows zone removes its occurrence");
    assert.equal(stored(uids.find((u) => stored(u)?.main?.summary === "test")!)!.main!.dtstart.timezone, "Europe/Berlin");
  });

  step(
    "2. a Teams meeting (weekly in W. Europe Standard Time, one occurrence moved, one cancelled): same occurrences, and the join link survives in BlueMind's description",
    async () => {
      const file = path.join(fixtures, "import/outlook-teams-weekly-w-europe.ics");
      const ics = readFileSync(file, "utf8");
      const result = await importFile(file);
      assert.equal(result.ok, true, result.error);

      const [uid] = uidsOf(ics);
      const series = stored(uid!);
      assert.ok(series?.main);
      assert.equal(series.main.dtstart.timezone, "Europe/Berlin");
      assert.deepEqual(onServer(series), expected(ics, uid!));
      // 09:00 Berlin: 08:00Z before 28 March 2027, 07:00Z after.
      const starts = onServer(series).map((o) => o.start);
      assert.ok(starts.includes("2027-03-15T08:00:00.000Z") && starts.includes("2027-03-29T07:00:00.000Z"), starts.join(" "));

      const join =
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_OTdhZjM2YTQtNWE1Zi00NzQ5LWI1YjEtZDk2ZTZlYjY0N2Qx%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22b1f3c5d7-0000-4000-8000-1234567890ab%22%7d";
      for (const event of [series.main, ...series.occurrences]) {
        const html = event.description ?? "";
        assert.ok(html.includes(`<a href="${join}">`), `a link in BlueMind's description of "${event.summary}": ${html.slice(0, 600)}`);
        assert.ok(html.includes("Meeting ID: 312 456 789 012"), "the text around it is kept");
      }

      // And back in Thunderbird, after a sync, the event still carries the link.
      await refresh(tb, aliceUri());
      const described = await waitFor(
        "the Teams meeting back in Thunderbird",
        () =>
          tb.chrome<{ text: string | null; html: string | null } | null>(
            `const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
          const calendar = cal.manager.getCalendars().find(c => c.uri.spec == args[0]);
          const item = await calendar.getItem(args[1]);
          return item ? { text: item.getProperty("DESCRIPTION"), html: item.descriptionHTML ?? null } : null;`,
            aliceUri(),
            uid,
          ),
        (d) => !!d?.text,
      );
      assert.ok(described?.text?.includes(join), described?.text ?? "");
    },
  );

  step(
    "3. a file with one VEVENT without DTSTART: the others arrive, that one is refused in Thunderbird's error window, and the calendar is not marked failed",
    async () => {
      await takeErrorWindows();
      const file = path.join(fixtures, "import/one-vevent-without-dtstart.ics");
      const ics = readFileSync(file, "utf8");
      const result = await importFile(file);
      assert.equal(result.parsed.length, 3, "Thunderbird reads all three");
      // The wizard adds the items in order of their start; the one without a start comes last and
      // is refused, which ends the import.
      assert.equal(result.ok, false);

      for (const uid of ["import-review-2027@fixtures.test", "import-deploy-2027@fixtures.test"]) {
        const series = stored(uid);
        assert.ok(series?.main, `${uid} is in BlueMind`);
        assert.deepEqual(onServer(series), expected(ics, uid));
      }
      assert.equal(stored("import-no-start@fixtures.test"), undefined);
      assert.equal(readIcs(ics).unreadable, 1, "the independent reading finds it broken too");

      const windows = await waitFor(
        "Thunderbird's error window",
        () => takeErrorWindows(),
        (w) => w.length > 0,
      );
      assert.equal(windows.length, 1);
      // Our message first; Thunderbird adds its usual advice on read-only calendars below it.
      assert.equal(
        windows[0]!.description.split("\n")[0],
        "This event cannot be stored in BlueMind: its data cannot be read (VEVENT import-no-start@fixtures.test: no DTSTART).",
      );

      // One bad event of an import is no failure of the calendar: no "!" on the toolbar.
      const badge = await tb.background<string>(ADDON_ID, "return await messenger.browserAction.getBadgeText({});");
      assert.notEqual(badge, "!");
      const state = await tb.content<{ state: { mine: { uid: string; activity: { error: unknown } }[] } }>(
        `return browser.runtime.sendMessage({ type: "getState" });`,
      );
      assert.equal(state.state.mine.find((c) => c.uid === C.alice.uid)?.activity.error, null);
      // The good ones are in Thunderbird as well.
      const items = await readItems(tb, aliceUri());
      assert.ok(items.some((i) => i.title === "Quarterly review") && items.some((i) => i.title === "Deploy window"));
      assert.ok(!items.some((i) => i.title === "Room booking (no start)"));
    },
  );
});
