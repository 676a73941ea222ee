/**
 * ORGANIZER and ATTENDEE: the mailto value and every parameter BlueMind has (ROLE, PARTSTAT,
 * CUTYPE, RSVP, CN, DIR, DELEGATED-TO/FROM, MEMBER, SENT-BY, LANGUAGE, X-RESPONSE-COMMENT).
 */
import { strict as assert } from "node:assert";
import { icsToSeries, seriesToIcs } from "../../../src/convert/index";
import { mainVevent, seriesFixture } from "./support/ical";

describe("convert: organizer and attendees", () => {
  const s = seriesFixture("people.json");
  const ics = seriesToIcs(s);
  const m = mainVevent(ics);
  const atts = m.getAllProperties("attendee");

  it("writes the organizer as mailto with CN and DIR", () => {
    const o = m.getFirstProperty("organizer")!;
    assert.equal(o.getFirstValue(), "mailto:alice@bm.lan");
    assert.equal(o.getFirstParameter("cn"), "Alice Martin");
    assert.equal(o.getFirstParameter("dir"), "bm://bm.lan/users/alice");
  });

  it("writes attendees with ROLE, PARTSTAT, CUTYPE and RSVP keywords", () => {
    assert.deepEqual(
      atts.map((a) => a.getFirstValue()),
      ["mailto:alice@bm.lan", "mailto:bob@bm.lan", "mailto:carol@bm.lan", "mailto:room3@bm.lan", "mailto:ext@example.org"],
    );
    const parameters: Record<string, (string | undefined)[]> = {
      role: ["CHAIR", "REQ-PARTICIPANT", "OPT-PARTICIPANT", "NON-PARTICIPANT", "REQ-PARTICIPANT"],
      partstat: ["ACCEPTED", "DELEGATED", "NEEDS-ACTION", "TENTATIVE", "DECLINED"],
      cutype: ["INDIVIDUAL", "INDIVIDUAL", "INDIVIDUAL", "ROOM", "GROUP"],
      rsvp: ["FALSE", "TRUE", "TRUE", undefined, undefined],
    };
    for (const [name, want] of Object.entries(parameters)) {
      assert.deepEqual(
        atts.map((a) => a.getFirstParameter(name)),
        want,
        name,
      );
    }
  });

  it("writes delegation, membership, sent-by, language, directory and response comment", () => {
    const bob = atts[1]!;
    assert.equal(bob.getFirstParameter("delegated-to"), "mailto:carol@bm.lan");
    assert.equal(bob.getFirstParameter("member"), "mailto:team@bm.lan");
    assert.equal(bob.getFirstParameter("sent-by"), "mailto:assistant@bm.lan");
    assert.equal(bob.getFirstParameter("language"), "fr");
    assert.equal(bob.getFirstParameter("dir"), "bm://bm.lan/users/bob");
    assert.equal(bob.getFirstParameter("cn"), 'Bob "the builder", Jr.');
    assert.equal(bob.getFirstParameter("x-response-comment"), "Carol will go; sorry");
    assert.deepEqual(atts[2]!.getParameter("delegated-from"), ["mailto:bob@bm.lan", "mailto:dave@bm.lan"]);
  });

  it("reads everything back; `internal` and `counter` need `base`", () => {
    const back = icsToSeries(ics).main!;
    assert.deepEqual(back.organizer, { ...s.main!.organizer, uri: null });
    assert.deepEqual(
      back.attendees,
      s.main!.attendees!.map((a) => ({ ...a, internal: null })),
    );
  });

  it("reads unknown keywords the RFC way and an EMAIL parameter when the address is not mailto", () => {
    const text = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//t//EN",
      "BEGIN:VEVENT",
      "UID:p",
      "DTSTAMP:20240101T000000Z",
      "DTSTART:20240101T100000Z",
      "ATTENDEE;EMAIL=eve@corp.example;PARTSTAT=X-UNKNOWN;ROLE=X-WHATEVER;CUTYPE=X-ROBOT:urn:uuid:7c0e4d1e",
      "ORGANIZER:MAILTO:Boss@Corp.Example",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const back = icsToSeries(text).main!;
    const eve = back.attendees![0]!;
    assert.deepEqual(
      [eve.partStatus, eve.role, eve.cutype, eve.mailto, eve.uri],
      ["NeedsAction", "RequiredParticipant", "Unknown", "eve@corp.example", "urn:uuid:7c0e4d1e"],
    );
    assert.equal(back.organizer!.mailto, "Boss@Corp.Example");
  });

  it("uses `uri` as the address of an attendee without mail", () => {
    const v = {
      ...s,
      main: { ...s.main!, attendees: [{ uri: "bm://bm.lan/resources/projector", commonName: "Projector", cutype: "Resource" as const }] },
    };
    const out = seriesToIcs(v);
    assert.equal(mainVevent(out).getFirstPropertyValue("attendee"), "bm://bm.lan/resources/projector");
    assert.equal(icsToSeries(out).main!.attendees![0]!.uri, "bm://bm.lan/resources/projector");
  });
});
