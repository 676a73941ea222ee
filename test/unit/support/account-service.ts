/**
 * The account service as the unit tests build it: the real service, the reference server over
 * real HTTP, and fakes only at the messenger boundary (storage.local, the login manager, the
 * calendars). Tests override what they watch (the clock, the views, notifications).
 */

import { AccountService, type AccountServiceDeps } from "../../../src/background/account-service";
import { AccountStore } from "../../../src/background/account-store";
import { BlueMindHttp } from "../../../src/bluemind/http";
import type { FakeThunderbirdCalendars, MemorySecrets, MemoryStorage } from "./fakes";

export interface MessengerFakes {
  storage: MemoryStorage;
  secrets: MemorySecrets;
  calendars: FakeThunderbirdCalendars;
}

export function makeAccountService(fakes: MessengerFakes, overrides: Partial<AccountServiceDeps> = {}): AccountService {
  return new AccountService({
    store: new AccountStore(fakes.storage),
    secrets: fakes.secrets,
    calendars: fakes.calendars,
    connect: (origin, apiKey) => new BlueMindHttp({ origin, apiKey }),
    clientOrigin: "test",
    keyDisplayName: "Thunderbird (test)",
    now: () => Date.now(),
    onChange: () => undefined,
    ...overrides,
  });
}
