/**
 * The oracle of the storage rows (issue 11): events the add-on stores as Thunderbird's rows
 * (src/thunderbird/storage-rows.ts, written by the experiment's direct-rows.js) must read back
 * from Thunderbird exactly as the same events stored the usual way, parsed and adopted one by
 * one. Every benchmark event and every converter fixture (BlueMind JSON and foreign iCalendar,
 * each also without its people, so that meetings' other fields are encoded too) goes through
 * our converter, then through both ways into two storage calendars of a scratch database in
 * this Thunderbird's profile; both are read back by fresh calendar objects (so from SQLite, not
 * from an item cache) and their serialised iCalendar compared, event by event.
 * It runs on every Thunderbird of the suite (153, 140 ESR, Release).
 */

import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { VEventSeries } from "../../src/bluemind/types";
import { EVENT_CODEC } from "../../src/convert/codecs";
import { readIcsCalendar } from "../../src/convert";
import { splitForRows, type RowBlock } from "../../src/thunderbird/storage-rows";
import { benchEvents } from "../../tools/bench/events";
import { launchThunderbird, type Thunderbird } from "./harness/thunderbird";
import { ADDON_ID, assertBuilt, dumpLogOnFailure, XPI } from "./support/addon";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");
const BLOCK = 500;

/** The same series without attendees nor organizer: a meeting's other fields, as rows. */
function withoutPeople(series: VEventSeries): VEventSeries {
  const solo = (event: VEventSeries["main"]) => (event ? { ...event, attendees: [], organizer: null } : event);
  return {
    ...series,
    icsUid: `${series.icsUid}-solo`,
    main: solo(series.main),
    occurrences: series.occurrences.map((occurrence) => ({ ...occurrence, attendees: [], organizer: null })),
  };
}

function fixtureSeries(): VEventSeries[] {
  const found: VEventSeries[] = [];
  const warn = (): void => undefined;
  const convert = path.join(FIXTURES, "convert");
  for (const name of readdirSync(convert).sort()) {
    const text = readFileSync(path.join(convert, name), "utf8");
    if (name.endsWith(".json")) {
      const value = JSON.parse(text) as Partial<VEventSeries>;
      if (typeof value.icsUid === "string" && Array.isArray(value.occurrences)) found.push(value as VEventSeries);
    } else if (name.endsWith(".ics")) {
      found.push(...readIcsCalendar(text.replace(/\r?\n/g, "\r\n"), { warn }).series);
    }
  }
  const corpus = path.join(FIXTURES, "ics-corpus");
  for (const name of (readdirSync(corpus, { recursive: true }) as string[]).filter((n) => n.endsWith(".ics")).sort()) {
    found.push(...readIcsCalendar(readFileSync(path.join(corpus, name), "utf8").replace(/\r?\n/g, "\r\n"), { warn }).series);
  }
  const convertible = found.filter((series) => {
    try {
      EVENT_CODEC.toIcs([series], { warn });
      return true;
    } catch {
      return false;
    }
  });
  return [...convertible, ...convertible.map(withoutPeople)];
}

/** Our converter's blocks of `series`, each split as the add-on splits a large block. */
function rowBlocks(series: VEventSeries[]): { blocks: RowBlock[]; left: number } {
  const blocks: RowBlock[] = [];
  let left = 0;
  for (let i = 0; i < series.length; i += BLOCK) {
    const ics = EVENT_CODEC.toIcs(series.slice(i, i + BLOCK), { warn: () => undefined });
    const { rows, rest } = splitForRows(ics);
    if (rows) blocks.push(rows);
    left += new Set(rest?.match(/^UID:.*$/gm) ?? []).size;
  }
  return { blocks, left };
}

/** Chrome code: \`open(id)\`, a storage calendar of that id in the scratch database of the profile. */
const OPEN_SCRATCH = `
  const file = Services.dirsvc.get("ProfD", Ci.nsIFile);
  file.append("storage-rows-oracle.sqlite");
  const open = id => {
    const calendar = Cc["@mozilla.org/calendar/calendar;1?type=storage"].createInstance(Ci.calICalendar);
    calendar.uri = Services.io.newFileURI(file);
    calendar.id = id;
    return calendar;
  };
`;

/** Stores one block both ways (adoptItem one by one into "oracle-adopt", rows into "oracle-rows"). */
const STORE_BOTH_WAYS = `
  const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
  const [addonId, block, calendarIds] = args;
  const host = "bmcal-" + WebExtensionPolicy.getByID(addonId).mozExtensionHostname;
  const resources = Services.io.getProtocolHandler("resource").QueryInterface(Ci.nsIResProtocolHandler);
  if (!resources.hasSubstitution(host)) return { notLoaded: true };
  const scope = { ChromeUtils, cal };
  Services.scriptloader.loadSubScript("resource://" + host + "/experiments/bmcal/direct-rows.js", scope);
  ${OPEN_SCRATCH}
  const adopted = open(calendarIds[0]);
  const direct = open(calendarIds[1]);
  const { usable, others } = scope.usableRows(block.items);
  const parser = Cc["@mozilla.org/calendar/ics-parser;1"].createInstance(Ci.calIIcsParser);
  parser.parseString(scope.fallbackIcs(block, usable) || "");
  for (const item of parser.getItems()) {
    await adopted.adoptItem(item);
  }
  const model = scope.rowModel(direct);
  if (!model) return { noModel: true };
  await scope.insertRows(model, usable, new Map(usable.map(rows => [rows.id, JSON.stringify({ oracle: rows.id })])));
  return { stored: usable.map(rows => rows.id), others: others.map(rows => rows.id) };
`;

/** Reads both calendars back whole through fresh objects; answers the events whose iCalendar differs, with both texts. */
const COMPARE = `
  const [calendarIds, since] = args;
  // Thunderbird's serialiser fills CREATED, LAST-MODIFIED and DTSTAMP it does not hold with the
  // time of serialising: such a line (at or after \`since\`, this comparison's start) says
  // nothing of what was stored, and is left out of both texts.
  const stamped = /^(CREATED|LAST-MODIFIED|DTSTAMP):(\\d{8}T\\d{6}Z)$/;
  const text = item => item.icalComponent.serializeToICS().split("\\r\\n")
    .filter(line => { const m = stamped.exec(line); return !m || m[2] < since; }).join("\\r\\n");
  ${OPEN_SCRATCH}
  const read = async calendar => {
    const items = await calendar.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_ALL_ITEMS, 0, null, null);
    return new Map(items.map(item => [item.id, text(item)]));
  };
  const direct = open(calendarIds[1]);
  const adopted = await read(open(calendarIds[0]));
  const rows = await read(direct);
  const differing = [];
  for (const [id, text] of adopted) {
    if (rows.get(id) !== text) differing.push({ id, adopted: text, rows: rows.get(id) ?? null });
  }
  const metaMissing = [...rows.keys()].filter(id => direct.getMetaData(id) !== JSON.stringify({ oracle: id }));
  return { adopted: adopted.size, rows: rows.size, differing: differing.slice(0, 5), differingCount: differing.length, metaMissing: metaMissing.length };
`;

interface Compared {
  adopted: number;
  rows: number;
  differing: { id: string; adopted: string; rows: string | null }[];
  differingCount: number;
  metaMissing: number;
}

describe("storage rows read back as adoptItem stores them (oracle)", function () {
  this.timeout(600_000);
  let tb: Thunderbird;

  before(async () => {
    assertBuilt();
    tb = await launchThunderbird();
    await tb.installAddon(XPI, { temporary: false });
  });

  afterEach(dumpLogOnFailure(() => tb));

  after(async () => {
    await tb?.quit();
  });

  async function storeAndCompare(name: string, series: VEventSeries[]): Promise<{ stored: number; usual: number }> {
    const { blocks, left } = rowBlocks(series);
    assert.ok(blocks.length > 0, `${name}: some events are encoded as rows`);
    let stored = 0;
    let usual = left;
    const compared: Compared = { adopted: 0, rows: 0, differing: [], differingCount: 0, metaMissing: 0 };
    for (const [index, block] of blocks.entries()) {
      // A pair of calendars per block: each is read back whole.
      const ids = [`oracle-adopt-${name}-${index}`, `oracle-rows-${name}-${index}`];
      let answer: { notLoaded?: boolean; noModel?: boolean; stored?: string[]; others?: string[] } = { notLoaded: true };
      for (let attempt = 0; attempt < 100 && answer.notLoaded; attempt++) {
        answer = await tb.chrome(STORE_BOTH_WAYS, ADDON_ID, block, ids);
        if (answer.notLoaded) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(!answer.notLoaded, "the add-on's experiment is loaded");
      assert.ok(!answer.noModel, `this Thunderbird's storage takes rows (schema 23)`);
      stored += answer.stored?.length ?? 0;
      usual += answer.others?.length ?? 0;
      const since = new Date()
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
      const answered = await tb.chrome<Compared>(COMPARE, ids, since);
      compared.adopted += answered.adopted;
      compared.rows += answered.rows;
      compared.differing.push(...answered.differing);
      compared.differingCount += answered.differingCount;
      compared.metaMissing += answered.metaMissing;
    }
    assert.equal(compared.rows, stored, `${name}: every event stored as rows reads back`);
    assert.equal(compared.adopted, stored, `${name}: every event adopted reads back`);
    const lineDiff = ({ id, adopted, rows }: Compared["differing"][number]): string => {
      const a = adopted.split("\r\n");
      const b = (rows ?? "").split("\r\n");
      return `${id}: adoptItem ${JSON.stringify(a.filter((line) => !b.includes(line)))} rows ${JSON.stringify(b.filter((line) => !a.includes(line)))}`;
    };
    assert.equal(
      compared.differingCount,
      0,
      `${name}: ${compared.differingCount} events read back differently:\n${compared.differing.map(lineDiff).join("\n")}`,
    );
    assert.equal(compared.metaMissing, 0, `${name}: every metadata row stored with its rows`);
    console.log(
      `      storage rows, ${name}: ${stored} events stored as rows read back identical to adoptItem's; ${usual} left to the usual way`,
    );
    return { stored, usual };
  }

  it("every benchmark event encoded as rows reads back identical to adoptItem's", async () => {
    const events = benchEvents(10_000, { name: "Bench", email: "bench@example.test" }).map((event) => event.series);
    const { stored } = await storeAndCompare("bench", events);
    assert.ok(stored >= 7_000, `most benchmark events are simple ones (${stored})`);
  });

  it("every converter fixture encoded as rows reads back identical to adoptItem's", async () => {
    const { stored } = await storeAndCompare("fixtures", fixtureSeries());
    assert.ok(stored >= 20, `fixtures stored as rows (${stored})`);
  });
});
