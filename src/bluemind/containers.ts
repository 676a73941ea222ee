/**
 * Container and subscription calls: the raw material of BlueMind's two preference lists
 * (IContainers, IOwnerSubscriptions, IUserSubscription, IContainerManagement).
 */

import { apiPath, BlueMindHttp } from "./http";
import type {
  ContainerDescriptor,
  ContainerChangeset,
  ContainerQuery,
  ContainerSubscription,
  ContainerSubscriptionModel,
  Count,
  ItemValue,
} from "./types";

export function listContainers(http: BlueMindHttp, query: ContainerQuery): Promise<ContainerDescriptor[]> {
  return http.call<ContainerDescriptor[]>("POST", apiPath("containers", "_manage", "_list"), { body: query });
}

export function getContainers(http: BlueMindHttp, uids: string[]): Promise<ContainerDescriptor[]> {
  if (uids.length === 0) {
    return Promise.resolve([]);
  }
  return http.call<ContainerDescriptor[]>("POST", apiPath("containers", "_manage", "_mget"), { body: uids });
}

export function listOwnerSubscriptions(
  http: BlueMindHttp,
  domainUid: string,
  userUid: string,
): Promise<ItemValue<ContainerSubscriptionModel>[]> {
  return http.call("GET", apiPath("containers", "_subscriptions", domainUid, userUid, "_list"));
}

/** Subscribes, or only changes offlineSync of an existing subscription ("Synchronisation"). */
export function subscribe(http: BlueMindHttp, domainUid: string, userUid: string, subscriptions: ContainerSubscription[]): Promise<void> {
  return http.call<void>("POST", apiPath("users", domainUid, "subscriptions", userUid, "_subscribe"), {
    body: subscriptions,
  });
}

export async function itemCount(http: BlueMindHttp, containerUid: string): Promise<number> {
  const count = await http.call<Count>("GET", apiPath("containers", "_manage", containerUid, "_itemCount"));
  return count.total;
}

/** Version of the user's owner-subscriptions container: changes on any (un)subscription, toggle or rename. */
export function ownerSubscriptionsVersion(http: BlueMindHttp, domainUid: string, userUid: string): Promise<number> {
  return http.call<number>("GET", apiPath("containers", "_subscriptions", domainUid, userUid, "_version"));
}

/**
 * What changed in the user's owner subscriptions since a version: (un)subscriptions,
 * Synchronisation switches and renames of subscribed containers (the cheap poll).
 */
export function ownerSubscriptionsChangeset(
  http: BlueMindHttp,
  domainUid: string,
  userUid: string,
  since: number,
): Promise<ContainerChangeset<string>> {
  return http.call("GET", apiPath("containers", "_subscriptions", domainUid, userUid, "_changeset"), { query: { since } });
}
