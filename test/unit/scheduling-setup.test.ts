/**
 * Who sends each calendar's invitations, as the background tells Thunderbird: BlueMind for the
 * owners' default calendars, Thunderbird (as the user) elsewhere; meetings organised in the
 * calendar owner's name, whose address comes from BlueMind's directory once per owner.
 */

import { strict as assert } from "node:assert";
import { startServer, type RunningServer } from "../../server/app";
import { DEMO } from "../../server/demo-data";
import { createSchedulingSetup } from "../../src/background/scheduling-setup";
import type { SchedulingInfo } from "../../src/thunderbird/provider-contract";
import type { AccountView, CalendarRowView } from "../../src/background/protocol";
import { Directory } from "../../src/bluemind/directory";
import { calendarUri } from "../../src/sync/calendar-identity";
import { webSession } from "./support/servers";

const { alice, bob } = DEMO.users;
const C = DEMO.calendars;

function row(uid: string, ownerUid: string, ownerDisplayName: string, subscribed = true): CalendarRowView {
  return {
    uid,
    ownerUid,
    ownerDisplayName,
    subscribed,
    canRead: true,
    defaultContainer: uid.startsWith("calendar:Default:"),
  } as CalendarRowView;
}

describe("scheduling set-up: who sends, and as whom, per calendar", () => {
  let server: RunningServer;
  beforeEach(async () => {
    server = await startServer({ port: 0 });
  });
  afterEach(() => server.close());

  it("BlueMind sends for default calendars, Thunderbird elsewhere; the owner organises; one directory look-up per owner", async () => {
    const http = await webSession(server.url, alice.login, alice.password);
    const applied: SchedulingInfo[][] = [];
    const update = createSchedulingSetup({
      directory: async () => new Directory(http, DEMO.domainUid, alice.uid),
      apply: async (infos) => (applied.push(infos), infos.length),
    });
    const view = {
      signedIn: true,
      serverUrl: server.url,
      mine: [
        row(C.alice.uid, alice.uid, alice.displayName),
        row(C.projets.uid, alice.uid, alice.displayName),
        row(C.archives.uid, alice.uid, alice.displayName, false),
      ],
      others: [row(C.bob.uid, bob.uid, bob.displayName), row(C.equipeBob.uid, bob.uid, bob.displayName)],
    } as unknown as AccountView;
    const settled = async (count: number) => {
      const deadline = Date.now() + 5000;
      while (applied.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
    };
    update(view);
    update(view); // while the first runs: one more pass, which finds nothing new to tell
    await settled(1);
    const byUid = (uid: string) => applied[0]!.find((i) => i.uri === calendarUri(server.url, uid));
    assert.deepEqual(byUid(C.alice.uid), {
      uri: calendarUri(server.url, C.alice.uid),
      serverSends: true,
      ownerEmail: alice.email,
      ownerName: alice.displayName,
      userEmail: alice.email,
    });
    assert.equal(byUid(C.projets.uid)?.serverSends, false);
    assert.equal(byUid(C.archives.uid), undefined, "not subscribed: not in Thunderbird");
    assert.deepEqual(
      [byUid(C.bob.uid)?.serverSends, byUid(C.bob.uid)?.ownerEmail, byUid(C.bob.uid)?.userEmail],
      [true, bob.email, alice.email],
    );
    assert.deepEqual([byUid(C.equipeBob.uid)?.serverSends, byUid(C.equipeBob.uid)?.ownerEmail], [false, bob.email]);
    assert.equal(applied.length, 1, "the same calendars: nothing told again (sync progress changes the view often)");
    // Synchronisation switched: Thunderbird re-creates that calendar, without our properties.
    update({ ...view, mine: view.mine.map((r) => (r.uid === C.projets.uid ? { ...r, offlineSync: true } : r)) });
    await settled(2);
    assert.equal(applied.length, 2);
    assert.equal(server.requests.filter((r) => r.path.includes("/entry-uid/")).length, 2, "alice and bob, once each");
  });
});
