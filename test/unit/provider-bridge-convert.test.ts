/**
 * An item the converter cannot store (a broken VEVENT in a file Thunderbird imports, a server
 * copy with a malformed field) is refused alone: the answer is a refusal with the message the
 * user sees in Thunderbird's error window, the reason is logged, and the calendar's activity is
 * left alone (no "!" on the toolbar for one bad event of an import). Other items go on as usual.
 */

import { strict as assert } from "node:assert";
import { AccountService } from "../../src/background/account-service";
import { AccountStore } from "../../src/background/account-store";
import { createProviderBridge } from "../../src/background/provider-bridge";
import { BlueMindHttp } from "../../src/bluemind/http";
import type { VEventSeries } from "../../src/bluemind/types";
import { ConvertError } from "../../src/convert";
import { calendarUri } from "../../src/sync/calendar-identity";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { FakeThunderbirdCalendars, MemorySecrets, MemoryStorage } from "./support/fakes";

const { alice } = DEMO.users;
const C = DEMO.calendars;
const E = DEMO.events;

const vcalendar = (...lines: string[]): string =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
    "BEGIN:VEVENT",
    ...lines,
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");

describe("provider bridge: an item the converter cannot store", () => {
  let server: RunningServer;
  let service: AccountService;
  let bridge: ReturnType<typeof createProviderBridge>;
  let logged: string[];
  const ref = { uri: "", name: "Alice" };

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    service = new AccountService({
      store: new AccountStore(new MemoryStorage()),
      secrets: new MemorySecrets(),
      calendars: new FakeThunderbirdCalendars(),
      connect: (origin, apiKey) => new BlueMindHttp({ origin, apiKey }),
      clientOrigin: "test",
      keyDisplayName: "k",
      now: () => 0,
      onChange: () => undefined,
    });
    await service.start();
    await service.signIn(server.url, alice.login, alice.password);
    ref.uri = calendarUri(server.url, C.alice.uid);
    logged = [];
    bridge = createProviderBridge({
      service,
      calendars: new FakeThunderbirdCalendars(),
      newUid: () => "x",
      // What background.ts's describe() keys on: the ConvertError and its field.
      describe: (error) =>
        error instanceof ConvertError ? `cannot store [${error.field ?? "-"}] ${error.message}` : `other ${String(error)}`,
      log: (message) => logged.push(message),
    });
  });
  afterEach(() => server.close());

  it("refuses a VEVENT without DTSTART with the converter's reason, logs it, and leaves the calendar's activity alone", async () => {
    const before = server.state.calendarItemCount(C.alice.uid);
    const answer = await bridge("write", ref, {
      op: "add",
      id: "broken-1@example.com",
      itemUid: null,
      version: null,
      ics: vcalendar("UID:broken-1@example.com", "DTSTAMP:20260101T000000Z", "SUMMARY:No start"),
    });
    assert.deepEqual(answer, { error: "refused", message: "cannot store [-] convert: VEVENT broken-1@example.com: no DTSTART" });
    assert.equal(service.activity.of(C.alice.uid).error, null, "the calendar is not marked as failed");
    assert.equal(server.state.calendarItemCount(C.alice.uid), before, "nothing was stored");
    assert.deepEqual(logged, ["add of broken-1@example.com in Alice refused: convert: VEVENT broken-1@example.com: no DTSTART"]);

    const good = (await bridge("write", ref, {
      op: "add",
      id: "good-1@example.com",
      itemUid: null,
      version: null,
      ics: vcalendar(
        "UID:good-1@example.com",
        "DTSTAMP:20260101T000000Z",
        "DTSTART:20260105T090000Z",
        "DTEND:20260105T100000Z",
        "SUMMARY:Fine",
      ),
    })) as { itemUid?: string; error?: string };
    assert.equal(good.error, undefined);
    assert.equal(server.state.calendar(C.alice.uid)?.get(good.itemUid!)?.value.main?.summary, "Fine");
  });

  it("names the field when BlueMind's own copy is malformed, and still leaves the activity alone", async () => {
    const stored = server.state.calendar(C.alice.uid)?.get(E.weeklyStandup.uid);
    assert.ok(stored?.value.main);
    // A payload no BlueMind should send: a number where a mail address belongs.
    (stored.value.main as unknown as { attendees: unknown[] }).attendees = [{ mailto: 3, commonName: "Broken" }];
    const ics = vcalendar(
      `UID:${stored.value.icsUid}`,
      "DTSTAMP:20260101T000000Z",
      "DTSTART:20261130T083000Z",
      "DTEND:20261130T084500Z",
      "SUMMARY:Renamed",
    );
    const answer = (await bridge("write", ref, {
      op: "modify",
      id: stored.value.icsUid,
      itemUid: stored.uid,
      version: stored.version,
      ics,
    })) as {
      error: string;
      message: string;
    };
    assert.equal(answer.error, "refused");
    assert.match(answer.message, /^cannot store \[main\.attendees\[0\]\.mailto\] /);
    assert.equal(service.activity.of(C.alice.uid).error, null);
    assert.equal(
      (server.state.calendar(C.alice.uid)?.get(E.weeklyStandup.uid)?.value as VEventSeries).main?.summary,
      E.weeklyStandup.summary,
    );
    assert.match(logged[0] ?? "", /^modify of .* in Alice refused: convert: .*\(field main\.attendees\[0\]\.mailto\)$/);
  });

  it("gives the converter's warnings about Thunderbird's item to the add-on's log", async () => {
    const answer = (await bridge("write", ref, {
      op: "add",
      id: "zone-1@example.com",
      itemUid: null,
      version: null,
      ics: vcalendar(
        "UID:zone-1@example.com",
        "DTSTAMP:20260101T000000Z",
        "DTSTART;TZID=Nowhere Standard Time:20260105T090000",
        "DTEND;TZID=Nowhere Standard Time:20260105T100000",
        "SUMMARY:Somewhere",
      ),
    })) as { error?: string };
    assert.equal(answer.error, undefined);
    assert.ok(
      logged.some((m) => m.startsWith('convert: unknown TZID "Nowhere Standard Time"')),
      logged.join("\n"),
    );
  });

  it("still marks the calendar when BlueMind itself refuses (a read-only calendar)", async () => {
    const bobRef = { uri: calendarUri(server.url, C.bob.uid), name: "Bob" };
    const answer = (await bridge("write", bobRef, {
      op: "add",
      id: "intrus@example.com",
      itemUid: null,
      version: null,
      ics: vcalendar(
        "UID:intrus@example.com",
        "DTSTAMP:20260101T000000Z",
        "DTSTART:20260105T090000Z",
        "DTEND:20260105T100000Z",
        "SUMMARY:Intrus",
      ),
    })) as { error: string };
    assert.equal(answer.error, "refused");
    assert.notEqual(service.activity.of(C.bob.uid).error, null);
  });
});
