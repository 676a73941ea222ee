/**
 * Changeset computation with the exact semantics of BlueMind's ChangelogUtils: entries
 * newer than `since` are zipped per item (create+update = created, create+delete = gone),
 * since=0 reports everything as created and no deletions, and `version` is the highest
 * version seen or `since` itself when nothing changed.
 */
import type { ContainerChangeset } from "../src/bluemind/types";

export type ChangeType = "Created" | "Updated" | "Deleted";

export interface ChangeLogEntry {
  itemUid: string;
  internalId: number;
  type: ChangeType;
  version: number;
  date: number;
  author: string;
  origin: string;
}

function zip(before: ChangeLogEntry | null, after: ChangeLogEntry): ChangeLogEntry | null {
  if (before === null) return after;
  if (before.type === "Created" && after.type === "Deleted") return null;
  if (before.type === "Created" && after.type === "Updated") return { ...after, type: "Created" };
  return after;
}

/** Index of the first entry with version > since (binary search; the log is sorted). */
function firstAfter(log: readonly ChangeLogEntry[], since: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid]!.version <= since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `log` must be in version order (it is: entries are only ever appended). */
export function computeChangeset<T>(log: readonly ChangeLogEntry[], since: number, toId: (e: ChangeLogEntry) => T): ContainerChangeset<T> {
  const created: T[] = [];
  const updated: T[] = [];
  const deleted: T[] = [];
  let version = -1;
  // Per item, in first-seen order; a null value means "created and deleted: omit".
  const zipped = new Map<string, ChangeLogEntry | null>();
  for (let i = firstAfter(log, since); i < log.length; i++) {
    const entry = log[i]!;
    if (entry.version > version) version = entry.version;
    const prev = zipped.has(entry.itemUid) ? (zipped.get(entry.itemUid) ?? null) : null;
    zipped.set(entry.itemUid, zip(prev, entry));
  }
  for (const entry of zipped.values()) {
    if (entry === null) continue;
    if (entry.type === "Created") created.push(toId(entry));
    else if (entry.type === "Updated") updated.push(toId(entry));
    else if (since > 0) deleted.push(toId(entry));
  }
  if (since === 0 && updated.length > 0) {
    created.push(...updated);
    updated.length = 0;
  }
  return { created, updated, deleted, version: version === -1 ? since : version };
}
