/**
 * IDirectory (/api/directory/{domain}), the two look-ups scheduling needs: `_byEmail/{email}`
 * (who an attendee address is: what Thunderbird's free/busy and BlueMind's own sanitizer and
 * LMTP filter resolve) and `entry-uid/{entryUid}` (a calendar owner's address). Any user of
 * the domain may read its directory; an unknown address or uid answers null (204). The
 * DirEntry JSON carries BlueMind's fields (`emails` is write-only there, so never sent).
 */
import { denied } from "./fault";
import type { Ctx, Router } from "./http";
import type { DirEntry } from "./model";
import type { ServerState } from "./store";

/** net.bluemind.directory.api.DirEntry as BlueMind serializes it. */
export interface DirEntryJson {
  displayName: string;
  entryUid: string;
  accountType: "FULL" | "SIMPLE" | null;
  kind: DirEntry["kind"];
  path: string;
  email: string | null;
  hidden: boolean;
  system: boolean;
  archived: boolean;
  orgUnitUid: string | null;
  orgUnitPath: null;
  dataLocation: string | null;
}

/** The entry's address: a user's from its record, a resource's its own. */
export function entryEmail(state: ServerState, entry: DirEntry): string | null {
  return state.users.get(entry.uid)?.email ?? entry.email ?? null;
}

export function dirEntryJson(state: ServerState, entry: DirEntry): DirEntryJson {
  const user = state.users.get(entry.uid);
  return {
    displayName: entry.displayName,
    entryUid: entry.uid,
    accountType: entry.kind === "USER" ? "FULL" : null,
    kind: entry.kind,
    path: entry.path,
    email: entryEmail(state, entry),
    hidden: false,
    system: false,
    archived: user?.archived ?? false,
    orgUnitUid: null,
    orgUnitPath: null,
    dataLocation: entry.kind === "USER" || entry.kind === "RESOURCE" ? (user?.dataLocation ?? "bm-master") : null,
  };
}

/** IDirectory.getByEmail in one domain (case-insensitive), or null. */
export function dirEntryByEmail(state: ServerState, domainUid: string, email: string): DirEntry | null {
  const wanted = email.trim().toLowerCase();
  if (!wanted) return null;
  for (const entry of state.directory.values()) {
    if (entry.domainUid === domainUid && entryEmail(state, entry)?.toLowerCase() === wanted) return entry;
  }
  return null;
}

/** The entry behind a `bm://<path>` DIR value (or a bare path), or null. */
export function dirEntryByPath(state: ServerState, dir: string | null | undefined): DirEntry | null {
  if (!dir) return null;
  const path = dir.startsWith("bm://") ? dir.slice("bm://".length) : dir;
  for (const entry of state.directory.values()) {
    if (entry.path === path) return entry;
  }
  return null;
}

/** An address of any domain this server holds (what the LMTP server accepts mail for), or null. */
export function localEntryByEmail(state: ServerState, email: string | null | undefined): DirEntry | null {
  if (!email) return null;
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return state.domains.has(domain) ? dirEntryByEmail(state, domain, email) : null;
}

function readableDomain(ctx: Ctx): string {
  const domainUid = ctx.params.domain!;
  if (!ctx.caller || ctx.caller.domainUid !== domainUid) {
    const who = ctx.caller ? `${ctx.caller.subject}@${ctx.caller.domainUid}` : "anonymous@null";
    throw denied(`${who} cannot read the directory of ${domainUid}`);
  }
  return domainUid;
}

export function registerDirectory(r: Router): void {
  const base = "/api/directory/{domain}";
  r.get(`${base}/_byEmail/{email}`, (ctx) => {
    const entry = dirEntryByEmail(ctx.state, readableDomain(ctx), ctx.params.email!);
    return entry ? dirEntryJson(ctx.state, entry) : null;
  });
  r.get(`${base}/entry-uid/{entryUid}`, (ctx) => {
    const domainUid = readableDomain(ctx);
    const entry = ctx.state.directory.get(ctx.params.entryUid!);
    return entry && entry.domainUid === domainUid ? dirEntryJson(ctx.state, entry) : null;
  });
}
