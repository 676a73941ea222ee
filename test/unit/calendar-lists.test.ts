import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { buildCalendarLists, calendarsForThunderbird, type CalendarListsInput } from "../../src/sync/calendar-lists";

const input = JSON.parse(readFileSync(new URL("../fixtures/lists/preferences-input.json", import.meta.url), "utf8")) as CalendarListsInput;

describe("BlueMind preference lists (Mes calendriers / Autres calendriers)", () => {
  const lists = buildCalendarLists(input);

  it("lists every owned calendar, subscribed or not, default first then by name", () => {
    assert.deepEqual(
      lists.mine.map((e) => e.name),
      ["Me", "anniversaires", "Brouillons", "Zoé perso"],
    );
    assert.equal(lists.mine.find((e) => e.uid === "unsub-uid")?.subscribed, false);
    assert.equal(lists.mine[0]?.defaultContainer, true);
  });

  it("puts other owners' subscribed calendars (users and domain calendars) and managed ones in Autres, by name, without duplicates", () => {
    assert.deepEqual(
      lists.others.map((e) => e.uid),
      ["sub-managed-uid", "calendar:Default:user-bob", "fb-uid", "team-uid", "rooms-uid"],
    );
    assert.deepEqual(
      lists.others.map((e) => e.name),
      ["Astreintes", "Bob", "Carol", "Équipe", "Salles"],
    );
  });

  it("shows a managed calendar the user has not subscribed to, unsubscribed and switched off", () => {
    const team = lists.others.find((e) => e.uid === "team-uid");
    assert.ok(team);
    assert.equal(team.subscribed, false);
    assert.equal(team.offlineSync, false);
    assert.equal(team.managed, true);
    assert.equal(team.readOnly, false);
  });

  it("takes name, owner, colour, rights and Synchronisation from the descriptors", () => {
    const bob = lists.others.find((e) => e.uid === "calendar:Default:user-bob");
    assert.deepEqual(
      bob && { owner: bob.ownerDisplayName, color: bob.color, readOnly: bob.readOnly, offlineSync: bob.offlineSync, canRead: bob.canRead },
      { owner: "Bob Durand", color: "#F5A623", readOnly: true, offlineSync: true, canRead: true },
    );
    const unset = lists.mine.find((e) => e.uid === "aa-uid");
    assert.equal(unset?.color, null);
  });

  it("gives Thunderbird the subscribed, readable calendars only", () => {
    assert.deepEqual(
      calendarsForThunderbird(lists)
        .map((e) => e.uid)
        .sort(),
      ["aa-uid", "calendar:Default:user-bob", "calendar:Default:user-me", "rooms-uid", "sub-managed-uid", "zz-uid"],
    );
  });

  it("treats a read-only container as read-only even with Write", () => {
    const first = input.subscribedOthers[0];
    assert.ok(first);
    const readOnlyWrite = buildCalendarLists({
      ...input,
      subscribedOthers: [{ ...first, verbs: ["Write"], readOnly: true }],
    });
    assert.equal(readOnlyWrite.others.find((e) => e.uid === first.uid)?.readOnly, true);
  });
});
