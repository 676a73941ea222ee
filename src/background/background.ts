/**
 * Composition root of the background page: wires the BlueMind client, the account service,
 * the Thunderbird adapter and the options page messages together, then registers our
 * calendar provider type and reconciles. Persistent (MV2), because the calendar provider
 * calls into this page at any time.
 */

import { BlueMindError, toErrorReport } from "../bluemind/errors";
import { ConvertError } from "../convert/errors";
import { FreeBusyLookup } from "../bluemind/freebusy";
import { BlueMindHttp } from "../bluemind/http";
import { experimentCalendars } from "../thunderbird/calendars";
import { storageRowsOnWorker } from "../thunderbird/storage-rows-client";
import { openLoginWindow } from "../thunderbird/login-window";
import { loginManagerSecrets } from "../thunderbird/secrets";
import { AccountService } from "./account-service";
import { AccountStore } from "./account-store";
import { readServerPolicy } from "./managed-settings";
import { MAX_STARTUP_DELAY_MS, Poller } from "./poller";
import type { Request, Response, StateChangedMessage } from "./protocol";
import { createProviderBridge } from "./provider-bridge";
import { createSchedulingSetup } from "./scheduling-setup";
import { StartupGate } from "./startup-gate";
import { MailboxWatch } from "../sync/mailbox-watch";
import { connectToolbar, notifyUser } from "./user-signals";

const manifest = messenger.runtime.getManifest();

// Large sync blocks are split into Thunderbird's storage rows on a worker (storage-rows-worker.ts).
const calendars = experimentCalendars(storageRowsOnWorker(messenger.runtime.getURL("storage-rows-worker.js")));
const startupGate = new StartupGate(MAX_STARTUP_DELAY_MS);
// Enterprise policies are read by Thunderbird at startup only: read them once.
const serverPolicy = readServerPolicy(messenger.storage.managed, (message) => console.warn("[bluemind-calendar-sync]", message));
/** mailboxCopyGuid, read sparingly; a sync the user asks for (or going online) reads it again. */
const mailbox = new MailboxWatch(() => service.mailboxCopyGuid());
const syncNowInBackground = (): void => {
  startupGate.open();
  mailbox.expire();
  service.syncNow().catch((error) => console.warn("[bluemind-calendar-sync] sync failed", error));
};
const updateToolbar = connectToolbar(calendars, syncNowInBackground);
/** The signed-in user's BlueMind directory, or null. */
const directory = () => service.directory().catch(() => null);
// Who sends the invitations of each calendar, and as whom (see scheduling-setup.ts).
const setUpScheduling = createSchedulingSetup({
  directory,
  apply: (infos) => messenger.bmcal.setScheduling(infos),
  log: (message) => console.warn("[bluemind-calendar-sync]", message),
});
/** Free/busy for Thunderbird's attendee dialog, kept for the dialog's life. */
const freebusy = new FreeBusyLookup({ directory, now: () => Date.now(), online: () => navigator.onLine });
const service: AccountService = new AccountService({
  store: new AccountStore(messenger.storage.local),
  secrets: loginManagerSecrets(),
  calendars,
  connect: (origin, apiKey) => new BlueMindHttp({ origin, apiKey, diagnose: (url) => messenger.bmcal.diagnoseConnection(url) }),
  clientOrigin: `bluemind-calendar-sync-${manifest.version} tbird:${navigator.userAgent.match(/Thunderbird\/([\d.]+)/)?.[1] ?? "?"}`,
  keyDisplayName: messenger.i18n.getMessage("apiKeyDisplayName"),
  myTasksName: messenger.i18n.getMessage("myTasksName"),
  now: () => Date.now(),
  onChange: (state) => {
    const message: StateChangedMessage = { type: "stateChanged", state };
    // No options page open is the normal case: ignore "no receiver".
    messenger.runtime.sendMessage(message).catch(() => undefined);
    updateToolbar(state);
    setUpScheduling(state);
  },
  notify: notifyUser,
  serverPolicy: () => serverPolicy,
  browser: {
    openWindow: openLoginWindow,
    // The background's own fetch: the cookie jar the login window fills.
    fetch: (url, init) => fetch(url, init),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
});
// In "Work offline" the checks pause (nothing could answer); going online syncs at once.
const poller = new Poller(() => (navigator.onLine ? service.poll() : Promise.resolve()));

async function handle(request: Request): Promise<Response> {
  try {
    switch (request.type) {
      case "getState":
        await service.reloadDefaults();
        await service.loadIfNeeded();
        break;
      case "signIn":
        await service.signIn(request.serverUrl, request.login, request.password);
        break;
      case "signInWithKey":
        await service.signInWithKey(request.serverUrl, request.apiKey);
        break;
      case "signInWithBrowser":
        await service.signInWithBrowser(request.serverUrl);
        break;
      case "signOut":
        await service.signOut();
        break;
      case "setSync":
        await service.setSync(request.containerUid, request.offlineSync);
        break;
      case "syncNow":
        startupGate.open();
        mailbox.expire();
        await service.syncNow();
        break;
      case "setPollInterval": {
        const minutes = await service.setPollMinutes(request.minutes);
        poller.setInterval(minutes);
        await messenger.bmcal.setRefreshInterval(minutes);
        break;
      }
    }
    return { ok: true, state: service.view() };
  } catch (error) {
    console.error("[bluemind-calendar-sync]", request.type, error);
    return { ok: false, state: service.view(), error: toErrorReport(error) };
  }
}

messenger.runtime.onMessage.addListener((message: unknown) => {
  const request = message as Request;
  if (!request || typeof request.type !== "string" || (request.type as string) === "stateChanged") {
    return undefined;
  }
  return handle(request);
});

/** An error in the user's language, for Thunderbird's own calendar error display. */
function describe(error: unknown): string {
  if (error instanceof ConvertError) {
    // An item the converter cannot store: say so, and what is wrong with it.
    const detail = error.message.replace(/^convert: /, "");
    return error.field
      ? messenger.i18n.getMessage("error_convertField", [error.field, detail])
      : messenger.i18n.getMessage("error_convert", [detail]);
  }
  const kind = error instanceof BlueMindError ? error.kind : "unexpected";
  const detail = error instanceof Error ? error.message : String(error);
  return `${messenger.i18n.getMessage(`error_${kind}`)} (${detail})`;
}

/** Provider requests wait for the stored account (see ProviderBridgeDeps.accountLoaded). */
let markAccountLoaded: () => void = () => undefined;
const accountLoaded = new Promise<void>((resolve) => {
  markAccountLoaded = resolve;
});

const answerProvider = createProviderBridge({
  service,
  calendars,
  accountLoaded,
  newUid: () => crypto.randomUUID(),
  describe,
  startupGate,
  freebusy: (request) => freebusy.lookup(request),
  mailbox,
  log: (message) => console.info("[bluemind-calendar-sync]", message),
});
messenger.bmcal.onRequest.addListener((...request) => answerProvider(...request));

// Back online: push what was edited offline, then follow BlueMind.
window.addEventListener("online", syncNowInBackground);

async function main(): Promise<void> {
  // Listeners first, then the provider type: registering it brings our calendars to life.
  try {
    await messenger.bmcal.registerProvider();
    await service.start();
  } finally {
    markAccountLoaded();
  }
  await messenger.bmcal.setRefreshInterval(service.pollIntervalMinutes);
  poller.start(service.pollIntervalMinutes, MAX_STARTUP_DELAY_MS, startupGate.delayMs);
}

main().catch((error) => console.error("[bluemind-calendar-sync] startup failed", error));
