/**
 * Whether a cached calendar can trust BlueMind's change log since its last sync, or must be
 * reconciled in full. The log never says it has gaps (docs/bluemind-rules.md, "What the change
 * log never tells"):
 * - deletions leave it after 60 days (`changeset_cleanup_retention_time`), so after a long
 *   absence a deletion may never be told;
 * - a server restored from a backup stands at a lower version, and `_changeset` above it
 *   answers "nothing changed";
 * - a moved or restored mailbox gets a new `mailboxCopyGuid`, BlueMind's own signal to reset
 *   local data (its web app wipes its copy; we reconcile instead, never dropping an edit).
 * Pure: the sync engine gathers the facts, this decides.
 */

const DAY_MS = 86_400_000;

/**
 * A last complete sync older than this may have missed purged deletions. Half of BlueMind's
 * default retention (60 days): an administrator's shorter setting or a clock days off still
 * leaves a margin, and the check it costs is one request.
 */
export const HISTORY_TRUST_MS = 30 * DAY_MS;
/** A stored time this far in the future means the clock moved back: it proves nothing. */
const CLOCK_SLACK_MS = DAY_MS;

export type ResetReason = "serverRestored" | "historyPurged" | "mailboxMoved";

/** What the cache stored at its last complete sync. */
export interface StoredHistory {
  version: number | null;
  /** When it was (client clock, ms); null or absent: unknown (a cache from before this was kept). */
  syncedAt?: number | null;
  /** The user's mailboxCopyGuid then; absent: unknown, null: BlueMind had none. */
  mailboxCopyGuid?: string | null;
}

/** What is known now. */
export interface CurrentHistory {
  /** The calendar's `_version`. */
  version: number;
  now: number;
  /** From `GET /api/auth`; absent when not read. */
  mailboxCopyGuid?: string | null;
}

export type HistoryVerdict =
  | { kind: "firstSync" }
  | { kind: "incremental" }
  /**
   * "deletions": only deletions may be missing (the log keeps every live item's last change):
   * the live uids say which. "everything": versions may have gone down or been renumbered:
   * every live item is compared with the stored copy.
   */
  | { kind: "reconcile"; depth: "deletions" | "everything"; reasons: ResetReason[] };

export function checkHistory(stored: StoredHistory, current: CurrentHistory): HistoryVerdict {
  if (stored.version === null) {
    return { kind: "firstSync" };
  }
  const reasons: ResetReason[] = [];
  if (current.version < stored.version) {
    reasons.push("serverRestored");
  }
  if (stored.mailboxCopyGuid !== undefined && current.mailboxCopyGuid !== undefined && stored.mailboxCopyGuid !== current.mailboxCopyGuid) {
    reasons.push("mailboxMoved");
  }
  const syncedAt = stored.syncedAt ?? null;
  if (syncedAt === null || current.now - syncedAt > HISTORY_TRUST_MS || syncedAt - current.now > CLOCK_SLACK_MS) {
    reasons.push("historyPurged");
  }
  if (reasons.length === 0) {
    return { kind: "incremental" };
  }
  const everything = reasons.includes("serverRestored") || reasons.includes("mailboxMoved");
  return { kind: "reconcile", depth: everything ? "everything" : "deletions", reasons };
}

/** Words for the log (the Error Console), in English like the rest of it. */
export function describeReasons(reasons: ResetReason[]): string {
  const words: Record<ResetReason, string> = {
    serverRestored: "BlueMind stands at an older version than the one stored (server restored from a backup)",
    historyPurged: "the last complete sync is too old to trust the change log (deletions are purged after 60 days)",
    mailboxMoved: "the mailbox was moved or restored (new mailboxCopyGuid)",
  };
  return reasons.map((reason) => words[reason]).join("; ");
}
