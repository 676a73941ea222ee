/** How the demo directory adds its calendar containers (demo-data.ts, demo-meetings.ts). */
import type { ContainerRecord } from "./model";
import { DOMAIN } from "./demo-ids";
import type { ServerState } from "./store";

/** What differs from the usual calendar: its ACL, being its owner's default one, another domain... */
export type CalendarExtra = Partial<Parameters<ServerState["addContainer"]>[0]>;

/** A calendar of `c.owner` in the default domain, not the owner's default calendar, unless `extra` says otherwise. */
export function addCalendar(
  state: ServerState,
  c: { uid: string; name: string; owner: string },
  extra: CalendarExtra = {},
): ContainerRecord {
  return state.addContainer({
    uid: c.uid,
    name: c.name,
    type: "calendar",
    owner: c.owner,
    domainUid: DOMAIN,
    defaultContainer: false,
    ...extra,
  });
}
