/**
 * An edit made in Thunderbird, written to BlueMind: an event, or a task of a todo list (the
 * container's codec reads and writes its items). The server copy is read first: it is the
 * base that keeps what Thunderbird cannot show (conference data, attachments, counters…),
 * the guard for masked private events, and the version that tells a conflict.
 *
 * Conflict rule (also in the README): when the event changed in BlueMind since Thunderbird
 * last saw it, Thunderbird's edit wins — it is the later, deliberate change, possibly made
 * offline — and the server version it replaced is reported to the user. An event deleted in
 * BlueMind but edited in Thunderbird is re-created. A delete always applies.
 *
 * Adds are idempotent: the BlueMind item uid is derived from the iCalendar UID, so a replayed
 * add after a lost answer updates the event instead of duplicating it.
 */

import type { AnyContainerItems } from "../bluemind/container-items";
import { BlueMindError } from "../bluemind/errors";
import type { ItemValue } from "../bluemind/types";

export interface WriteRequest {
  op: "add" | "modify" | "delete";
  /** Thunderbird item id (the iCalendar UID). */
  id: string;
  ics: string | null;
  itemUid: string | null;
  /** Version of the server copy Thunderbird last saw. */
  version: number | null;
}

export interface ConflictReport {
  summary: string;
  /** "modified": BlueMind had a newer version; "deleted": BlueMind had deleted it. */
  kind: "modified" | "deleted";
  serverUpdatedBy: string | null;
  serverUpdated: number | null;
}

/** The item as BlueMind stored it, as the provider gets it back (its ICS; null after a delete). */
export interface WrittenItem {
  ics: string | null;
  itemUid: string;
  version: number;
}

export interface WriteOutcome extends WrittenItem {
  conflict: ConflictReport | null;
}

const SAFE_UID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,200}$/;

/**
 * The BlueMind item uid for a Thunderbird item: its UID when it is path-safe (Thunderbird's
 * own UIDs always are), else a fresh uid — for such rare UIDs a replayed add is not idempotent.
 */
export function itemUidFor(id: string, newUid: () => string): string {
  return SAFE_UID.test(id) ? id : newUid();
}

async function savedCopy(items: AnyContainerItems, itemUid: string): Promise<ItemValue<unknown>> {
  const saved = await items.complete(itemUid);
  if (!saved) {
    throw new BlueMindError("server", `${itemUid} vanished right after it was saved`);
  }
  return saved;
}

/** `log`: the add-on's logger, which gets the converter's warnings about Thunderbird's item. */
export async function applyWrite(
  items: AnyContainerItems,
  request: WriteRequest,
  newUid: () => string,
  log?: (message: string) => void,
): Promise<WriteOutcome> {
  const { codec } = items;
  const itemUid = request.itemUid ?? itemUidFor(request.id, newUid);

  if (request.op === "delete") {
    await items.remove(itemUid);
    return { ics: null, itemUid, version: request.version ?? 0, conflict: null };
  }
  if (!request.ics) {
    throw new BlueMindError("refused", `no iCalendar data for ${request.op}`);
  }

  const base = await items.complete(itemUid);
  if (base && codec.masked(base.value)) {
    throw new BlueMindError("permissionDenied", "a private event shown masked cannot be edited");
  }
  const value = codec.fromIcs(request.ics, base?.value ?? null, { warn: log });
  let conflict: ConflictReport | null = null;
  if (base) {
    if (request.op === "modify" && request.version !== null && base.version > request.version) {
      conflict = {
        // Named as the user knows it: their own (winning) version's title.
        summary: codec.title(value) ?? codec.title(base.value) ?? "",
        kind: "modified",
        serverUpdatedBy: base.updatedBy,
        serverUpdated: base.updated,
      };
    }
    await items.update(itemUid, value);
  } else {
    if (request.op === "modify" && request.itemUid !== null) {
      conflict = { summary: codec.title(value) ?? "", kind: "deleted", serverUpdatedBy: null, serverUpdated: null };
    }
    await items.create(itemUid, value);
  }
  const saved = await savedCopy(items, itemUid);
  return { ics: codec.toIcs([saved.value]), itemUid, version: saved.version, conflict };
}
