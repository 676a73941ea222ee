/**
 * Answers the "bluemind" calendar provider (experiment event bmcal.onRequest): "sync" for a
 * cached calendar, "query" for an online-only calendar's range, "write" for an edit made in
 * Thunderbird, "freebusy" for an attendee row of Thunderbird's scheduling dialog. Failures become {error: "network"} — Thunderbird then keeps the edit offline
 * and replays it later — or {error: "refused"} with a message in the user's language.
 */

import { BlueMindError, isTransient } from "../bluemind/errors";
import { ConvertError } from "../convert/errors";
import type { FreeBusyAnswer, FreeBusyRequest } from "../bluemind/freebusy";
import { syncCachedCalendar, type CalendarCache } from "../sync/cached-sync";
import { applyWrite, type WriteRequest } from "../sync/event-writes";
import { queryRange } from "../sync/live-query";
import type { ThunderbirdCalendars } from "../thunderbird/calendars";
import type {
  CalendarRef,
  ProviderAnswer,
  ProviderFailure,
  ProviderRequestArgs,
  QueryAnswer,
  QueryRequest,
  SyncAnswer,
  SyncRequest,
  WriteAnswer,
} from "../thunderbird/provider-contract";
import type { AccountService } from "./account-service";

/**
 * Besides the transient failures (network, 5xx, damaged answers), errors that mean "try again
 * later" too: a TLS problem or a revoked key is fixed by the user, then the edit can go.
 */
const KEEP_OFFLINE = new Set(["tls", "keyRevoked"]);

export interface ProviderBridgeDeps {
  service: AccountService;
  calendars: ThunderbirdCalendars;
  newUid(): string;
  /** The error in the user's language, for Thunderbird's own error display. */
  describe(error: unknown): string;
  /** Start-up refreshes of calendars already synced wait for it (see StartupGate). */
  startupGate?: { wait(): Promise<void> };
  /**
   * Every request waits for it: the stored account loaded (AccountService.start). Why:
   * registering the provider brings our calendars to life, and an online-only calendar's first
   * query could come before the account is read, and show "access revoked" at start-up.
   */
  accountLoaded?: Promise<void>;
  /** Free/busy of one attendee address (absent: "no information"). */
  freebusy?(request: FreeBusyRequest): Promise<FreeBusyAnswer>;
  /** The user's mailboxCopyGuid, read sparingly (see MailboxWatch); absent: not compared. */
  mailbox?: { current(): Promise<string | null> };
  log?: (message: string) => void;
}

export function createProviderBridge(deps: ProviderBridgeDeps) {
  const { service, calendars } = deps;
  const runningSyncs = new Map<string, Promise<SyncAnswer>>();
  /** Calendars synced since start-up: only the first (Thunderbird's start-up refresh) waits for the gate. */
  const syncedSinceStart = new Set<string>();

  const failure = (error: unknown): ProviderFailure => ({
    error: isTransient(error) || (error instanceof BlueMindError && KEEP_OFFLINE.has(error.kind)) ? "network" : "refused",
    message: deps.describe(error),
  });

  function sync(ref: CalendarRef, known: SyncRequest): Promise<SyncAnswer> {
    const running = runningSyncs.get(ref.uri);
    if (running) {
      return running;
    }
    const uid = service.containerUidOf(ref.uri) ?? ref.uri;
    // The first read of the cache's state is what the provider sent with the request.
    let told: SyncRequest | null = known;
    const cache: CalendarCache = {
      state: async () => {
        const state = told ?? (await calendars.cacheState(ref.uri));
        told = null;
        return state;
      },
      index: () => calendars.cacheIndex(ref.uri),
      apply: (batch) => calendars.applyCacheChanges(ref.uri, batch),
      ...(calendars.stageCacheChanges ? { stage: (batch) => calendars.stageCacheChanges!(ref.uri, batch) } : {}),
    };
    const mailbox = deps.mailbox;
    const run = (async () => {
      if (deps.startupGate && !syncedSinceStart.has(ref.uri)) {
        // Thunderbird's start-up refresh of a calendar already synced waits for the random
        // delay; a first sync (no version) or one with offline edits to send does not.
        if (known.version !== null && known.pending === 0) {
          await deps.startupGate.wait();
        }
      }
      syncedSinceStart.add(ref.uri);
      service.activity.started(uid);
      try {
        const items = await service.calendarItems(ref.uri);
        await syncCachedCalendar(items, cache, (progress) => service.activity.progress(uid, progress), {
          mailboxCopyGuid: mailbox ? () => mailbox.current() : undefined,
          log: deps.log,
        });
        service.activity.succeeded(uid);
        service.calendarSynced();
        return { ok: true } as const;
      } catch (error) {
        service.activity.failed(uid, error);
        return failure(error);
      }
    })().finally(() => runningSyncs.delete(ref.uri));
    runningSyncs.set(ref.uri, run);
    return run;
  }

  async function query(ref: CalendarRef, payload: QueryRequest): Promise<QueryAnswer> {
    const uid = service.containerUidOf(ref.uri) ?? ref.uri;
    try {
      const answer = await queryRange(await service.calendarItems(ref.uri), payload.start, payload.end, payload.held ?? {});
      service.activity.recovered(uid);
      return answer;
    } catch (error) {
      service.activity.failed(uid, error);
      return failure(error);
    }
  }

  async function write(ref: CalendarRef, payload: WriteRequest): Promise<WriteAnswer> {
    const uid = service.containerUidOf(ref.uri) ?? ref.uri;
    try {
      const outcome = await applyWrite(await service.calendarItems(ref.uri), payload, () => deps.newUid(), deps.log);
      if (outcome.conflict) {
        service.activity.conflict(ref.name, outcome.conflict);
      }
      return { ics: outcome.ics, itemUid: outcome.itemUid, version: outcome.version };
    } catch (error) {
      const answer = failure(error);
      if (error instanceof ConvertError) {
        // This one item cannot be stored in BlueMind (a broken event in an imported file, a
        // malformed server copy): refused alone, with its reason. The calendar itself is fine, so
        // its activity is left as it was (no "!" on the toolbar for one bad event of an import).
        const field = error.field ? ` (field ${error.field})` : "";
        deps.log?.(`${payload.op} of ${payload.id} in ${ref.name} refused: ${error.message}${field}`);
        return { error: "refused", message: answer.message };
      }
      if (answer.error === "refused") {
        service.activity.failed(uid, error);
      }
      return answer;
    }
  }

  return async (...[kind, ref, payload]: ProviderRequestArgs): Promise<ProviderAnswer> => {
    await deps.accountLoaded;
    switch (kind) {
      case "sync":
        return sync(ref, payload);
      case "query":
        return query(ref, payload);
      case "write":
        return write(ref, payload);
      case "freebusy":
        return deps.freebusy?.(payload) ?? Promise.resolve({ known: false, why: "signedOut" });
      default:
        return Promise.resolve({ error: "refused", message: `unknown request ${String(kind)}` });
    }
  };
}
