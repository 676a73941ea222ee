/**
 * ICalendar calls: the incremental sync primitives BlueMind's own clients use (`_version`,
 * `_changeset`, `_mget`), the live range query (`_search`) and single-event writes. Writes ask
 * the server to send the invitations (`sendNotifications=true`): Thunderbird sends none.
 */

import { EVENT_CODEC } from "../convert/codecs";
import type { ContainerItems } from "./container-items";
import { apiPath, type BlueMindHttp } from "./http";
import type { BmDateTime, ContainerChangeset, ItemValue, ListResult, VEventQuery, VEventSeries } from "./types";

export class CalendarItems implements ContainerItems<VEventSeries> {
  readonly codec = EVENT_CODEC;

  constructor(
    private readonly http: BlueMindHttp,
    readonly containerUid: string,
  ) {}

  private path(...rest: string[]): string {
    return apiPath("calendars", this.containerUid, ...rest);
  }

  version(): Promise<number> {
    return this.http.call<number>("GET", this.path("_version"));
  }

  changeset(since: number): Promise<ContainerChangeset<string>> {
    return this.http.call("GET", this.path("_changeset"), { query: { since } });
  }

  mget(uids: string[]): Promise<ItemValue<VEventSeries>[]> {
    return this.http.call("POST", this.path("_mget"), { body: uids });
  }

  /** The item, or null when it does not exist (BlueMind answers an empty body). */
  async complete(uid: string): Promise<ItemValue<VEventSeries> | null> {
    return (await this.http.call<ItemValue<VEventSeries> | undefined>("GET", this.path(uid, "complete"))) ?? null;
  }

  search(dateMin: BmDateTime | null, dateMax: BmDateTime | null, from: number, size: number): Promise<ListResult<ItemValue<VEventSeries>>> {
    const query: VEventQuery = { dateMin, dateMax, from, size };
    return this.http.call("POST", this.path("_search"), { body: query });
  }

  create(uid: string, series: VEventSeries): Promise<void> {
    return this.http.call("PUT", this.path(uid), { query: { sendNotifications: true }, body: series });
  }

  update(uid: string, series: VEventSeries): Promise<void> {
    return this.http.call("POST", this.path(uid), { query: { sendNotifications: true }, body: series });
  }

  remove(uid: string): Promise<void> {
    return this.http.call("DELETE", this.path(uid), { query: { sendNotifications: true } });
  }
}
