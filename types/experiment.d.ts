/**
 * What the experiment's scripts share beyond Mozilla's globals (mozilla-globals.d.ts,
 * mozilla-calendar.d.ts): the two src/sync modules build.mjs bundles into it as globals, the
 * hooks parent.js hands the provider, and the subscripts' scope as parent.js uses it. The
 * functions the subscripts define at top level need no declaration here: in one program of
 * non-module scripts they are globals, as they are in the scope parent.js loads them into.
 */

/** src/sync/cache-plan.ts, bundled by build.mjs as cache-plan.js. */
declare var BmCachePlan: typeof import("../src/sync/cache-plan");
/** src/sync/rule-dates.ts, bundled by build.mjs as rule-dates.js. */
declare var BmRuleDates: typeof import("../src/sync/rule-dates");
/** src/sync/ics-blocks.ts, bundled by build.mjs as ics-blocks.js. */
declare var BmIcsBlocks: typeof import("../src/sync/ics-blocks");

type ProviderRequests = import("../src/thunderbird/provider-contract").ProviderRequests;
type RequestKind = import("../src/thunderbird/provider-contract").RequestKind;

type KeysOfUnion<T> = T extends unknown ? keyof T : never;
/**
 * A union whose members each name the others' properties as absent (`?: undefined`), so that
 * the provider's `result?.error` / `result.ics` read an answer before narrowing it, as it does.
 */
type WithAbsentKeys<T, K extends PropertyKey = KeysOfUnion<T>> = T extends unknown ? T & { [P in Exclude<K, keyof T>]?: undefined } : never;

/** What the provider asks the background through (parent.js's request). */
interface ProviderHooks {
  extensionId(): string;
  request<K extends RequestKind>(
    kind: K,
    calendar: ProviderRequests[K]["calendar"],
    payload: ProviderRequests[K]["payload"],
  ): Promise<WithAbsentKeys<ProviderRequests[K]["answer"]>>;
}

/** The scope parent.js loads the subscripts into (loadProviderModule): what it calls there. */
interface ProviderModule {
  createBlueMindProvider: typeof createBlueMindProvider;
  registerFreeBusy: typeof registerFreeBusy;
  unregisterFreeBusy: typeof unregisterFreeBusy;
  watchConnection: typeof watchConnection;
  connectionChanged: typeof connectionChanged;
  cacheState: typeof cacheState;
  cacheIndex: typeof cacheIndex;
  applyCacheChanges: typeof applyCacheChanges;
  providerOf: typeof providerOf;
  applyScheduling: typeof applyScheduling;
  diagnose: typeof diagnose;
  saveSecret: typeof saveSecret;
  readSecret: typeof readSecret;
  deleteSecret: typeof deleteSecret;
}

// The contract's shapes (src/thunderbird/provider-contract.ts), by name for the JSDoc.
type ApplyOutcome = import("../src/thunderbird/provider-contract").ApplyOutcome;
type CacheChanges = import("../src/thunderbird/provider-contract").CacheBlock;
type EventRows = import("../src/thunderbird/provider-contract").EventRows;
type RowBlock = import("../src/thunderbird/provider-contract").RowBlock;
type PlannedWrite = import("../src/sync/cache-plan").PlannedWrite;
type CacheState = import("../src/thunderbird/provider-contract").CacheState;
type CalendarChanges = import("../src/thunderbird/provider-contract").CalendarChanges;
type CalendarInfo = import("../src/thunderbird/provider-contract").CalendarInfo;
type CalendarRef = import("../src/thunderbird/provider-contract").CalendarRef;
type CalendarSpec = import("../src/thunderbird/provider-contract").CalendarSpec;
type ConnectionDiagnosis = import("../src/thunderbird/provider-contract").ConnectionDiagnosis;
type ItemMeta = import("../src/thunderbird/provider-contract").ItemMeta;
type SchedulingInfo = import("../src/thunderbird/provider-contract").SchedulingInfo;
