/**
 * Typings for our own experiment API (src/experiments/bmcal/schema.json), merged into the
 * `messenger` global that @types/thunderbird-webext-browser declares. The shapes are declared
 * once, in src/thunderbird/provider-contract.ts; test/unit/provider-contract.test.ts checks
 * that this file, schema.json and parent.js agree.
 */
declare namespace messenger.bmcal {
  type CalendarSpec = import("../thunderbird/provider-contract").CalendarSpec;
  type CalendarChanges = import("../thunderbird/provider-contract").CalendarChanges;
  type CalendarInfo = import("../thunderbird/provider-contract").CalendarInfo;
  type ConnectionDiagnosis = import("../thunderbird/provider-contract").ConnectionDiagnosis;
  type CacheState = import("../thunderbird/provider-contract").CacheState;
  type CacheBatch = import("../thunderbird/provider-contract").CacheBatch;
  type CacheBlock = import("../thunderbird/provider-contract").CacheBlock;
  type ApplyOutcome = import("../thunderbird/provider-contract").ApplyOutcome;
  type SchedulingInfo = import("../thunderbird/provider-contract").SchedulingInfo;
  type ProviderRequestArgs = import("../thunderbird/provider-contract").ProviderRequestArgs;
  type ProviderAnswer = import("../thunderbird/provider-contract").ProviderAnswer;

  const onRequest: WebExtEvent<(...request: ProviderRequestArgs) => Promise<ProviderAnswer>>;

  function registerProvider(): Promise<void>;
  function listCalendars(): Promise<CalendarInfo[]>;
  function createCalendar(spec: CalendarSpec): Promise<CalendarInfo>;
  function updateCalendar(uri: string, changes: CalendarChanges): Promise<CalendarInfo>;
  function removeCalendar(uri: string): Promise<void>;
  function refreshCalendar(uri: string): Promise<void>;
  function setRefreshInterval(minutes: number): Promise<void>;
  function cacheState(uri: string): Promise<CacheState>;
  function applyCacheChanges(uri: string, changes: CacheBlock): Promise<ApplyOutcome>;
  /** Item uid -> BlueMind version stored with it (-1: Thunderbird's own copy of a replayed edit). */
  function cacheIndex(uri: string): Promise<Record<string, number>>;
  function saveSecret(origin: string, username: string, secret: string): Promise<void>;
  function readSecret(origin: string, username: string): Promise<string | null>;
  function deleteSecret(origin: string, username: string): Promise<void>;
  function diagnoseConnection(url: string): Promise<ConnectionDiagnosis>;
  /** Answers how many of these calendars Thunderbird has. */
  function setScheduling(infos: SchedulingInfo[]): Promise<number>;
}
