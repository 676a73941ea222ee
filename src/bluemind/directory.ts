/**
 * What scheduling asks BlueMind about people: who an address is (IDirectory `_byEmail`, any
 * user of the domain may read it; `IUser.byEmail` needs admin roles, so never that), who owns
 * a calendar (`entry-uid`), and when they are busy (IVFreebusy on `freebusy:<uid>`, and
 * IPublicFreebusy `sfreebusy` for addresses outside the user's domain).
 */

import { apiPath, type BlueMindHttp } from "./http";
import type { BmDateTime } from "./types";

export interface DirEntry {
  entryUid: string;
  displayName: string;
  kind: "USER" | "GROUP" | "RESOURCE" | "MAILSHARE" | "CALENDAR" | "ADDRESSBOOK" | "DOMAIN" | "ORG_UNIT" | "EXTERNALUSER";
  email: string | null;
  path: string;
}

export type SlotType = "BUSY" | "BUSYTENTATIVE" | "BUSYUNAVAILABLE" | "FREE";

export interface VFreebusyQuery {
  dtstart: BmDateTime;
  dtend: BmDateTime;
  /** Always sent: BlueMind reads it without a null check. */
  excludedEvents: string[];
  withOOFSlots: boolean;
}

export interface VFreebusy {
  dtstart: BmDateTime;
  dtend: BmDateTime;
  slots: { dtstart: BmDateTime; dtend: BmDateTime; type: SlotType; summary: string | null }[];
}

export class Directory {
  constructor(
    private readonly http: BlueMindHttp,
    readonly domainUid: string,
    readonly userUid: string,
  ) {}

  /** The entry with this address in the user's domain, or null (BlueMind answers an empty body). */
  async byEmail(email: string): Promise<DirEntry | null> {
    return (await this.http.call<DirEntry | undefined>("GET", apiPath("directory", this.domainUid, "_byEmail", email))) ?? null;
  }

  async byEntryUid(entryUid: string): Promise<DirEntry | null> {
    return (await this.http.call<DirEntry | undefined>("GET", apiPath("directory", this.domainUid, "entry-uid", entryUid))) ?? null;
  }

  /** IVFreebusy of a user or resource of the domain; 403 until they share their availability. */
  freebusy(entryUid: string, query: VFreebusyQuery): Promise<VFreebusy> {
    return this.http.call("POST", apiPath("calendars", "vfreebusy", `freebusy:${entryUid}`), { body: query });
  }

  /** IPublicFreebusy: BlueMind finds the address in any of its domains; null when it is not one of them. */
  async publicFreebusy(email: string, query: VFreebusyQuery): Promise<VFreebusy | null> {
    const answer = await this.http.call<VFreebusy | undefined>("POST", apiPath("calendars", "sfreebusy", email), {
      query: { callerUserUid: this.userUid, callerDomain: this.domainUid },
      body: query,
    });
    return answer ?? null;
  }
}
