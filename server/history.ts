/**
 * Long lives of a BlueMind server, the three things its change log never admits to a client
 * (docs/bluemind-rules.md, "What the change log never tells"), as test controls with BlueMind's
 * behaviour:
 * - the change-log cleanup (ChangesetCleanupTimer): every 2 days, deletions older than
 *   `changeset_cleanup_retention_time` (60 days) leave the log, so a client away longer never
 *   hears of them. Retention, period and the server's clock (`state.clockOffsetMs`) are
 *   controllable; the cleanup runs when due, before a request is answered;
 * - a restore from a backup: `state.backup()` / `state.restoreBackup()` (store.ts);
 * - a mailbox moved to another backend: `moveMailbox` below.
 */
import { randomUUID } from "node:crypto";
import type { ServerState } from "./store";

const DAY_MS = 86_400_000;

export class ChangesetCleanup {
  /** `changeset_cleanup_retention_time`, in days (BlueMind's default: 60). */
  retentionDays = 60;
  /** How often the cleanup runs (BlueMind: every 2 days). */
  everyMs = 2 * DAY_MS;
  /** When it last ran, on the server's clock. */
  lastRun: number;

  constructor(now: number) {
    this.lastRun = now;
  }

  /** Runs the cleanup if its period has passed since the last run; returns the items forgotten. */
  runIfDue(state: ServerState): number {
    return state.now() - this.lastRun >= this.everyMs ? this.run(state) : 0;
  }

  /** Forgets, in every container, the items deleted more than `retentionDays` ago. */
  run(state: ServerState): number {
    const now = state.now();
    this.lastRun = now;
    let forgotten = 0;
    for (const store of state.stores.values()) forgotten += store.forgetDeletedBefore(now - this.retentionDays * DAY_MS);
    if (forgotten > 0) state.changed();
    return forgotten;
  }
}

/**
 * The user's mailbox moved to another backend (or restored there): BlueMind regenerates
 * `mailboxCopyGuid`, which tells its clients to reset their local data. Modelled here: the
 * user's own containers follow the mailbox (`datalocation`); their copies keep every item's
 * uid, version and content, but their change logs start afresh with the live items, so the
 * deletions made before the move are no longer in them. Returns the new guid.
 */
export function moveMailbox(state: ServerState, userUid: string, toServer = "bm-backend-2"): string {
  const user = state.users.get(userUid);
  if (!user) throw new Error(`no user ${userUid}`);
  const guid = randomUUID();
  state.users.set(userUid, { ...user, mailboxCopyGuid: guid, dataLocation: toServer });
  for (const container of state.containers.values()) {
    if (container.owner !== userUid || container.datalocation === null) continue;
    container.datalocation = toServer;
    state.stores.get(container.uid)?.restartLog();
  }
  state.changed();
  return guid;
}
