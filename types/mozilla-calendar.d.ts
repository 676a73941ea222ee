/**
 * Thunderbird's calendar, as the experiment's privileged JavaScript uses it (the rest of the
 * Mozilla globals: mozilla-globals.d.ts): `cal` (calUtils.sys.mjs), the XPCOM calendar
 * interfaces our provider implements or calls, and cal.provider.BaseClass, which it extends.
 * Each shape lists the members our code uses, not the whole interface.
 */

interface calITimezone {
  readonly tzid: string;
}

interface calITimezone {
  readonly isUTC: boolean;
  readonly isFloating: boolean;
}

interface calIDateTime {
  readonly timezone: calITimezone;
  readonly icalString: string;
  isDate: boolean;
  /** The ICAL.Time inside, as `innerObject` (CalDateTime.sys.mjs; no IDL). */
  readonly wrappedJSObject?: { innerObject?: import("ical.js").default.Time };
  clone(): calIDateTime;
  compare(other: calIDateTime): number;
  addDuration(duration: calIDuration): void;
  getInTimezone(timezone: calITimezone): calIDateTime;
}

interface calIDuration {
  isNegative: boolean;
  clone(): calIDuration;
}

/** A recurrence rule or date (RRULE, RDATE, EXDATE). */
interface calIRecurrenceItem {
  readonly isNegative: boolean;
  /** A rule's ICAL.Recur as `innerObject` (CalRecurrenceRule.sys.mjs; no IDL). */
  readonly wrappedJSObject?: { innerObject?: unknown };
  getOccurrences(start: calIDateTime, rangeStart: calIDateTime, rangeEnd: calIDateTime, maxCount: number): calIDateTime[];
}

interface calIAttendee {
  readonly id: string | null;
}

interface calIRecurrenceInfo {
  modifyException(item: calIItemBase, takeOverOwnership: boolean): void;
  getRecurrenceItems(): calIRecurrenceItem[];
  getExceptionIds(): calIDateTime[];
  getExceptionFor(recurrenceId: calIDateTime): calIItemBase;
  getOccurrenceFor(recurrenceId: calIDateTime): calIItemBase;
}

/** An event or a task (calIEvent, calITodo). */
interface calIItemBase {
  id: string;
  calendar: calICalendar;
  /** The item itself, or the series an occurrence belongs to. */
  readonly parentItem: calIItemBase;
  /** Null on an item that does not recur: read here only on the parent of an occurrence. */
  readonly recurrenceInfo: calIRecurrenceInfo;
  readonly organizer: calIAttendee | null;
  /** An occurrence's RECURRENCE-ID; null on a series or a single item. */
  readonly recurrenceId: calIDateTime | null;
  /** The date the recurrence starts from (an event's DTSTART). */
  readonly recurrenceStartDate: calIDateTime | null;
  /** An event's DTEND − DTSTART (CalEvent; no IDL on calIItemBase). */
  readonly duration?: calIDuration;
  clone(): calIItemBase;
  isEvent(): boolean;
  getAttendees(): calIAttendee[];
  /** An iCalendar property's value (X-MOZ-…), or null. */
  getProperty(name: string): string | null;
  setProperty(name: string, value: string): void;
}

/** Thunderbird's calendar item streams hand items over in chunks. */
type calItemStream = ReadableStream<calIItemBase[]>;

interface calICalendar {
  readonly id: string;
  name: string;
  readonly type: string;
  readonly uri: nsIURI;
  readOnly: boolean;
  superCalendar: calICalendar;
  /** The JS object behind the XPCOM wrapper: its internals are in no IDL (any). */
  readonly wrappedJSObject?: any;
  /** nsIVariant: whatever was stored under that name (string, boolean, number, an object...). */
  getProperty(name: string): any;
  setProperty(name: string, value: unknown): void;
  refresh(): void;
  startBatch(): void;
  endBatch(): void;
  getItem(id: string): Promise<calIItemBase | null>;
  getItems(filter: number, count: number, rangeStart: calIDateTime | null, rangeEnd: calIDateTime | null): calItemStream;
  getItemsAsArray(filter: number, count: number, rangeStart: calIDateTime | null, rangeEnd: calIDateTime | null): Promise<calIItemBase[]>;
}

/** A calendar written to directly (the memory calendar; the cache's storage), with its metadata. */
interface calISyncWriteCalendar extends calICalendar {
  adoptItem(item: calIItemBase): Promise<calIItemBase>;
  deleteItem(item: calIItemBase): Promise<void>;
  getMetaData(id: string): string | null;
  setMetaData(id: string, value: string): void;
  deleteMetaData(id: string): void;
  getAllMetaDataIds(): string[];
  getAllMetaDataValues(): string[];
}

/** A cached calendar's storage (calStorageCalendar as calIOfflineStorage): its offline journal. */
interface calIOfflineStorage extends calISyncWriteCalendar {
  getItemOfflineFlag(item: calIItemBase): Promise<number | null>;
}

interface calIOperationListener {
  onResult(operation: { status: number } | null, result: unknown): void;
}

interface calIIcsParser {
  parseString(ics: string): void;
  getItems(): calIItemBase[];
}

interface calIIcsSerializer {
  addItems(items: calIItemBase[]): void;
  serializeToString(): string;
}

interface calIFreeBusyInterval {
  readonly calId: string;
  readonly freeBusyType: number;
}

interface calIFreeBusyProvider {
  QueryInterface: XPCOMQueryInterface;
  getFreeBusyIntervals(
    calId: string,
    rangeStart: calIDateTime,
    rangeEnd: calIDateTime,
    busyTypes: number,
    listener: { onResult(operation: null, intervals: calIFreeBusyInterval[]): void },
  ): null;
}

/** calIObserver notifications, sent to every observer of a calendar (cal.data.ObserverSet). */
interface calObserverSet {
  notify(method: string, args: unknown[]): void;
}

/**
 * cal.provider.BaseClass (calProviderUtils.sys.mjs), the base of JavaScript calendar providers:
 * what our provider inherits, overrides or calls.
 */
declare class CalProviderBase {
  QueryInterface: XPCOMQueryInterface;
  /** The provider itself, once initProviderBase has run. */
  wrappedJSObject: this;
  /** The calendar's properties by name; defineProperty'd ones included. */
  mProperties: Record<string, unknown>;
  mObservers: calObserverSet;
  initProviderBase(): void;
  get id(): string;
  set id(value: string);
  get name(): string;
  set name(value: string);
  get uri(): nsIURI;
  set uri(value: nsIURI);
  get readOnly(): boolean;
  set readOnly(value: boolean);
  get superCalendar(): calICalendar;
  set superCalendar(value: calICalendar);
  get canRefresh(): boolean;
  /** nsIVariant: whatever was stored under that name (see calICalendar.getProperty). */
  getProperty(name: string): any;
  setProperty(name: string, value: unknown): void;
  notifyError(status: number, message?: string | null): void;
  startBatch(): void;
  endBatch(): void;
  getItems(filter: number, count: number, rangeStart: calIDateTime | null, rangeEnd: calIDateTime | null): calItemStream;
  getItemsAsArray(filter: number, count: number, rangeStart: calIDateTime | null, rangeEnd: calIDateTime | null): Promise<calIItemBase[]>;
  refresh(): void;
  canNotify(method: string, item: calIItemBase): boolean;
}

interface calICalendarManager {
  getCalendars(): calICalendar[];
  createCalendar(type: string, uri: nsIURI): calICalendar | null;
  registerCalendar(calendar: calICalendar): void;
  unregisterCalendar(calendar: calICalendar): void;
  hasCalendarProvider(type: string): boolean;
  registerCalendarProvider(type: string, provider: new () => object): void;
  /** temporary: keep the calendars' offline caches (the provider comes back). */
  unregisterCalendarProvider(type: string, temporary?: boolean): void;
}

interface CalUtils {
  readonly manager: calICalendarManager;
  readonly timezoneService: {
    /** A zone by TZID (aliases resolved), "UTC" or "floating"; null when unknown. */
    getTimezone(tzid: string): calITimezone | null;
    /** The TZIDs of Thunderbird's own zones (canonical ids, no aliases). */
    readonly timezoneIds: string[];
  };
  readonly freeBusyService: {
    addProvider(provider: calIFreeBusyProvider): void;
    removeProvider(provider: calIFreeBusyProvider): void;
  };
  readonly dtz: {
    readonly UTC: calITimezone;
    toRFC3339(date: calIDateTime): string;
    /** A DATE as a DATE-TIME at midnight in the default zone; a DATE-TIME as it is. */
    ensureDateTime(date: calIDateTime): calIDateTime;
  };
  readonly item: {
    /** The item's start when it overlaps the range (`returnDtstartOrDue`), else null. */
    checkIfInRange(item: calIItemBase, rangeStart: calIDateTime, rangeEnd: calIDateTime, returnDtstartOrDue?: boolean): calIDateTime | null;
  };
  readonly provider: {
    readonly BaseClass: typeof CalProviderBase;
    readonly FreeBusyInterval: new (calId: string, type: number, start: calIDateTime, end: calIDateTime) => calIFreeBusyInterval;
    /** The mail identity of a calendar; outAccount.value gets its account. */
    getEmailIdentityOfCalendar(calendar: calICalendar | CalProviderBase, outAccount?: { value?: unknown }): nsIMsgIdentity | null;
  };
  readonly iterate: {
    /** The chunks of a stream, as they come. */
    streamValues<T>(stream: ReadableStream<T>): AsyncIterable<T>;
  };
  createDateTime(value: string): calIDateTime;
  getUUID(): string;
}

interface CalReadableStreamFactoryClass {
  createEmptyReadableStream(): calItemStream;
  createReadableStream(source: UnderlyingDefaultSource<calIItemBase[]>): calItemStream;
}
