/**
 * Typings for our own experiment API (src/experiments/bmcal/schema.json), merged into the
 * `messenger` global that @types/thunderbird-webext-browser declares.
 */
declare namespace messenger.bmcal {
  interface CalendarSpec {
    uri: string;
    name: string;
    color: string;
    readOnly: boolean;
    cached: boolean;
  }
  interface CalendarChanges {
    name?: string;
    color?: string;
    readOnly?: boolean;
    cached?: boolean;
  }
  interface CalendarInfo extends CalendarSpec {
    id: string;
    disabled: boolean;
  }
  type ConnectionDiagnosis = "tls" | "unreachable" | "ok";

  /** How the provider names a calendar when it asks the background for work. */
  interface CalendarRef {
    uri: string;
    name: string;
    cached: boolean;
  }
  interface CacheState {
    cached: boolean;
    /** BlueMind changeset version of the last complete sync, null before the first. */
    version: number | null;
    /** Offline edits not yet sent to BlueMind. */
    pending: number;
    /** When the last complete sync started (client clock); null when not recorded. */
    syncedAt?: number | null;
    /** The user's mailboxCopyGuid at that sync; absent when not recorded. */
    mailboxCopyGuid?: string | null;
  }
  interface ItemMeta {
    itemUid: string;
    version: number;
  }
  interface CacheChanges {
    /** One VCALENDAR holding the upserted events. */
    ics?: string | null;
    /** UID -> BlueMind item of each event in `ics`. */
    meta?: Record<string, ItemMeta>;
    /** BlueMind item uids deleted on the server. */
    deletes?: string[];
    /** Full sync: every BlueMind item uid that exists; anything else cached is removed. */
    keepOnly?: string[] | null;
    /** Item uid -> stored version read by a reconciliation: replace or delete only while still stored. */
    expect?: Record<string, number>;
    /** Stored last, once everything above is in the cache. */
    version?: number | null;
    /** Stored with the version. */
    syncedAt?: number;
    mailboxCopyGuid?: string | null;
  }
  interface QueryPayload {
    start: string | null;
    end: string | null;
  }
  interface WritePayload {
    op: "add" | "modify" | "delete";
    id: string;
    ics: string | null;
    itemUid: string | null;
    version: number | null;
    offline: boolean;
  }
  type ProviderFailure = { error: "network" | "refused"; message: string };
  type QueryAnswer = { ics: string; meta: Record<string, ItemMeta> } | ProviderFailure;
  type WriteAnswer = { ics: string | null; itemUid: string; version: number } | ProviderFailure;
  type SyncAnswer = { ok: true } | ProviderFailure;

  /** Who sends a calendar's invitations, and as whom (background/scheduling-setup.ts). */
  interface SchedulingInfo {
    uri: string;
    serverSends: boolean;
    ownerEmail: string | null;
    ownerName: string | null;
    userEmail: string | null;
  }

  const onRequest: WebExtEvent<
    (kind: "sync" | "query" | "write" | "freebusy", calendar: CalendarRef, payload: unknown) => Promise<unknown>
  >;

  function registerProvider(): Promise<void>;
  function listCalendars(): Promise<CalendarInfo[]>;
  function createCalendar(spec: CalendarSpec): Promise<CalendarInfo>;
  function updateCalendar(uri: string, changes: CalendarChanges): Promise<CalendarInfo>;
  function removeCalendar(uri: string): Promise<void>;
  function refreshCalendar(uri: string): Promise<void>;
  function setRefreshInterval(minutes: number): Promise<void>;
  function cacheState(uri: string): Promise<CacheState>;
  function applyCacheChanges(uri: string, changes: CacheChanges): Promise<void>;
  /** Item uid -> BlueMind version stored with it (-1: Thunderbird's own copy of a replayed edit). */
  function cacheIndex(uri: string): Promise<Record<string, number>>;
  function saveSecret(origin: string, username: string, secret: string): Promise<void>;
  function readSecret(origin: string, username: string): Promise<string | null>;
  function deleteSecret(origin: string, username: string): Promise<void>;
  function diagnoseConnection(url: string): Promise<ConnectionDiagnosis>;
  /** Answers how many of these calendars Thunderbird has. */
  function setScheduling(infos: SchedulingInfo[]): Promise<number>;
}
