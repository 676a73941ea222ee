/**
 * Text and enum fields: summary, description (HTML via ALTREP + X-ALT-DESC), location, url,
 * CLASS, TRANSP, STATUS (with X-BM-STATUS for BlueMind's non-VEVENT statuses), PRIORITY,
 * SEQUENCE, CATEGORIES.
 */
import { strict as assert } from "node:assert";
import type { EventStatus, VEventSeries } from "../../../src/bluemind/types";
import { icsToSeries, seriesToIcs } from "../../../src/convert/index";
import { clone, mainVevent, seriesFixture } from "./support/ical";

describe("convert: text and enum fields", () => {
  const s = seriesFixture("text.json");
  const ics = seriesToIcs(s);
  const m = mainVevent(ics);

  it("writes summary, location, url, priority and sequence", () => {
    assert.equal(m.getFirstPropertyValue("summary"), "Comité; budget, 2024");
    assert.equal(m.getFirstPropertyValue("location"), "Salle 3, bâtiment B");
    assert.equal(m.getFirstPropertyValue("url"), "https://intranet.bm.lan/comite?id=42&lang=fr");
    assert.equal(m.getFirstPropertyValue("priority"), 1);
    assert.equal(m.getFirstPropertyValue("sequence"), 4);
  });

  it("maps classification, transparency and status to CLASS, TRANSP, STATUS", () => {
    assert.equal(m.getFirstPropertyValue("class"), "CONFIDENTIAL");
    assert.equal(m.getFirstPropertyValue("transp"), "TRANSPARENT");
    assert.equal(m.getFirstPropertyValue("status"), "TENTATIVE");
  });

  it("writes category labels as one CATEGORIES property", () => {
    const cats = m.getAllProperties("categories");
    assert.equal(cats.length, 1);
    assert.deepEqual(cats[0]!.getValues(), ["Travail", "Budget, RH"]);
  });

  it("writes an HTML description as plain text, with the HTML in ALTREP and X-ALT-DESC", () => {
    const d = m.getFirstProperty("description")!;
    assert.equal(d.getFirstValue(), "Ordre du jour :\nbudget & RH\ndivers");
    assert.equal(decodeURIComponent(String(d.getFirstParameter("altrep")).replace("data:text/html,", "")), s.main!.description);
    const alt = m.getFirstProperty("x-alt-desc")!;
    assert.equal(alt.getFirstParameter("fmttype"), "text/html");
    assert.equal(alt.getFirstValue(), s.main!.description);
  });

  it("writes a plain-text description as is, without ALTREP", () => {
    const plain = clone(s);
    plain.main!.description = "Line 1\nLine 2, with a comma; and a semicolon";
    const d = mainVevent(seriesToIcs(plain)).getFirstProperty("description")!;
    assert.equal(d.getFirstValue(), plain.main!.description);
    assert.equal(d.getFirstParameter("altrep"), undefined);
  });

  it("reads every field back (category details need `base`)", () => {
    const back = icsToSeries(ics).main!;
    assert.equal(back.summary, s.main!.summary);
    assert.equal(back.description, s.main!.description);
    assert.equal(back.location, s.main!.location);
    assert.equal(back.url, s.main!.url);
    assert.equal(back.classification, "Confidential");
    assert.equal(back.transparency, "Transparent");
    assert.equal(back.status, "Tentative");
    assert.equal(back.priority, 1);
    assert.equal(back.sequence, 4);
    assert.deepEqual(back.categories, [
      { containerUid: null, itemUid: null, label: "Travail", color: null },
      { containerUid: null, itemUid: null, label: "Budget, RH", color: null },
    ]);
  });

  it("keeps BlueMind's non-VEVENT statuses in X-BM-STATUS and reads them back", () => {
    const cases: [EventStatus, string | null, string | null][] = [
      ["Tentative", "TENTATIVE", null],
      ["Confirmed", "CONFIRMED", null],
      ["Cancelled", "CANCELLED", null],
      ["NeedsAction", null, "NeedsAction"],
      ["Completed", null, "Completed"],
      ["InProcess", null, "InProcess"],
    ];
    for (const [status, std, x] of cases) {
      const v: VEventSeries = clone(s);
      v.main!.status = status;
      const out = seriesToIcs(v);
      const c = mainVevent(out);
      assert.equal(c.getFirstPropertyValue("status"), std, status);
      assert.equal(c.getFirstPropertyValue("x-bm-status"), x, status);
      assert.equal(icsToSeries(out).main!.status, status);
    }
  });

  it("maps every classification and transparency both ways", () => {
    for (const [cls, txt] of [
      ["Public", "PUBLIC"],
      ["Private", "PRIVATE"],
      ["Confidential", "CONFIDENTIAL"],
    ] as const) {
      for (const [tr, ttxt] of [
        ["Opaque", "OPAQUE"],
        ["Transparent", "TRANSPARENT"],
      ] as const) {
        const v = clone(s);
        v.main!.classification = cls;
        v.main!.transparency = tr;
        const out = seriesToIcs(v);
        assert.equal(mainVevent(out).getFirstPropertyValue("class"), txt);
        assert.equal(mainVevent(out).getFirstPropertyValue("transp"), ttxt);
        const back = icsToSeries(out).main!;
        assert.equal(back.classification, cls);
        assert.equal(back.transparency, tr);
      }
    }
  });

  it("writes CRLF in BlueMind text as LF (raw CR is not valid iCalendar)", () => {
    const v = clone(s);
    v.main!.summary = "a\r\nb\rc";
    assert.equal(icsToSeries(seriesToIcs(v)).main!.summary, "a\nb\nc");
    assert.ok(!seriesToIcs(v).includes("a\r\nb"), "no raw CR inside a value");
  });

  it("leaves out what is null", () => {
    const bare = seriesToIcs({ icsUid: "bare", occurrences: [], main: { dtstart: s.main!.dtstart } });
    const c = mainVevent(bare);
    for (const name of [
      "summary",
      "description",
      "location",
      "url",
      "class",
      "transp",
      "status",
      "priority",
      "sequence",
      "categories",
      "x-alt-desc",
      "x-bm-status",
    ]) {
      assert.equal(c.hasProperty(name), false, name);
    }
    assert.ok(c.hasProperty("uid") && c.hasProperty("dtstamp") && c.hasProperty("dtstart"));
  });
});
