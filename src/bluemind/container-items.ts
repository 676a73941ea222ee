/**
 * What the sync, the live queries and the writes need of a BlueMind container of items, whatever
 * the items are: a calendar (ICalendar, VEventSeries) or a todo list (ITodoList, VTodo). BlueMind
 * gives both the same changelog calls (`_version`, `_changeset`, `_mget`, `_search`, CRUD); the
 * codec says how the container's items are written to and read from iCalendar. The sync code
 * never looks inside an item: only the codec does, so one sync serves both kinds.
 */

import type { BmDateTime, ContainerChangeset, ItemValue, ListResult } from "./types";

/** Where the converter reports what it guessed or left out (a zone, a value); default console.warn. */
export interface CodecOptions {
  warn?: (message: string) => void;
}

export interface ItemCodec<T> {
  /** Several items as one VCALENDAR (a sync block). */
  toIcs(values: T[], options?: CodecOptions): string;
  /** The item's iCalendar UID: Thunderbird's item id. */
  icsUid(value: T): string;
  /** Thunderbird's iCalendar for one item, over `base` (the server's copy) when there is one. */
  fromIcs(ics: string, base: T | null, options?: CodecOptions): T;
  /** The item's title, for the messages that name it. */
  title(value: T): string | null;
  /** A placeholder BlueMind masked (a private event seen without the right): never written back. */
  masked(value: T): boolean;
}

export interface ContainerItems<T> {
  readonly containerUid: string;
  readonly codec: ItemCodec<T>;
  version(): Promise<number>;
  changeset(since: number): Promise<ContainerChangeset<string>>;
  mget(uids: string[]): Promise<ItemValue<T>[]>;
  /** The item, or null when it does not exist. */
  complete(uid: string): Promise<ItemValue<T> | null>;
  /** Items for a window of dates (online-only containers), a page at a time. */
  search(dateMin: BmDateTime | null, dateMax: BmDateTime | null, from: number, size: number): Promise<ListResult<ItemValue<T>>>;
  create(uid: string, value: T): Promise<void>;
  update(uid: string, value: T): Promise<void>;
  remove(uid: string): Promise<void>;
}

/** A container of either kind, as the item-agnostic code holds it. */
export type AnyContainerItems = ContainerItems<unknown>;
