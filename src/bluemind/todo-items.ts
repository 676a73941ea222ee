/**
 * ITodoList calls for one todo list: the same incremental-sync primitives as a calendar's
 * (`_version`, `_changeset`, `_mget`), the live query (`_search`) and single-task writes.
 * BlueMind's todo API has no sendNotifications parameter.
 */

import { TODO_CODEC } from "../convert/codecs";
import type { ContainerItems } from "./container-items";
import { apiPath, type BlueMindHttp } from "./http";
import type { VTodo, VTodoQuery } from "./todo-types";
import type { BmDateTime, ContainerChangeset, ItemValue, ListResult } from "./types";

export class TodoItems implements ContainerItems<VTodo> {
  readonly codec = TODO_CODEC;

  constructor(
    private readonly http: BlueMindHttp,
    readonly containerUid: string,
  ) {}

  private path(...rest: string[]): string {
    return apiPath("todolist", this.containerUid, ...rest);
  }

  version(): Promise<number> {
    return this.http.call<number>("GET", this.path("_version"));
  }

  changeset(since: number): Promise<ContainerChangeset<string>> {
    return this.http.call("GET", this.path("_changeset"), { query: { since } });
  }

  mget(uids: string[]): Promise<ItemValue<VTodo>[]> {
    return this.http.call("POST", this.path("_mget"), { body: uids });
  }

  async complete(uid: string): Promise<ItemValue<VTodo> | null> {
    return (await this.http.call<ItemValue<VTodo> | undefined>("GET", this.path(uid, "complete"))) ?? null;
  }

  /**
   * Every task, whatever the window: with dateMin/dateMax BlueMind would keep only tasks due in
   * it (dropping those without a due date) and list a recurring task once per occurrence.
   * Thunderbird picks what it shows from the whole list itself.
   */
  search(_dateMin: BmDateTime | null, _dateMax: BmDateTime | null, from: number, size: number): Promise<ListResult<ItemValue<VTodo>>> {
    const query: VTodoQuery = { from, size };
    return this.http.call("POST", this.path("_search"), { body: query });
  }

  create(uid: string, todo: VTodo): Promise<void> {
    return this.http.call("PUT", this.path(uid), { body: todo });
  }

  update(uid: string, todo: VTodo): Promise<void> {
    return this.http.call("POST", this.path(uid), { body: todo });
  }

  remove(uid: string): Promise<void> {
    return this.http.call("DELETE", this.path(uid));
  }
}
