/**
 * How BlueMind presents a container to a given caller (Containers.asDescriptor): raw ACL
 * verbs, writable, the caller's offlineSync (false when not subscribed), settings merged
 * with the caller's personal settings, owner display name and directory path.
 */
import type { ContainerDescriptor, ContainerSubscriptionDescriptor, ContainerSubscriptionModel } from "../src/bluemind/types";
import { resolveVerbs, verbCan } from "./acl";
import type { Caller, ContainerRecord } from "./model";
import type { ServerState } from "./store";

export type BaseContainerDescriptor = Omit<ContainerDescriptor, "verbs" | "writable" | "offlineSync" | "automount">;

export function describeLight(state: ServerState, c: ContainerRecord): BaseContainerDescriptor {
  const owner = state.directory.get(c.owner);
  return {
    uid: c.uid,
    name: c.name,
    owner: c.owner,
    type: c.type,
    defaultContainer: c.defaultContainer,
    readOnly: c.readOnly,
    domainUid: c.domainUid,
    ownerDisplayname: owner?.displayName ?? (null as unknown as string),
    ownerDirEntryPath: owner?.path ?? (null as unknown as string),
    settings: { ...c.settings },
    deleted: false,
    datalocation: c.datalocation,
    internalId: c.internalId,
  };
}

export function describe(state: ServerState, c: ContainerRecord, caller: Caller | null): ContainerDescriptor {
  const verbs = resolveVerbs(caller, c);
  const sub = caller ? state.subscription(caller.subject, c.uid) : null;
  const personal = caller ? (c.personalSettings[caller.subject] ?? {}) : {};
  return {
    ...describeLight(state, c),
    settings: { ...c.settings, ...personal },
    verbs,
    writable: verbs.some((v) => verbCan(v, "Write")),
    offlineSync: sub?.offlineSync ?? false,
    automount: sub?.automount ?? false,
  };
}

export function describeSubscription(state: ServerState, m: ContainerSubscriptionModel): ContainerSubscriptionDescriptor {
  const owner = state.directory.get(m.owner);
  return {
    ...m,
    ownerDisplayName: owner?.displayName ?? (null as unknown as string),
    ownerDirEntryPath: owner?.path ?? (null as unknown as string),
  };
}
