/**
 * What the reference server's BlueMind would have mailed: every iMIP message its calendar
 * hook (scheduling.ts) sends, and the denial mail of the LMTP filter (imip-delivery.ts). It
 * exists so tests can see who sent what, like the fault injection it is test-only: nothing
 * reaches it over HTTP. One outbox per server state (a WeakMap, so ServerState stays as is).
 */
import type { BmDateTime, VEventSeries } from "../src/bluemind/types";

export type ImipMethod = "REQUEST" | "CANCEL" | "REPLY";

/** What the LMTP filter did with the message for one internal recipient. */
export type Delivery = "delivered" | "denied" | "notFound" | "external";

export interface ImipMessage {
  method: ImipMethod;
  /** The mail's From: the organizer (REQUEST, CANCEL) or the answering attendee (REPLY). */
  from: string;
  /** Who saved the change when it is not `from` (a delegate), as BlueMind's Sender header; else null. */
  sender: string | null;
  /** BlueMind mails each attendee separately: one address per message. */
  recipients: string[];
  icsUid: string;
  /** The series as the ICS part carries it (main and/or the occurrences concerned), a copy. */
  event: VEventSeries;
  /** Title, SEQUENCE and RECURRENCE-ID (null: the whole series) of the first component, for asserts. */
  summary: string;
  sequence: number;
  recurid: BmDateTime | null;
  /** Server clock when sent. */
  at: number;
  /** Per recipient address: what delivery did. */
  delivery: Record<string, Delivery>;
}

export class Outbox {
  readonly messages: ImipMessage[] = [];

  record(message: ImipMessage): ImipMessage {
    this.messages.push(message);
    return message;
  }

  /** Messages of one method (all when omitted), optionally for one icsUid. */
  sent(method?: ImipMethod, icsUid?: string): ImipMessage[] {
    return this.messages.filter((m) => (!method || m.method === method) && (!icsUid || m.icsUid === icsUid));
  }

  /** Messages addressed to this address. */
  to(email: string): ImipMessage[] {
    const wanted = email.toLowerCase();
    return this.messages.filter((m) => m.recipients.some((r) => r.toLowerCase() === wanted));
  }

  clear(): void {
    this.messages.length = 0;
  }
}

const outboxes = new WeakMap<object, Outbox>();

/** The outbox of a server state (created on first use). */
export function outboxOf(state: object): Outbox {
  let outbox = outboxes.get(state);
  if (!outbox) {
    outbox = new Outbox();
    outboxes.set(state, outbox);
  }
  return outbox;
}
