/**
 * Foreign iCalendar, read as BlueMind reads it: descriptions. BlueMind stores HTML; its import takes
 * X-ALT-DESC;FMTTYPE=text/html as is, a DESCRIPTION with </div> or </table> as is, and turns any
 * other DESCRIPTION into HTML with its URLs linked. Every URL survives both ways, also through an
 * edit made in Thunderbird.
 */
import { strict as assert } from "node:assert";
import type { VEventSeries } from "../../../src/bluemind/types";
import { icsToSeries, readIcsCalendar, seriesToIcs } from "../../../src/convert/index";
import { htmlToText, looksLikeHtml, textToHtml } from "../../../src/convert/html-text";
import { icsFixture, mainVevent } from "./support/ical";
import { Rng } from "./support/random";

const TEAMS_TEXT = [
  "_____________________",
  "Microsoft Teams meeting",
  "Join on your computer, mobile app or room device",
  "Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ%40thread.v2/0?context=%7b%22Tid%22%3a%2242%22%7d>",
  "Meeting ID: 123 456 789",
  "Passcode: Ab3",
  "",
  "Join Microsoft Teams Meeting<https://teams.microsoft.com/l/meetup-join/x> | Meeting options<https://teams.microsoft.com/meetingOptions/?organizerId=1&tenantId=2>",
  "Questions? <mailto:help@corp.example>",
  "Agenda: <<agenda.pdf>>",
  "_____________________",
].join("\n");

function byUid(): Map<string, VEventSeries> {
  return new Map(readIcsCalendar(icsFixture("foreign-descriptions.ics"), { warn: () => undefined }).series.map((s) => [s.icsUid, s]));
}

const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));

describe("convert: foreign descriptions", () => {
  it("reads Teams' plain text as text: every <https://…> becomes a link, nothing is lost", () => {
    const d = byUid().get("teams-plain-text")!.main!.description!;
    assert.deepEqual(hrefs(d), [
      "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ%40thread.v2/0?context=%7b%22Tid%22%3a%2242%22%7d",
      "https://teams.microsoft.com/l/meetup-join/x",
      "https://teams.microsoft.com/meetingOptions/?organizerId=1&tenantId=2",
      "mailto:help@corp.example",
    ]);
    assert.ok(d.includes("Agenda: &lt;&lt;agenda.pdf&gt;&gt;<br>"), d);
    assert.equal(htmlToText(d), TEAMS_TEXT);
  });

  it("gives Thunderbird the same text in DESCRIPTION and the links in ALTREP", () => {
    const s = byUid().get("teams-plain-text")!;
    const m = mainVevent(seriesToIcs(s));
    assert.equal(m.getFirstPropertyValue("description"), TEAMS_TEXT);
    const altrep = decodeURIComponent(
      String(m.getFirstProperty("description")!.getFirstParameter("altrep")).slice("data:text/html,".length),
    );
    assert.equal(altrep, s.main!.description);
  });

  it("takes the producer's X-ALT-DESC HTML, as BlueMind does, and keeps the link target in the text", () => {
    const d = byUid().get("outlook-html")!.main!.description!;
    assert.ok(d.startsWith('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2//EN">'), d);
    assert.equal(htmlToText(d), "Join the call <https://meet.example/room/7>");
  });

  it("keeps a DESCRIPTION that BlueMind takes for HTML (it has </div>) as it is", () => {
    assert.equal(byUid().get("html-in-description")!.main!.description, '<div>Agenda: <a href="https://wiki.example/a">wiki</a></div>');
  });

  it("escapes what only looks like markup, and links www. and mail addresses", () => {
    const d = byUid().get("tags-in-text")!.main!.description!;
    assert.equal(
      d,
      'Use &lt;b&gt; for bold &amp; see <a href="http://www.example.org">www.example.org</a> or write to <a href="mailto:ann@corp.example">ann@corp.example</a>.',
    );
  });

  it("writes a plain-text BlueMind description with <https://…> as plain text (Thunderbird links it)", () => {
    const s: VEventSeries = {
      icsUid: "p",
      occurrences: [],
      main: {
        dtstart: { iso8601: "2025-03-10T09:00:00.000Z", timezone: "UTC", precision: "DateTime" },
        description: "Join<https://x.example/j> or <<a.pdf>>",
      },
    };
    const m = mainVevent(seriesToIcs(s));
    assert.equal(m.getFirstPropertyValue("description"), "Join<https://x.example/j> or <<a.pdf>>");
    assert.equal(m.getFirstProperty("description")!.getFirstParameter("altrep"), undefined);
    assert.equal(m.getFirstProperty("x-alt-desc"), null);
  });

  describe("an HTML description with links, edited in Thunderbird", () => {
    const html = '<p>Join the <a href="https://meet.example/abc">video call</a></p><p>Bring the <b>slides</b></p>';
    const base: VEventSeries = {
      icsUid: "edit-1",
      occurrences: [],
      counters: [],
      properties: {},
      main: {
        dtstart: { iso8601: "2025-03-10T09:00:00.000Z", timezone: "UTC", precision: "DateTime" },
        summary: "Review",
        description: html,
      },
    };
    const written = seriesToIcs(base);
    const dropAltrep = (ics: string): string => ics.replace(/DESCRIPTION;ALTREP="[^"]*":/, "DESCRIPTION:");

    it("writes the link target into the plain text", () => {
      assert.equal(
        mainVevent(written).getFirstPropertyValue("description"),
        "Join the video call <https://meet.example/abc>\nBring the slides",
      );
    });

    it("takes Thunderbird's HTML (ALTREP) when the description was edited as HTML", () => {
      const edited = written.replace(
        /DESCRIPTION;ALTREP="[^"]*":[^\r]*/,
        `DESCRIPTION;ALTREP="data:text/html,${encodeURIComponent('<p>New <a href="https://meet.example/abc">link</a></p>')}":New link`,
      );
      assert.equal(icsToSeries(edited, base).main!.description, '<p>New <a href="https://meet.example/abc">link</a></p>');
    });

    it("keeps the link when only the plain text came back, edited", () => {
      const edited = dropAltrep(written).replace("Bring the slides", "Bring the slides and coffee");
      const d = icsToSeries(edited, base).main!.description!;
      assert.deepEqual(hrefs(d), ["https://meet.example/abc"]);
      assert.equal(htmlToText(d), "Join the video call <https://meet.example/abc>\nBring the slides and coffee");
    });

    it("keeps BlueMind's HTML when the plain text came back unchanged (also as earlier versions wrote it)", () => {
      assert.equal(icsToSeries(dropAltrep(written), base).main!.description, html);
      const legacy = dropAltrep(written).replace("Join the video call <https://meet.example/abc>\\n", "Join the video call\\n");
      assert.equal(icsToSeries(legacy, base).main!.description, html);
    });

    it("drops the stale X-ALT-DESC once the plain text was edited", () => {
      const edited = dropAltrep(written).replace("Bring the slides", "Bring nothing");
      assert.ok(edited.includes("X-ALT-DESC"));
      assert.ok(!icsToSeries(edited, base).main!.description!.includes("slides"));
    });
  });

  it("htmlToText(textToHtml(t)) gives t back, for any text", () => {
    const r = new Rng(7);
    const bits = [
      "a",
      " ",
      "  ",
      "\n",
      "\n\n",
      "\t",
      "<",
      ">",
      "&",
      "&amp;",
      "<https://x.example/p?a=1&b=2>",
      "mailto:m@x.org",
      "<<f.pdf>>",
      "www.ex.com",
      "é",
      "(see https://x.example/(a))",
      "b@c.fr.",
    ];
    for (let i = 0; i < 500; i++) {
      const t = Array.from({ length: r.int(1, 12) }, () => r.pick(bits))
        .join("")
        .trim();
      const h = textToHtml(t);
      assert.equal(htmlToText(h), t, JSON.stringify(t));
      assert.ok(t === h || looksLikeHtml(h) || !/[<>&\n]/.test(t), JSON.stringify(t));
    }
  });
});
