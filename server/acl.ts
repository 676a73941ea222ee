/**
 * Container permissions as BlueMind resolves them (ContainerPermissionResolver + RBACManager):
 * the owner holds every verb, others hold the raw verbs of matching ACL entries (user uid or
 * domain uid), and a check passes when any held verb implies any required verb (HEAD table).
 */
import type { Verb } from "../src/bluemind/types";
import { denied } from "./fault";
import type { Caller, ContainerRecord } from "./model";

export const ALL_VERBS: readonly Verb[] = [
  "Invitation",
  "Freebusy",
  "SendOnBehalf",
  "SendAs",
  "Read",
  "ReadExtended",
  "Write",
  "Manage",
  "All",
];

/** Direct implications, BlueMind HEAD (2024) `Verb` enum. */
const IMPLIES: Record<Verb, readonly Verb[]> = {
  Invitation: [],
  Freebusy: ["Invitation"],
  SendOnBehalf: [],
  SendAs: ["SendOnBehalf"],
  Read: ["Freebusy"],
  ReadExtended: ["Read"],
  Write: ["Read"],
  Manage: [],
  All: ["Write", "Manage", "SendOnBehalf", "SendAs", "ReadExtended"],
};

/** `held` implies `wanted` (reflexive, transitive). */
export function verbCan(held: Verb, wanted: Verb): boolean {
  if (held === wanted) return true;
  return IMPLIES[held].some((v) => verbCan(v, wanted));
}

/** Every verb implied by the given ones (for convenience; descriptors carry raw verbs). */
export function expandVerbs(verbs: readonly Verb[]): Verb[] {
  return ALL_VERBS.filter((v) => verbs.some((h) => verbCan(h, v)));
}

/**
 * The caller's verbs on a container, as `ContainerDescriptor.verbs` reports them: all nine
 * for the owner (same domain), else the verbs of ACL entries naming the caller or its domain.
 */
export function resolveVerbs(caller: Caller | null, c: ContainerRecord): Verb[] {
  if (!caller) return [];
  if (c.domainUid === caller.domainUid && c.owner === caller.subject) return [...ALL_VERBS];
  if (c.domainUid !== caller.domainUid) return [];
  const held = new Set<Verb>();
  for (const ace of c.acl) {
    if (ace.subject === caller.subject || ace.subject === caller.domainUid) held.add(ace.verb);
  }
  return ALL_VERBS.filter((v) => held.has(v));
}

/** RBACManager.can: true when any held verb implies any of `wanted`. */
export function can(caller: Caller | null, c: ContainerRecord, ...wanted: Verb[]): boolean {
  const held = resolveVerbs(caller, c);
  return wanted.some((w) => held.some((h) => verbCan(h, w)));
}

/** RBACManager.check, with BlueMind's message. */
export function check(caller: Caller | null, c: ContainerRecord, ...wanted: Verb[]): void {
  if (can(caller, c, ...wanted)) return;
  const who = caller ? `${caller.subject}@${caller.domainUid}` : "anonymous@null";
  throw denied(`${who} Doesnt have role ${wanted.join(",")} on container ${c.uid}@${c.domainUid} `);
}
