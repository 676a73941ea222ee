/**
 * Conformance of the reference server's scheduling with BlueMind's (docs/bluemind-rules.md,
 * "Who sends invitations" and "Significant changes"): who is mailed what (the test-only outbox), and what the LMTP filter does with it in
 * the recipients' calendars: invitations, updates (significant changes only), cancellations,
 * answers both ways, one occurrence alone, the Invitation right, delegates, the sanitizer.
 */
import { strict as assert } from "node:assert";
import { DEMO } from "../../server/demo-data";
import type { Attendee, VEventSeries } from "../../src/bluemind/types";
import { enc, useServer } from "./helpers";

const { alice, bob, carol } = DEMO.users;
const C = DEMO.calendars;
const ROOM = DEMO.resources.jupiter;

function person(u: { email: string; displayName: string }, partStatus: Attendee["partStatus"] = "NeedsAction"): Attendee {
  return { mailto: u.email, commonName: u.displayName, partStatus, role: "RequiredParticipant", cutype: "Individual", rsvp: true };
}

const at = (day: string, hour: number) => ({
  iso8601: `2025-04-${day}T${String(hour).padStart(2, "0")}:00:00.000+02:00`,
  timezone: "Europe/Paris",
  precision: "DateTime" as const,
});

function meeting(
  uid: string,
  summary: string,
  attendees: Attendee[],
  organizer: { email: string; displayName: string } = bob,
  extra: Partial<NonNullable<VEventSeries["main"]>> = {},
): VEventSeries {
  return {
    icsUid: uid,
    main: {
      dtstart: at("10", 10),
      dtend: at("10", 11),
      summary,
      classification: "Public",
      organizer: { mailto: organizer.email, commonName: organizer.displayName },
      attendees: [{ ...person(organizer, "Accepted"), role: "Chair" }, ...attendees],
      ...extra,
    },
    occurrences: [],
  };
}

describe("reference server: scheduling (who sends what)", () => {
  const bm = useServer({ login: ["alice", "bob"] });
  const { api, keys } = bm;
  const path = (calendarUid: string, uid: string, notify = true) =>
    `/api/calendars/${enc(calendarUid)}/${uid}${notify ? "?sendNotifications=true" : ""}`;
  const stored = (calendarUid: string, uid: string) => bm.server.state.calendar(calendarUid)?.get(uid)?.value;
  const partStatus = (s: VEventSeries | undefined, email: string) => s?.main?.attendees?.find((a) => a.mailto === email)?.partStatus;
  const summary = () => bm.server.outbox.messages.map((m) => `${m.method} ${m.from} -> ${m.recipients.join(",")}`);

  async function bobInvites(uid: string, attendees: Attendee[] = [person(alice)], extra = {}): Promise<void> {
    const r = await api.call("PUT", path(C.bob.uid, uid), meeting(uid, "Comité", attendees, bob, extra), keys.bob);
    assert.equal(r.status, 200, r.text);
  }

  it("starts with an empty outbox and the demo invitation waiting in alice's calendar", () => {
    assert.deepEqual(bm.server.outbox.messages, []);
    const invitation = stored(C.alice.uid, DEMO.meetings.bobInvitesAlice.uid);
    assert.equal(partStatus(invitation, alice.email), "NeedsAction");
    assert.equal(invitation?.main?.organizer?.mailto, bob.email);
    assert.equal(partStatus(stored(C.bob.uid, DEMO.meetings.bobInvitesAlice.uid), alice.email), "NeedsAction");
  });

  it("a meeting in the owner's default calendar with sendNotifications=true: one REQUEST per attendee, a NeedsAction copy in each internal one's calendar", async () => {
    await bobInvites("m1", [person(alice), person({ email: "jean@dupont.example", displayName: "Jean" })]);
    assert.deepEqual(summary(), [`REQUEST ${bob.email} -> ${alice.email}`, `REQUEST ${bob.email} -> jean@dupont.example`]);
    assert.deepEqual(
      bm.server.outbox.messages.map((m) => m.delivery),
      [{ [alice.email]: "delivered" }, { "jean@dupont.example": "external" }],
    );
    const copy = stored(C.alice.uid, "m1");
    assert.equal(copy?.icsUid, "m1", "stored under the icsUid");
    assert.equal(partStatus(copy, alice.email), "NeedsAction");
    assert.deepEqual(
      copy?.main?.alarm?.map((a) => a.trigger),
      [-900],
      "alice's default reminder",
    );
    // The sanitizer: the organizer left the attendees, internal ones resolved.
    const organizerCopy = stored(C.bob.uid, "m1");
    assert.deepEqual(
      organizerCopy?.main?.attendees?.map((a) => [a.mailto, a.internal, a.dir]),
      [
        [alice.email, true, `bm://${DEMO.domainUid}/users/${alice.uid}`],
        ["jean@dupont.example", false, null],
      ],
    );
  });

  it("sends nothing without sendNotifications, nor from a secondary calendar", async () => {
    await api.call("PUT", path(C.bob.uid, "m2", false), meeting("m2", "Sans envoi", [person(alice)]), keys.bob);
    await api.call("PUT", path(C.equipeBob.uid, "m3"), meeting("m3", "Secondaire", [person(alice)]), keys.bob);
    assert.deepEqual(bm.server.outbox.messages, []);
    assert.equal(stored(C.alice.uid, "m2"), undefined);
    assert.equal(stored(C.alice.uid, "m3"), undefined);
  });

  it("organizer updates: REQUEST to added attendees, CANCEL to removed ones, REQUEST to the others for significant changes only", async () => {
    await bobInvites("m4");
    bm.server.outbox.clear();
    const update = async (change: (s: VEventSeries) => void) => {
      const s = structuredClone(stored(C.bob.uid, "m4")!);
      change(s);
      assert.equal((await api.call("POST", path(C.bob.uid, "m4"), s, keys.bob)).status, 200);
    };
    await update((s) => {
      s.main!.alarm = [{ action: "Display", trigger: -600 }];
      s.main!.properties = { "X-MOZ-LASTACK": "20250410T075000Z" };
      s.main!.categories = [];
      s.main!.status = "Tentative";
    });
    assert.deepEqual(summary(), [], "alarms, properties, categories, status: not significant");
    await update((s) => (s.main!.location = "Salle Mars"));
    assert.deepEqual(summary(), [`REQUEST ${bob.email} -> ${alice.email}`]);
    assert.equal(stored(C.alice.uid, "m4")?.main?.location, "Salle Mars");
    assert.deepEqual(
      stored(C.alice.uid, "m4")?.main?.alarm?.map((a) => a.trigger),
      [-900],
      "her own reminder kept",
    );
    bm.server.outbox.clear();
    await update((s) => s.main!.attendees!.push(person(carol)));
    assert.deepEqual(summary(), [`REQUEST ${bob.email} -> ${carol.email}`], "only the new attendee");
    bm.server.outbox.clear();
    await update((s) => (s.main!.attendees = s.main!.attendees!.filter((a) => a.mailto !== carol.email)));
    assert.deepEqual(summary(), [`CANCEL ${bob.email} -> ${carol.email}`]);
    assert.equal(stored(C.carol.uid, "m4"), undefined, "carol's copy is gone");
    bm.server.outbox.clear();
    await update((s) => (s.main!.sequence = 3));
    assert.deepEqual(summary(), [`REQUEST ${bob.email} -> ${alice.email}`], "a new SEQUENCE alone is significant");
    assert.equal(stored(C.bob.uid, "m4")?.main?.sequence, 3, "stored as sent, never bumped");
  });

  it("an attendee's answer: one REPLY when her own partStatus changed, merged into the organizer's copy", async () => {
    await bobInvites("m5");
    bm.server.outbox.clear();
    const copy = structuredClone(stored(C.alice.uid, "m5")!);
    copy.main!.attendees!.find((a) => a.mailto === alice.email)!.partStatus = "Accepted";
    assert.equal((await api.call("POST", path(C.alice.uid, "m5"), copy, keys.alice)).status, 200);
    assert.deepEqual(summary(), [`REPLY ${alice.email} -> ${bob.email}`]);
    assert.deepEqual(
      bm.server.outbox.messages[0]!.event.main?.attendees?.map((a) => [a.mailto, a.partStatus]),
      [[alice.email, "Accepted"]],
    );
    assert.equal(partStatus(stored(C.bob.uid, "m5"), alice.email), "Accepted");
    bm.server.outbox.clear();
    copy.main!.alarm = [];
    copy.main!.properties = { "X-MOZ-LASTACK": "20250410T075000Z" };
    await api.call("POST", path(C.alice.uid, "m5"), copy, keys.alice);
    assert.deepEqual(summary(), [], "a dismissed reminder sends nothing");
  });

  it("deleting an attendee's copy sends REPLY Declined; deleting the organizer's sends CANCEL", async () => {
    await bobInvites("m6", [person(alice), person(carol)]);
    bm.server.outbox.clear();
    await api.call("DELETE", path(C.alice.uid, "m6"), undefined, keys.alice);
    assert.deepEqual(summary(), [`REPLY ${alice.email} -> ${bob.email}`]);
    assert.equal(partStatus(stored(C.bob.uid, "m6"), alice.email), "Declined");
    bm.server.outbox.clear();
    await api.call("DELETE", path(C.bob.uid, "m6"), undefined, keys.bob);
    assert.deepEqual(summary().sort(), [`CANCEL ${bob.email} -> ${alice.email}`, `CANCEL ${bob.email} -> ${carol.email}`]);
    assert.equal(stored(C.carol.uid, "m6"), undefined);
  });

  it("answering one occurrence changes only that occurrence, on both sides", async () => {
    const rrule = { frequency: "WEEKLY" as const, interval: 1, byDay: [{ day: "TH" as const, offset: 0 }], count: 4 };
    await bobInvites("m7", [person(alice)], { rrule });
    bm.server.outbox.clear();
    const copy = structuredClone(stored(C.alice.uid, "m7")!);
    const occurrence = { ...structuredClone(copy.main!), rrule: null, dtstart: at("17", 10), dtend: at("17", 11), recurid: at("17", 10) };
    occurrence.attendees!.find((a) => a.mailto === alice.email)!.partStatus = "Tentative";
    copy.occurrences = [occurrence];
    await api.call("POST", path(C.alice.uid, "m7"), copy, keys.alice);
    assert.deepEqual(summary(), [`REPLY ${alice.email} -> ${bob.email}`]);
    assert.equal(bm.server.outbox.messages[0]!.recurid?.iso8601, at("17", 10).iso8601);
    const organizerCopy = stored(C.bob.uid, "m7");
    assert.equal(partStatus(organizerCopy, alice.email), "NeedsAction", "the series keeps her first answer");
    assert.equal(organizerCopy?.occurrences.length, 1);
    assert.equal(organizerCopy?.occurrences[0]!.attendees?.find((a) => a.mailto === alice.email)?.partStatus, "Tentative");
  });

  it("a delegate's meeting in bob's default calendar is bob's: BlueMind sends it, with the delegate as Sender", async () => {
    bm.server.state.containers.get(C.bob.uid)!.acl.push({ subject: alice.uid, verb: "Write" });
    await api.call("PUT", path(C.bob.uid, "m8"), meeting("m8", "Pour Bob", [person(carol)], bob), keys.alice);
    assert.deepEqual(summary(), [`REQUEST ${bob.email} -> ${carol.email}`]);
    assert.equal(bm.server.outbox.messages[0]!.sender, alice.email);
    bm.server.outbox.clear();
    // Organised in someone else's name, the copy is an attendee's: no invitation goes out.
    await api.call("PUT", path(C.bob.uid, "m9"), meeting("m9", "Au nom d'Alice", [person(bob), person(carol)], alice), keys.alice);
    assert.deepEqual(summary(), [`REPLY ${bob.email} -> ${alice.email}`], "only bob's own answer, to the organizer");
  });

  it("without the Invitation right the copy is refused and the organizer gets a REPLY Declined", async () => {
    bm.server.state.containers.get(C.carol.uid)!.acl = [];
    await bobInvites("m10", [person(alice), person(carol)]);
    assert.deepEqual(summary(), [
      `REQUEST ${bob.email} -> ${alice.email}`,
      `REQUEST ${bob.email} -> ${carol.email}`,
      `REPLY ${carol.email} -> ${bob.email}`,
    ]);
    assert.equal(bm.server.outbox.messages[1]!.delivery[carol.email], "denied");
    assert.equal(stored(C.carol.uid, "m10"), undefined);
    assert.equal(partStatus(stored(C.bob.uid, "m10"), carol.email), "Declined");
  });

  it("books a resource: the room's calendar gets the copy", async () => {
    await bobInvites("m11", [person(alice), { ...person(ROOM), cutype: "Room" }]);
    assert.equal(stored(DEMO.resourceCalendars.jupiter.uid, "m11")?.main?.summary, "Comité");
    assert.equal(bm.server.outbox.to(ROOM.email)[0]?.delivery[ROOM.email], "delivered");
  });
});
