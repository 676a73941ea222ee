/**
 * The Mozilla and Thunderbird globals the experiment's privileged JavaScript uses
 * (src/experiments/bmcal/*.js, checked by tsconfig.experiment.json), as far as it uses them:
 * each shape lists the members our code reads, calls or overrides, not the whole interface.
 * Why here and not in src/types/: these globals exist only in Thunderbird's parent process,
 * so they must not be visible to the add-on's own code (tsconfig.addon.json) or the Node side;
 * and nothing under types/ is shipped (build.mjs copies src/experiments/ only).
 * Names follow Mozilla's IDL (calICalendar, nsIURI, ...). Where `any` remains, it says why:
 * nsIVariant values (getProperty), and the JS objects behind XPCOM wrappers (wrappedJSObject),
 * whose internals our workarounds reach into and whose typing would be a project of its own.
 */

// ------------------------------------------------------------------ XPCOM: Cc, Ci, Cr, Components

/** An interface as Ci names it; the type parameter is what QueryInterface/createInstance give. */
interface nsIJSIID<T> {
  readonly name: string;
  /** Never set: only carries T for the type checker. */
  readonly __instanceType?: T;
}

type XPCOMQueryInterface = <T>(iid: nsIJSIID<T>) => T;

interface nsIJSCID {
  createInstance<T>(iid: nsIJSIID<T>): T;
}

/** The components our code creates, by contract ID. */
declare const Cc: {
  readonly "@mozilla.org/login-manager/loginInfo;1": nsIJSCID;
  readonly "@mozilla.org/calendar/ics-parser;1": nsIJSCID;
  readonly "@mozilla.org/calendar/ics-serializer;1": nsIJSCID;
  readonly "@mozilla.org/calendar/calendar;1?type=memory": nsIJSCID;
};

declare const Ci: {
  readonly nsIRequest: nsIJSIID<nsIRequest> & { readonly LOAD_BYPASS_CACHE: number; readonly LOAD_ANONYMOUS: number };
  readonly nsIResProtocolHandler: nsIJSIID<nsIResProtocolHandler>;
  readonly nsILoginInfo: nsIJSIID<nsILoginInfo>;
  readonly calIIcsParser: nsIJSIID<calIIcsParser>;
  readonly calIIcsSerializer: nsIJSIID<calIIcsSerializer>;
  readonly calISyncWriteCalendar: nsIJSIID<calISyncWriteCalendar>;
  readonly calICalendar: nsIJSIID<calICalendar> & {
    readonly ITEM_FILTER_ALL_ITEMS: number;
    readonly ITEM_FILTER_TYPE_TODO: number;
    readonly ITEM_FILTER_TYPE_EVENT: number;
    readonly ITEM_FILTER_OFFLINE_CREATED: number;
    readonly ITEM_FILTER_OFFLINE_MODIFIED: number;
    readonly ITEM_FILTER_OFFLINE_DELETED: number;
    readonly ITEM_FILTER_CLASS_OCCURRENCES: number;
    readonly ITEM_FILTER_REQUEST_NEEDS_ACTION: number;
  };
  readonly calIErrors: { readonly MODIFICATION_FAILED: number };
  readonly calIOperationListener: { readonly ADD: number; readonly MODIFY: number };
  readonly calIFreeBusyInterval: {
    readonly UNKNOWN: number;
    readonly BUSY: number;
    readonly BUSY_TENTATIVE: number;
    readonly BUSY_UNAVAILABLE: number;
  };
};

/** nsresult codes. */
declare const Cr: { readonly NS_OK: number; readonly NS_ERROR_FAILURE: number; readonly NS_ERROR_OFFLINE: number };

/** An XPCOM exception: an Error carrying its nsresult. */
interface XPCOMException extends Error {
  readonly result: number;
}

declare const Components: {
  isSuccessCode(status: number): boolean;
  /** Called without `new`, as Mozilla's code does. */
  Exception(message: string, result: number): XPCOMException;
};

declare const ChromeUtils: {
  importESModule(url: "resource://gre/modules/ExtensionCommon.sys.mjs"): { ExtensionCommon: ExtensionCommonModule };
  importESModule(url: "resource://gre/modules/ExtensionUtils.sys.mjs"): { ExtensionError: typeof ExtensionErrorClass };
  importESModule(url: "resource://gre/modules/NetUtil.sys.mjs"): { NetUtil: NetUtilModule };
  importESModule(url: "resource://gre/modules/Timer.sys.mjs"): { setTimeout: (callback: () => void, ms: number) => number };
  importESModule(url: "resource:///modules/calendar/calUtils.sys.mjs"): { cal: CalUtils };
  importESModule(url: "resource:///modules/calendar/Ical.sys.mjs"): { default: typeof import("ical.js").default };
  importESModule(url: "resource:///modules/CalDateTime.sys.mjs"): {
    CalDateTime: new (time: import("ical.js").default.Time) => calIDateTime;
  };
  importESModule(url: "resource:///modules/CalReadableStreamFactory.sys.mjs"): { CalReadableStreamFactory: CalReadableStreamFactoryClass };
  importESModule(url: "resource:///modules/MailServices.sys.mjs"): { MailServices: MailServicesModule };
  /** The calendar storage's schema version (23 in 140, 153 and 157). */
  importESModule(url: "resource:///modules/calendar/calStorageUpgrade.sys.mjs"): { DB_SCHEMA_VERSION: number };
  generateQI(interfaces: string[]): XPCOMQueryInterface;
};

// ------------------------------------------------------------------ Services and networking

interface nsIURI {
  readonly spec: string;
}

interface nsIRequest {
  loadFlags: number;
}

/** Opaque here: handed back to NetUtil.readInputStreamToString. */
interface nsIInputStream {
  readonly __nsIInputStream?: never;
}

interface nsIStreamListener {
  onStartRequest(request: nsIRequest): void;
  onDataAvailable(request: nsIRequest, stream: nsIInputStream, offset: number, count: number): void;
  onStopRequest(request: nsIRequest, status: number): void;
}

interface nsIChannel extends nsIRequest {
  asyncOpen(listener: nsIStreamListener): void;
}

interface NetUtilModule {
  newChannel(options: { uri: string; loadUsingSystemPrincipal: boolean }): nsIChannel;
  readInputStreamToString(stream: nsIInputStream, count: number): string;
}

interface nsIProtocolHandler {
  QueryInterface: XPCOMQueryInterface;
}

interface nsIResProtocolHandler extends nsIProtocolHandler {
  setSubstitution(host: string, uri: nsIURI | null): void;
}

interface nsILoginInfo {
  readonly username: string;
  readonly password: string;
  init(
    origin: string,
    formActionOrigin: string | null,
    httpRealm: string | null,
    username: string,
    password: string,
    usernameField: string,
    passwordField: string,
  ): void;
}

interface nsIObserver {
  observe(subject: unknown, topic: string, data: string | null): void;
}

/** A mail:3pane window, as calendarUiStarted looks at it. */
interface MailWindow {
  /** messenger.js's loadCalendarComponent, which flags itself once it has run. */
  loadCalendarComponent?: { hasBeenCalled?: boolean };
}

declare const Services: {
  readonly io: {
    offline: boolean;
    getProtocolHandler(scheme: string): nsIProtocolHandler;
    newURI(spec: string): nsIURI;
  };
  readonly logins: {
    searchLoginsAsync(matching: { origin: string; httpRealm: string }): Promise<nsILoginInfo[]>;
    addLoginAsync(login: nsILoginInfo): Promise<nsILoginInfo>;
    /** Thunderbird 153; older releases have only removeLogin. */
    removeLoginAsync?(login: nsILoginInfo): Promise<void>;
    removeLogin(login: nsILoginInfo): void;
  };
  readonly obs: {
    addObserver(observer: nsIObserver, topic: string): void;
    removeObserver(observer: nsIObserver, topic: string): void;
  };
  readonly prefs: { getBoolPref(name: string, defaultValue?: boolean): boolean };
  readonly scriptloader: { loadSubScript(url: string, target: object): unknown };
  readonly wm: { getEnumerator(windowType: string): Iterable<MailWindow> };
};

// ------------------------------------------------------------------ WebExtension experiments

/** The add-on, as an experiment's parent script sees it (ExtensionCommon's Extension). */
interface Extension {
  readonly id: string;
  readonly uuid: string;
  readonly rootURI: nsIURI;
  /** Resolves with what each listener returned (whatever the background answered: untyped). */
  emit(event: string, ...args: unknown[]): Promise<any[]>;
  on(event: string, listener: (event: string, ...args: any[]) => unknown): void;
  off(event: string, listener: (event: string, ...args: any[]) => unknown): void;
}

/** The context getAPI is called with (ExtensionCommon's BaseContext). */
interface ExtensionContext {
  readonly extension: Extension;
}

declare class ExtensionAPI {
  constructor(extension: Extension);
  readonly extension: Extension;
  getAPI(context: ExtensionContext): object;
  onShutdown(isAppShutdown: boolean): void;
}

interface ExtensionCommonModule {
  EventManager: new (options: {
    context: ExtensionContext;
    name: string;
    register: (fire: { async(...args: unknown[]): Promise<unknown> }) => () => void;
  }) => { api(): object };
}

/** ExtensionUtils' ExtensionError: an error whose message reaches the add-on as it is. */
declare class ExtensionErrorClass extends Error {}

// ------------------------------------------------------------------ mail

interface nsIMsgIdentity {
  readonly key: string;
  readonly email: string | null;
}

interface MailServicesModule {
  readonly accounts: { readonly allIdentities: nsIMsgIdentity[] };
}
