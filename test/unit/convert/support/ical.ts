/**
 * Test helpers: load JSON/ICS fixtures and look into produced ICS through ical.js, so
 * assertions are about iCalendar structure (TZID, VALUE types, VTIMEZONEs), not text layout.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ICAL from "ical.js";
import type { VEventSeries } from "../../../../src/bluemind/types";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../../fixtures/convert");

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

export function seriesFixture(name: string): VEventSeries {
  return JSON.parse(fixtureText(name)) as VEventSeries;
}

/** An ICS fixture with LF line ends turned into CRLF, as real producers write them. */
export function icsFixture(name: string): string {
  return fixtureText(name).replace(/\r?\n/g, "\r\n");
}

export function parseCal(ics: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(ics));
}

export function vevents(ics: string): ICAL.Component[] {
  return parseCal(ics).getAllSubcomponents("vevent");
}

export function mainVevent(ics: string): ICAL.Component {
  const m = vevents(ics).find((c) => !c.hasProperty("recurrence-id"));
  if (!m) throw new Error("no main VEVENT");
  return m;
}

export function tzids(ics: string): string[] {
  return parseCal(ics)
    .getAllSubcomponents("vtimezone")
    .map((z) => String(z.getFirstPropertyValue("tzid")));
}

/** The value of a property as ical.js writes it (e.g. "20240309T113000"), plus its parameters. */
export function propText(c: ICAL.Component, name: string): string {
  const p = c.getFirstProperty(name);
  if (!p) throw new Error(`no ${name}`);
  return p.toICALString();
}

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
