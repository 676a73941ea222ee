/**
 * The one declaration of what crosses between the background and our experiment (bmcal):
 * the provider's requests (event bmcal.onRequest) with their payloads and answers, and the
 * shapes the experiment's functions take and give. Why one file: the experiment is privileged
 * JavaScript that no compiler checks against the background, so both sides name these types
 * (src/types/bmcal.d.ts re-exports them into `messenger.bmcal`; the experiment's JSDoc imports
 * them), and test/unit/provider-contract.test.ts checks that schema.json, the typings and
 * parent.js list the same functions, request kinds and fields.
 */

import type { FreeBusyAnswer, FreeBusyRequest } from "../bluemind/freebusy";
import type { CacheBatch, ItemMeta } from "../sync/cached-sync";
import type { CalendarSpec } from "../sync/calendar-spec";
import type { WriteRequest, WrittenItem } from "../sync/event-writes";
import type { StoredHistory } from "../sync/history-check";

// ------------------------------------------------------------------ the experiment's functions

/** Every function of `messenger.bmcal`, as schema.json declares them. */
export const EXPERIMENT_FUNCTIONS = [
  "registerProvider",
  "listCalendars",
  "createCalendar",
  "updateCalendar",
  "removeCalendar",
  "cacheState",
  "cacheIndex",
  "applyCacheChanges",
  "refreshCalendar",
  "setRefreshInterval",
  "saveSecret",
  "readSecret",
  "deleteSecret",
  "diagnoseConnection",
  "setScheduling",
] as const;

/** The calendar the experiment creates, and what of it may change (declared once, in the sync layer). */
export type { CalendarChanges, CalendarSpec } from "../sync/calendar-spec";

export interface CalendarInfo extends CalendarSpec {
  id: string;
  disabled: boolean;
}

/** diagnoseConnection's answer, declared with the HTTP client that asks for it after a failed request. */
export type { ConnectionDiagnosis } from "../bluemind/http";

/** A cached calendar's own record: the last complete sync, and the offline edits not sent yet. */
export interface CacheState extends StoredHistory {
  /** Offline edits not yet sent to BlueMind. */
  pending: number;
}

/** What the experiment stores in a cache (applyCacheChanges): one block of a sync. */
export type { CacheBatch } from "../sync/cached-sync";

/** A block as applyCacheChanges carries it: its simple events, when it is large, as Thunderbird's storage rows (storage-rows.ts). */
export interface CacheBlock extends CacheBatch {
  /** A RowBlock as JSON: one string crosses to Thunderbird's process far cheaper than the objects. */
  rows?: string | null;
}
export type { DateColumn, EventRows, RowBlock } from "./storage-rows";

/**
 * applyCacheChanges' answer. "offline": Thunderbird went offline while the block was planned or
 * stored, so the sync stopped (nothing read before is stored over an edit the user may now make).
 */
export type ApplyOutcome = { stored: true } | { stored: false; stopped: "offline" };

/** Who sends a calendar's invitations, and as whom (background/scheduling-setup.ts). */
export interface SchedulingInfo {
  uri: string;
  /** The owner's default calendar: BlueMind sends, Thunderbird must not. */
  serverSends: boolean;
  ownerEmail: string | null;
  ownerName: string | null;
  /** The signed-in user's address: the mail identity Thunderbird sends with. */
  userEmail: string | null;
}

// ------------------------------------------------------------------ the provider's requests

/** The kinds of bmcal.onRequest, as schema.json's enum lists them. */
export const REQUEST_KINDS = ["sync", "query", "write", "freebusy"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** How the provider names the calendar it asks for (null for free/busy, which is per address). */
export interface CalendarRef {
  uri: string;
  name: string;
}

/** Sync: the provider says what its cache holds, so the background need not ask it back. */
export type SyncRequest = CacheState;

export interface QueryRequest {
  /** RFC 3339 bounds of Thunderbird's range query; null: unbounded. */
  start: string | null;
  end: string | null;
  /** The BlueMind items the provider already holds parsed, uid → version: sent back only if changed. */
  held: Record<string, number>;
}

export type ProviderFailure = { error: "network" | "refused"; message: string };

/** Each item of a query's ICS, by its iCalendar UID: the BlueMind item behind it. */
export type { ItemMeta } from "../sync/cached-sync";

export type SyncAnswer = { ok: true } | ProviderFailure;
/** `ics`: the range's items the provider does not hold at their version; `kept`: the held ones still in it, unchanged. */
export type QueryAnswer = { ics: string; meta: Record<string, ItemMeta>; kept: string[] } | ProviderFailure;
export type WriteAnswer = WrittenItem | ProviderFailure;

/** Each request kind: who it is about, what it carries, what it gets back. */
export interface ProviderRequests {
  sync: { calendar: CalendarRef; payload: SyncRequest; answer: SyncAnswer };
  query: { calendar: CalendarRef; payload: QueryRequest; answer: QueryAnswer };
  write: { calendar: CalendarRef; payload: WriteRequest; answer: WriteAnswer };
  freebusy: { calendar: null; payload: FreeBusyRequest; answer: FreeBusyAnswer };
}

/** The listener's arguments, one tuple per kind, so that a `switch (kind)` narrows the payload. */
export type ProviderRequestArgs = {
  [K in RequestKind]: [kind: K, calendar: ProviderRequests[K]["calendar"], payload: ProviderRequests[K]["payload"]];
}[RequestKind];

export type ProviderAnswer = ProviderRequests[RequestKind]["answer"];

export type { FreeBusyAnswer, FreeBusyRequest, WriteRequest };
