import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ICAL from "ical.js";
import { seriesListToIcs } from "../../../src/convert";
import { ensureDesign } from "../../../src/convert/design";
import { icsText } from "../../../src/convert/ics-text";
import { benchEvents } from "../../../tools/bench/events";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures");

function icsFiles(folder: string): string[] {
  const dir = join(FIXTURES, folder);
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ics"))
    .map((name) => join(dir, name));
}

const same = (component: ICAL.Component, what: string): void => assert.equal(icsText(component), component.toString(), what);

describe("icsText: a component's text as ical.js's toString() writes it", () => {
  before(() => ensureDesign());

  it("is identical for every iCalendar fixture and corpus file ical.js parses as it is", () => {
    const files = [...icsFiles("convert"), ...icsFiles("ics-corpus")];
    let compared = 0;
    for (const file of files) {
      let parsed: unknown[];
      try {
        parsed = ICAL.parse(readFileSync(file, "utf8")) as unknown[];
      } catch {
        continue; // a damaged file (ics-repair.ts mends it before anything is written from it)
      }
      same(new ICAL.Component(parsed), file);
      compared++;
    }
    assert.ok(compared >= 40, `${compared} of ${files.length} files compared`);
  });

  it("is identical for the benchmark's events (2,000 of them)", () => {
    const series = benchEvents(2_000, { name: "Bench", email: "bench@example.test" }).map((e) => e.series);
    const text = seriesListToIcs(series, { dtstamp: new Date("2026-12-01T00:00:00Z"), warn: () => {} });
    same(new ICAL.Component(ICAL.parse(text) as unknown[]), "bench events");
  });

  it("folds exactly where ical.js folds: 75 octets a line after the leading space, never inside a character", () => {
    const lengths = [1, 18, 19, 24, 25, 26, 36, 37, 38, 60, 66, 67, 68, 69, 70, 74, 75, 76, 150, 400];
    const pieces = ["a", "é", "€", "😀", "a€", "😀é"];
    for (const piece of pieces) {
      for (const n of lengths) {
        const event = new ICAL.Component("vevent");
        event.addPropertyWithValue("summary", piece.repeat(n));
        event.addPropertyWithValue("description", `x${piece.repeat(n)}`);
        const calendar = new ICAL.Component("vcalendar");
        calendar.addSubcomponent(event);
        same(calendar, `${piece} × ${n}`);
        for (const line of icsText(calendar).split("\r\n")) {
          const content = line.startsWith(" ") ? line.slice(1) : line;
          assert.ok(Buffer.byteLength(content) <= 75, `${piece} × ${n}: ${Buffer.byteLength(content)} octets`);
          assert.ok(!/[\ud800-\udbff]$|^[\udc00-\udfff]/.test(content), `${piece} × ${n}: a character split`);
        }
      }
    }
  });
});
