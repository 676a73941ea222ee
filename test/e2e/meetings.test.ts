/**
 * Meetings as BlueMind does them, in a real Thunderbird with a mail identity for alice whose
 * SMTP server is a sink on loopback: every invitation, cancellation and answer is sent by
 * exactly one party. BlueMind sends (the reference server's outbox) for meetings in the
 * owner's default calendar; Thunderbird sends (the sink) for every other calendar. Also:
 * an invitation shows with its Accept / Tentative / Decline buttons and an answer reaches the
 * organizer through BlueMind; the invitation mail is recognised as the event already in the
 * BlueMind calendar; one occurrence answered alone; the attendee dialog's free/busy grid;
 * dismissing or snoozing a reminder is not a change anybody is told about.
 */

import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import type { Attendee, BmDateTime, VEventSeries } from "../../src/bluemind/types";
import type { BlueMindHttp } from "../../src/bluemind/http";
import { seriesToIcs } from "../../src/convert";
import { calendarUri } from "../../src/sync/calendar-identity";
import { webSession } from "../unit/support/servers";
import { launchThunderbird, type Thunderbird } from "./harness/thunderbird";
import { archivesOnlineOnly, assertBuilt, dumpLogOnFailure, signInFromOptionsPage, waitFor, XPI } from "./support/addon";
import { readItems, refresh } from "./support/calendar-chrome";
import {
  acknowledgeReminder,
  addMailAccount,
  answerInvitation,
  attendeeGrid,
  cancelMeeting,
  openInvitation,
  saveMeeting,
  schedulingOf,
} from "./support/meetings-chrome";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink";
import { inOrder } from "./support/steps";

const { alice, bob, carol } = DEMO.users;
const C = DEMO.calendars;
const ROOM = DEMO.resources.jupiter;

/** A day well after the demo data, at `hour` UTC, as BlueMind and Thunderbird write it. */
function later(days: number, hour: number): { bm: BmDateTime; ical: string } {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return {
    bm: { iso8601: d.toISOString(), timezone: "UTC", precision: "DateTime" },
    ical: d
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, ""),
  };
}

const person = (u: { email: string; displayName: string }, partStatus: Attendee["partStatus"] = "NeedsAction"): Attendee => ({
  mailto: u.email,
  commonName: u.displayName,
  partStatus,
  role: "RequiredParticipant",
  cutype: "Individual",
  rsvp: true,
});

describe("meetings: every invitation sent by exactly one party, in a real Thunderbird", function () {
  this.timeout(240_000);
  const step = inOrder();

  let server: RunningServer;
  let sink: SmtpSink;
  let tb: Thunderbird;
  let bobWeb: BlueMindHttp;
  const uri = (uid: string): string => calendarUri(server.url, uid);
  const stored = (calendarUid: string, uid: string): VEventSeries | undefined => server.state.calendar(calendarUid)?.get(uid)?.value;
  const answerOf = (s: VEventSeries | undefined, email: string) => s?.main?.attendees?.find((a) => a.mailto === email)?.partStatus;
  const outbox = (icsUid: string) => server.outbox.sent(undefined, icsUid).map((m) => `${m.method} ${m.from} -> ${m.recipients.join(",")}`);
  const mailed = (icsUid: string) => sink.messages.filter((m) => m.data.includes(icsUid)).map((m) => `${m.method} -> ${m.to.join(",")}`);
  /** Waits a moment, so a mail Thunderbird would send has had the time to arrive. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

  async function bobInvites(summary: string, days: number, extra: Partial<NonNullable<VEventSeries["main"]>> = {}): Promise<string> {
    const uid = randomUUID();
    const main = {
      dtstart: later(days, 9).bm,
      dtend: later(days, 10).bm,
      summary,
      classification: "Public" as const,
      organizer: { mailto: bob.email, commonName: bob.displayName },
      attendees: [person(alice)],
      ...extra,
    };
    await bobWeb.call("PUT", `/api/calendars/${encodeURIComponent(C.bob.uid)}/${uid}`, {
      query: { sendNotifications: true },
      body: { icsUid: uid, main, occurrences: [] },
    });
    assert.deepEqual(outbox(uid), [`REQUEST ${bob.email} -> ${alice.email}`]);
    await refresh(tb, uri(C.alice.uid));
    await waitFor(
      "the invitation in Thunderbird",
      () => readItems(tb, uri(C.alice.uid)),
      (items) => items.some((i) => i.id === uid),
    );
    return uid;
  }

  /**
   * Alice saves the meeting `id` with bob in `calendarUid`, `days` from now 13:00–14:00 UTC, then
   * waits (`arrival.what`) until BlueMind stores it with that title in `arrival.storedIn`.
   */
  async function saveMeetingWithBob(
    id: string,
    calendarUid: string,
    title: string,
    days: number,
    arrival: { what: string; storedIn: string },
  ): Promise<void> {
    await saveMeeting(tb, uri(calendarUid), {
      id,
      title,
      start: later(days, 13).ical,
      end: later(days, 14).ical,
      attendees: [{ email: bob.email, name: bob.displayName }],
    });
    await waitFor(
      arrival.what,
      async () => stored(arrival.storedIn, id)?.main?.summary,
      (s) => s === title,
    );
  }

  before(async () => {
    assertBuilt();
    sink = await startSmtpSink();
    server = await startServer({ port: 0 });
    archivesOnlineOnly(server);
    bobWeb = await webSession(server.url, bob.login, bob.password);
    tb = await launchThunderbird();
    await addMailAccount(tb, { email: alice.email, fullName: alice.displayName, smtpPort: sink.port });
    await tb.installAddon(XPI, { temporary: false });
    await signInFromOptionsPage(tb, server.url, alice.login, alice.password);
    // Bob's calendar is organised in bob's name only once the background said so (setScheduling).
    await waitFor(
      "who sends, set on every calendar",
      () => schedulingOf(tb, uri(C.bob.uid)).catch(() => null),
      (s) => s?.organizerId === `mailto:${bob.email}`,
      60_000,
    );
  });

  after(async () => {
    await tb?.quit();
    await server?.close();
    await sink?.close();
  });

  afterEach(dumpLogOnFailure(() => tb));

  step("0. each BlueMind calendar says who sends and who the user is there", async () => {
    assert.deepEqual(await schedulingOf(tb, uri(C.alice.uid)), {
      canNotify: true,
      organizerId: `mailto:${alice.email}`,
      organizerCN: alice.displayName,
      identityEmail: alice.email,
      schedulingCalendar: true,
    });
    assert.deepEqual(await schedulingOf(tb, uri(C.projets.uid)), {
      canNotify: false,
      organizerId: `mailto:${alice.email}`,
      organizerCN: alice.displayName,
      identityEmail: alice.email,
      schedulingCalendar: true,
    });
    // Bob's calendar: BlueMind sends for it, and a meeting there is organised in bob's name.
    const bobs = await schedulingOf(tb, uri(C.bob.uid));
    assert.deepEqual([bobs.canNotify, bobs.organizerId, bobs.organizerCN], [true, `mailto:${bob.email}`, bob.displayName]);
  });

  step(
    "1. bob invites alice: the invitation shows with its buttons; her answer goes through BlueMind, Thunderbird sends nothing",
    async () => {
      const uid = await bobInvites("Revue d'architecture", 20);
      const view = await openInvitation(tb, uri(C.alice.uid), uid);
      assert.equal(view.isInvitation, true);
      assert.deepEqual(
        view.buttons.map((b) => [b.id, b.hidden]),
        [
          ["acceptButton", false],
          ["tentativeButton", false],
          ["declineButton", false],
        ],
      );
      await answerInvitation(tb, "ACCEPTED");
      await waitFor(
        "bob's copy holds alice's answer",
        async () => answerOf(stored(C.bob.uid, uid), alice.email),
        (s) => s === "Accepted",
      );
      assert.equal(answerOf(stored(C.alice.uid, uid), alice.email), "Accepted");
      await settle();
      assert.deepEqual(
        outbox(uid),
        [`REQUEST ${bob.email} -> ${alice.email}`, `REPLY ${alice.email} -> ${bob.email}`],
        "one REPLY, by BlueMind",
      );
      assert.deepEqual(mailed(uid), [], "Thunderbird sent nothing");
    },
  );

  step(
    "1b. the invitation mail in the inbox is the event already in 'Alice': no second copy, and answering it sends one REPLY, by BlueMind",
    async () => {
      const uid = await bobInvites("Point fournisseurs", 21);
      const ics = seriesToIcs(server.outbox.sent("REQUEST", uid)[0]!.event).replace("BEGIN:VEVENT", "METHOD:REQUEST\r\nBEGIN:VEVENT");
      const found = await tb.chrome<{ calendars: string[]; method: string | null }>(
        `const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
      const itipItem = Cc["@mozilla.org/calendar/itip-item;1"].createInstance(Ci.calIItipItem);
      itipItem.init(args[0]);
      itipItem.receivedMethod = "REQUEST";
      itipItem.isSend = false;
      itipItem.autoResponse = Ci.calIItipItem.USER;
      itipItem.sender = args[1];
      // What the message view does (cal.itip.initItemFromMsgData): every writable scheduling calendar.
      const composite = Cc["@mozilla.org/calendar/calendar;1?type=composite"].createInstance(Ci.calICompositeCalendar);
      cal.manager.getCalendars().filter(c => cal.itip.isSchedulingCalendar(c) && cal.acl.userCanAddItemsToCalendar(c)).forEach(c => composite.addCalendar(c));
      itipItem.targetCalendar = composite;
      const [calendars, method, act] = await new Promise(resolve => cal.itip.processItipItem(itipItem, (item, rc, actionFunc, foundItems) =>
        resolve([(foundItems || []).map(i => i.calendar.uri.spec), actionFunc ? actionFunc.method : null, actionFunc])));
      if (act) await new Promise(resolve => act({ onOperationComplete: resolve }, "ACCEPTED"));
      cal.itip.cleanupItipItem(itipItem);
      return { calendars, method };`,
        ics,
        bob.email,
      );
      // The REQUEST is matched to the event already in "Alice" on every version. What Thunderbird
      // offers for it differs: 153 asks for an answer (NEEDS-ACTION); 140 sees an update of the
      // item it holds (UPDATE-MINOR). Either way the answer below goes through BlueMind.
      assert.deepEqual(found.calendars, [uri(C.alice.uid)]);
      assert.ok(["REQUEST:NEEDS-ACTION", "REQUEST:UPDATE-MINOR"].includes(String(found.method)), String(found.method));
      await waitFor(
        "bob's copy holds alice's answer",
        async () => answerOf(stored(C.bob.uid, uid), alice.email),
        (s) => s === "Accepted",
      );
      await settle();
      assert.equal((await readItems(tb, uri(C.alice.uid))).filter((i) => i.id === uid).length, 1, "no duplicate");
      assert.deepEqual(outbox(uid), [`REQUEST ${bob.email} -> ${alice.email}`, `REPLY ${alice.email} -> ${bob.email}`]);
      assert.deepEqual(mailed(uid), []);
    },
  );

  step("1c. answering one occurrence of a weekly meeting changes only that occurrence", async () => {
    const rrule = { frequency: "WEEKLY" as const, interval: 1, count: 4 };
    const uid = await bobInvites("Hebdo fournisseurs", 22, { rrule });
    const second = later(29, 9).ical;
    await tb.chrome(
      `const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
      const calendar = cal.manager.getCalendars().find(c => c.uri.spec == args[0]);
      const parent = await calendar.getItem(args[1]);
      const occurrence = parent.recurrenceInfo.getOccurrenceFor(cal.createDateTime(args[2]));
      const changed = occurrence.clone();
      const me = cal.itip.getInvitedAttendee(changed, calendar);
      const answered = me.clone();
      answered.participationStatus = "TENTATIVE";
      changed.removeAttendee(me);
      changed.addAttendee(answered);
      // The event's context menu, "this occurrence" > Tentative, sending the answer.
      await Services.wm.getMostRecentWindow("mail:3pane").doTransaction("modify", changed, calendar, occurrence, null, { responseMode: Ci.calIItipItem.AUTO });`,
      uri(C.alice.uid),
      uid,
      second,
    );
    await waitFor(
      "bob's copy: the occurrence answered",
      async () => stored(C.bob.uid, uid)?.occurrences?.[0]?.attendees?.find((a) => a.mailto === alice.email)?.partStatus,
      (s) => s === "Tentative",
    );
    assert.equal(answerOf(stored(C.bob.uid, uid), alice.email), "NeedsAction", "the series is unanswered");
    await settle();
    assert.deepEqual(outbox(uid).slice(1), [`REPLY ${alice.email} -> ${bob.email}`]);
    assert.notEqual(server.outbox.sent("REPLY", uid)[0]!.recurid, null, "a REPLY about that occurrence only");
    assert.deepEqual(mailed(uid), []);
  });

  let inAlice = "";
  let inProjets = "";

  step("2. a meeting with bob in 'Alice' (her default calendar): BlueMind sends one REQUEST, Thunderbird none", async () => {
    inAlice = randomUUID();
    await saveMeetingWithBob(inAlice, C.alice.uid, "Atelier planning", 23, { what: "bob's copy", storedIn: C.bob.uid });
    await settle();
    assert.deepEqual(outbox(inAlice), [`REQUEST ${alice.email} -> ${bob.email}`]);
    assert.deepEqual(mailed(inAlice), []);
  });

  step("3. a meeting with bob in 'Projets' (a secondary calendar): Thunderbird sends one invitation, BlueMind none", async () => {
    inProjets = randomUUID();
    await saveMeetingWithBob(inProjets, C.projets.uid, "Lancement projet", 24, {
      what: "the meeting in BlueMind",
      storedIn: C.projets.uid,
    });
    await waitFor(
      "Thunderbird's invitation",
      async () => mailed(inProjets),
      (m) => m.length > 0,
    );
    await settle();
    assert.deepEqual(mailed(inProjets), [`REQUEST -> ${bob.email}`]);
    const mail = sink.messages.find((m) => m.data.includes(inProjets))!;
    assert.equal(mail.from, alice.email, "through alice's identity");
    assert.deepEqual(outbox(inProjets), []);
    assert.equal(stored(C.bob.uid, inProjets), undefined, "BlueMind delivered nothing");
  });

  step("4. cancelling each meeting: the same party sends the CANCEL", async () => {
    await cancelMeeting(tb, uri(C.alice.uid), inAlice);
    await waitFor(
      "bob's copy removed",
      async () => stored(C.bob.uid, inAlice),
      (s) => s === undefined,
    );
    await cancelMeeting(tb, uri(C.projets.uid), inProjets);
    await waitFor(
      "Thunderbird's cancellation",
      async () => mailed(inProjets),
      (m) => m.length > 1,
    );
    await settle();
    assert.deepEqual(outbox(inAlice), [`REQUEST ${alice.email} -> ${bob.email}`, `CANCEL ${alice.email} -> ${bob.email}`]);
    assert.deepEqual(mailed(inAlice), []);
    assert.deepEqual(mailed(inProjets), [`REQUEST -> ${bob.email}`, `CANCEL -> ${bob.email}`]);
    assert.deepEqual(outbox(inProjets), []);
  });

  step("5. the attendee dialog shows bob's busy time, no information for carol (not shared), and Salle Jupiter's bookings", async () => {
    const demo = stored(C.bob.uid, DEMO.meetings.bobInvitesAlice.uid)!.main!;
    const ical = (d: BmDateTime) =>
      new Date(d.iso8601)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
    const before = server.requests.length;
    const rows = await attendeeGrid(tb, uri(C.alice.uid), {
      start: ical(demo.dtstart),
      end: ical(demo.dtend!),
      attendees: [bob.email, carol.email, ROOM.email],
    });
    const kinds = (email: string) => new Set(rows.find((r) => r.address === email)?.blocks.map((b) => b.kind));
    assert.ok(kinds(bob.email).has("busy"), JSON.stringify(rows));
    assert.ok(kinds(bob.email).has("unavailable"), "outside bob's working hours");
    assert.deepEqual([...kinds(carol.email)], ["unknown"], "No information");
    assert.ok(kinds(ROOM.email).has("busy"), "the room is booked then");
    const asked = server.requests.slice(before).filter((r) => /_byEmail|vfreebusy|sfreebusy/.test(r.path));
    assert.ok(asked.length <= 2 * 4, `at most two requests per row (alice's own row too): ${asked.length}`);
  });

  step("6. dismissing or snoozing a reminder on a meeting: nobody is told, the server's SEQUENCE stays", async () => {
    const uid = await bobInvites("Comité de pilotage", 25);
    const sequence = stored(C.alice.uid, uid)?.main?.sequence ?? 0;
    const sent = server.outbox.messages.length;
    const mails = sink.messages.length;
    await acknowledgeReminder(tb, uri(C.alice.uid), uid, "dismiss");
    await waitFor(
      "the dismissal in BlueMind",
      async () => stored(C.alice.uid, uid)?.main?.properties?.["X-MOZ-LASTACK"],
      (v) => !!v,
    );
    await acknowledgeReminder(tb, uri(C.alice.uid), uid, "snooze");
    await waitFor(
      "the snooze in BlueMind",
      async () => stored(C.alice.uid, uid)?.main?.properties?.["X-MOZ-SNOOZE-TIME"],
      (v) => !!v,
    );
    await settle();
    assert.equal(server.outbox.messages.length, sent, "BlueMind sent nothing");
    assert.equal(sink.messages.length, mails, "Thunderbird sent nothing");
    assert.equal(stored(C.alice.uid, uid)?.main?.sequence ?? 0, sequence);
    assert.equal(answerOf(stored(C.alice.uid, uid), alice.email), "NeedsAction", "still unanswered");
  });
});
