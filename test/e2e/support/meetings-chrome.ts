/**
 * Meetings the way Thunderbird's own UI makes them, from chrome code: a mail account with an
 * SMTP server (the test's sink), a meeting saved or cancelled through the calendar's
 * transaction manager (what the event dialog's Save and Delete do, iTIP included), the
 * summary dialog of an invitation with its Accept / Tentative / Decline buttons, the attendee
 * dialog's free/busy grid, and a reminder dismissed or snoozed by the alarm service.
 */

import type { Thunderbird } from "../harness/thunderbird";
import { waitFor } from "./addon";

const PRELUDE = `
  const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
  const { CalAttendee } = ChromeUtils.importESModule("resource:///modules/CalAttendee.sys.mjs");
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  const calendarAt = uri => {
    const c = cal.manager.getCalendars().find(c => c.uri.spec == uri);
    if (!c) throw new Error("no calendar " + uri);
    return c;
  };
`;

/** A mail account (the default one) whose identity sends through the SMTP server on loopback at `smtpPort`. */
export function addMailAccount(tb: Thunderbird, spec: { email: string; fullName: string; smtpPort: number }): Promise<string> {
  return tb.chrome<string>(
    `const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
    const spec = args[0];
    const smtp = MailServices.outgoingServer.createServer("smtp");
    const smtpServer = smtp.QueryInterface(Ci.nsISmtpServer);
    smtpServer.hostname = "127.0.0.1";
    smtpServer.port = spec.smtpPort;
    smtp.authMethod = Ci.nsMsgAuthMethod.none;
    smtp.socketType = Ci.nsMsgSocketType.plain;
    MailServices.outgoingServer.defaultServer = smtp;
    const identity = MailServices.accounts.createIdentity();
    identity.email = spec.email;
    identity.fullName = spec.fullName;
    identity.smtpServerKey = smtp.key;
    identity.doFcc = false;
    // A POP3 account that never connects: Thunderbird's iTIP transport needs a default account.
    const incoming = MailServices.accounts.createIncomingServer(spec.email.split("@")[0], "127.0.0.1", "pop3");
    incoming.port = 1;
    incoming.loginAtStartUp = false;
    incoming.doBiff = false;
    const account = MailServices.accounts.createAccount();
    account.incomingServer = incoming;
    account.addIdentity(identity);
    MailServices.accounts.defaultAccount = account;
    return identity.key;`,
    spec,
  );
}

export interface SchedulingView {
  canNotify: boolean;
  organizerId: string | null;
  organizerCN: string | null;
  identityEmail: string | null;
  schedulingCalendar: boolean;
}

/** What Thunderbird's iTIP code reads from a calendar. */
export function schedulingOf(tb: Thunderbird, uri: string): Promise<SchedulingView> {
  return tb.chrome<SchedulingView>(
    `${PRELUDE}
    const c = calendarAt(args[0]);
    const identity = c.getProperty("imip.identity");
    return {
      canNotify: c.getSchedulingSupport().canNotify("REQUEST", null),
      organizerId: c.getProperty("organizerId"),
      organizerCN: c.getProperty("organizerCN"),
      identityEmail: identity ? identity.QueryInterface(Ci.nsIMsgIdentity).email : null,
      schedulingCalendar: !!cal.itip.isSchedulingCalendar(c),
    };`,
    uri,
  );
}

export interface MeetingSpec {
  id: string;
  title: string;
  /** UTC, e.g. 20261210T140000Z */
  start: string;
  end: string;
  attendees: { email: string; name: string }[];
}

/**
 * Saves a new meeting as the event dialog's Save does: the calendar's organizer, the attendees,
 * "send invitations" ticked where Thunderbird sends them (the box is disabled where the
 * calendar notifies itself), then the transaction (which sends the iTIP mail, if any).
 */
export function saveMeeting(tb: Thunderbird, uri: string, spec: MeetingSpec): Promise<void> {
  return tb.chrome<void>(
    `${PRELUDE}
    const { CalEvent } = ChromeUtils.importESModule("resource:///modules/CalEvent.sys.mjs");
    const spec = args[1];
    const calendar = calendarAt(args[0]);
    const item = new CalEvent();
    item.id = spec.id;
    item.title = spec.title;
    item.startDate = cal.createDateTime(spec.start);
    item.endDate = cal.createDateTime(spec.end);
    item.organizer = cal.itip.createOrganizer(calendar);
    for (const a of spec.attendees) {
      const attendee = new CalAttendee();
      attendee.id = "mailto:" + a.email;
      attendee.commonName = a.name;
      attendee.role = "REQ-PARTICIPANT";
      attendee.participationStatus = "NEEDS-ACTION";
      attendee.rsvp = "TRUE";
      item.addAttendee(attendee);
    }
    if (!calendar.getSchedulingSupport().canNotify("REQUEST", item)) {
      item.setProperty("X-MOZ-SEND-INVITATIONS", "TRUE");
    }
    await win.doTransaction("add", item, calendar, null, null, { responseMode: Ci.calIItipItem.AUTO });`,
    uri,
    spec,
  );
}

/** Deletes a meeting as the calendar view does once the user chose to send the cancellation. */
export function cancelMeeting(tb: Thunderbird, uri: string, id: string): Promise<void> {
  return tb.chrome<void>(
    `${PRELUDE}
    const calendar = calendarAt(args[0]);
    const item = await calendar.getItem(args[1]);
    if (!item) throw new Error("no item " + args[1]);
    await win.doTransaction("delete", item, calendar, null, null, { responseMode: Ci.calIItipItem.AUTO });`,
    uri,
    id,
  );
}

export interface InvitationView {
  isInvitation: boolean;
  /** Accept / Tentative / Decline, shown and enabled. */
  buttons: { id: string; hidden: boolean; disabled: boolean }[];
  status: string;
}

const SUMMARY = `
  const summary = () => [...Services.wm.getEnumerator(null)].find(w => w.document.documentURI.includes("calendar-summary-dialog"));
`;

/** Opens the event as a double click does; for an invitation that is the summary dialog with the answer buttons. */
export async function openInvitation(tb: Thunderbird, uri: string, id: string): Promise<InvitationView> {
  await tb.chrome(
    `${PRELUDE}
    const item = await calendarAt(args[0]).getItem(args[1]);
    if (!item) throw new Error("no item " + args[1]);
    win.modifyEventWithDialog(item, true);`,
    uri,
    id,
  );
  return waitFor(
    "the summary dialog with its answer buttons",
    () =>
      tb.chrome<InvitationView>(`${SUMMARY}
        const w = summary();
        if (!w || w.document.readyState != "complete" || !w.calendarItem) return { isInvitation: false, buttons: [], status: "" };
        const buttons = ["acceptButton", "tentativeButton", "declineButton"].map(id => {
          const b = w.document.getElementById(id);
          return { id, hidden: !b || b.hidden || b.closest("[hidden]") != null, disabled: !!b?.disabled };
        });
        const status = [...w.document.querySelectorAll("#status-notifications notification-message, #status-notifications .notificationbox-stack *")]
          .map(n => n.getAttribute("label") || n.textContent || "").join(" ").trim();
        return { isInvitation: w.isInvitation === true, buttons, status };`),
    (v) => v.isInvitation && v.buttons.every((b) => !b.hidden),
  );
}

/** Clicks Accept / Tentative / Decline in the open summary dialog (the "send now" default). */
export function answerInvitation(tb: Thunderbird, partStat: "ACCEPTED" | "TENTATIVE" | "DECLINED"): Promise<void> {
  return tb.chrome<void>(
    `${SUMMARY}
    const w = summary();
    if (!w) throw new Error("no summary dialog");
    const id = { ACCEPTED: "acceptButton", TENTATIVE: "tentativeButton", DECLINED: "declineButton" }[args[0]];
    w.document.getElementById(id).doCommand();`,
    partStat,
  );
}

export interface FreeBusyRow {
  address: string;
  /** Classes of the blocks drawn: busy, tentative, unavailable, unknown (No information). */
  blocks: { kind: string; left: number; width: number }[];
}

/** Opens Thunderbird's attendee dialog for a meeting at start/end (UTC) and reads its free/busy grid. */
export async function attendeeGrid(
  tb: Thunderbird,
  uri: string,
  spec: { start: string; end: string; attendees: string[] },
): Promise<FreeBusyRow[]> {
  await tb.chrome(
    `${PRELUDE}
    const { CalEvent } = ChromeUtils.importESModule("resource:///modules/CalEvent.sys.mjs");
    const calendar = calendarAt(args[0]);
    const spec = args[1];
    const item = new CalEvent();
    item.startDate = cal.createDateTime(spec.start);
    item.endDate = cal.createDateTime(spec.end);
    const attendees = spec.attendees.map(email => {
      const a = new CalAttendee();
      a.id = "mailto:" + email;
      return a;
    });
    win.openDialog("chrome://calendar/content/calendar-event-dialog-attendees.xhtml", "_blank", "chrome,titlebar,resizable", {
      startTime: item.startDate.getInTimezone(cal.dtz.defaultTimezone),
      endTime: item.endDate.getInTimezone(cal.dtz.defaultTimezone),
      displayTimezone: false,
      attendees,
      organizer: cal.itip.createOrganizer(calendar),
      calendar,
      item,
      onOk() {},
    });`,
    uri,
    spec,
  );
  const rows = await waitFor(
    "the free/busy grid filled in",
    () =>
      tb.chrome<{ ready: boolean; rows: FreeBusyRow[] }>(`
        const w = [...Services.wm.getEnumerator(null)].find(w => w.document.documentURI.includes("calendar-event-dialog-attendees"));
        if (!w || w.document.readyState != "complete") return { ready: false, rows: [] };
        const rows = [...w.document.querySelectorAll("event-attendee")].filter(r => r.attendee?.id).map(r => ({
          address: r.attendee.id.replace(/^mailto:/i, ""),
          pending: r._freeBusyDiv.querySelector(".pending") != null,
          blocks: [...r._freeBusyDiv.children].filter(b => !b.classList.contains("pending"))
            .map(b => ({ kind: b.className, left: parseFloat(b.style.left), width: parseFloat(b.style.width) })),
        }));
        return { ready: rows.length > 0 && rows.every(r => !r.pending), rows: rows.map(({ pending, ...r }) => r) };`),
    (v) => v.ready && v.rows.length >= spec.attendees.length,
  );
  await tb.chrome(
    `[...Services.wm.getEnumerator(null)].find(w => w.document.documentURI.includes("calendar-event-dialog-attendees"))?.close();`,
  );
  return rows.rows;
}

/** What the alarm window's Dismiss and Snooze do: the alarm service writes the item back (X-MOZ-LASTACK / snooze time). */
export function acknowledgeReminder(tb: Thunderbird, uri: string, id: string, how: "dismiss" | "snooze"): Promise<void> {
  return tb.chrome<void>(
    `${PRELUDE}
    const item = await calendarAt(args[0]).getItem(args[1]);
    if (!item) throw new Error("no item " + args[1]);
    const [alarm] = item.getAlarms();
    if (!alarm) throw new Error("no reminder on " + args[1]);
    const alarms = Cc["@mozilla.org/calendar/alarm-service;1"].getService(Ci.calIAlarmService);
    if (args[2] == "dismiss") await alarms.dismissAlarm(item, alarm);
    else await alarms.snoozeAlarm(item, alarm, cal.createDuration("PT5M"));`,
    uri,
    id,
    how,
  );
}
