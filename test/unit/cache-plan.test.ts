/**
 * The cache's rules (src/sync/cache-plan.ts), which the experiment's writeBlock carries out and
 * the unit fakes of the cache apply: every rule, and the interleavings the end-to-end suite
 * found (a block read before an offline edit, Thunderbird going offline mid-sync).
 */

import { strict as assert } from "node:assert";
import {
  indexAfter,
  indexFromMeta,
  metaRow,
  planBlock,
  versionStep,
  type BlockInput,
  type BlockPlan,
  type StoredItem,
} from "../../src/sync/cache-plan";
import { splitIcs } from "../../src/sync/ics-blocks";

function stored(entries: [id: string, item: StoredItem][], full = true): BlockInput["stored"] {
  return { byId: new Map(entries), idByItemUid: full ? new Map(entries.map(([id, s]) => [s.itemUid, id])) : new Map() };
}

/** Stored copies of `ids` (each item uid: its id in capitals), all at `version`. */
function storedAt(version: number, ...ids: string[]): BlockInput["stored"] {
  return stored(ids.map((id) => [id, { itemUid: id.toUpperCase(), version }]));
}

function plan(partial: Partial<BlockInput>): BlockPlan {
  return planBlock({ items: [], stored: stored([]), flagged: new Set(), online: true, ...partial });
}

const ids = (p: BlockPlan): string[] => p.writes.map((w) => `${w.op}:${w.id}:${w.reason}`);
const removed = (p: BlockPlan): string[] => p.removals.map((r) => `${r.id}:${r.reason}`);
const kept = (p: BlockPlan): string[] => p.kept.map((k) => `${k.id}:${k.reason}`);

describe("cache plan: the rules of a block", () => {
  it("adds new items, replaces older or equal versions, with our metadata row", () => {
    const p = plan({
      items: [
        { id: "a", itemUid: "A", version: 3 },
        { id: "b", itemUid: "B", version: 5 },
        { id: "c", itemUid: "C", version: 2 },
      ],
      stored: stored([
        ["b", { itemUid: "B", version: 4 }],
        ["c", { itemUid: "C", version: 2 }],
      ]),
    });
    assert.deepEqual(ids(p), ["add:a:new", "replace:b:newer", "replace:c:same-version"]);
    assert.equal(p.writes[0]!.meta, '{"u":"A","v":3}');
    assert.deepEqual(p.removals, []);
  });

  it("never stores an older version than the one stored (an edit saved meanwhile)", () => {
    const p = plan({ items: [{ id: "a", itemUid: "A", version: 3 }], stored: stored([["a", { itemUid: "A", version: 7 }]]) });
    assert.deepEqual(ids(p), []);
    assert.deepEqual(kept(p), ["a:stored-newer"]);
  });

  it("skips and never deletes items holding an offline edit", () => {
    const p = plan({
      items: [{ id: "a", itemUid: "A", version: 9 }],
      stored: storedAt(1, "a", "d", "k"),
      flagged: new Set(["a", "d", "k"]),
      deletes: ["D"],
      keepOnly: ["A", "D"],
    });
    assert.deepEqual(ids(p), []);
    assert.deepEqual(removed(p), []);
    assert.deepEqual(kept(p).sort(), ["a:offline-edit", "d:offline-edit", "k:offline-edit"]);
  });

  it("a block read before an offline edit: the edit made meanwhile wins", () => {
    // Read from BlueMind while online; the user then edits "a" offline before the block is stored.
    const input: BlockInput = {
      items: [{ id: "a", itemUid: "A", version: 2 }],
      stored: stored([["a", { itemUid: "A", version: 1 }]]),
      flagged: new Set(),
      online: true,
    };
    assert.deepEqual(ids(planBlock(input)), ["replace:a:newer"]);
    const afterEdit = planBlock({ ...input, flagged: new Set(["a"]) });
    assert.deepEqual(ids(afterEdit), []);
    assert.deepEqual(kept(afterEdit), ["a:offline-edit"]);
  });

  it("offline: writes nothing and stores no version", () => {
    const p = plan({ items: [{ id: "a", itemUid: "A", version: 1 }], deletes: ["B"], version: 12, online: false });
    assert.equal(p.stop, "offline");
    assert.deepEqual([p.writes, p.removals, p.version], [[], [], null]);
    assert.equal(versionStep(p, false), "offline");
  });

  it("going offline mid-sync: blocks stored before stand, the next stops, the version is never written", () => {
    const first = plan({ items: [{ id: "a", itemUid: "A", version: 1 }] });
    assert.deepEqual(ids(first), ["add:a:new"]);
    assert.deepEqual(versionStep(first, true), []);
    const last = plan({ items: [{ id: "b", itemUid: "B", version: 1 }], version: 5, online: false });
    assert.equal(last.stop, "offline");
    // Offline while the last block was being stored: its writes stand, not the version.
    const lastOnline = plan({ items: [{ id: "b", itemUid: "B", version: 1 }], version: 5 });
    assert.equal(versionStep(lastOnline, false), "offline");
    assert.deepEqual(versionStep(lastOnline, true), [["bluemind:version", "5"]]);
  });

  it("de-duplicates: one write per id, the last copy in the block", () => {
    const p = plan({
      items: [
        { id: "a", itemUid: "A", version: 1 },
        { id: "a", itemUid: "A", version: 2 },
      ],
    });
    assert.deepEqual(ids(p), ["add:a:new"]);
    assert.equal(p.writes[0]!.version, 2);
    assert.deepEqual(kept(p), ["a:duplicate"]);
  });

  it("no id is both written and removed: a deletion in the same block wins over the write", () => {
    const p = plan({
      items: [{ id: "a", itemUid: "A", version: 2 }],
      stored: stored([["a", { itemUid: "A", version: 1 }]]),
      deletes: ["A"],
    });
    assert.deepEqual(ids(p), []);
    assert.deepEqual(removed(p), ["a:deleted"]);
    assert.deepEqual(kept(p), ["a:deleted-in-block"]);
  });

  it("an item without BlueMind metadata is left alone", () => {
    assert.deepEqual(kept(plan({ items: [{ id: "x" }] })), ["x:no-meta"]);
  });

  it("a moved iCalendar UID: the new id is written and the old one removed (unless it holds an offline edit)", () => {
    const before = stored([["old", { itemUid: "A", version: 1 }]]);
    const p = plan({ items: [{ id: "new", itemUid: "A", version: 2 }], stored: before });
    assert.deepEqual(ids(p), ["add:new:new"]);
    assert.deepEqual(removed(p), ["old:uid-moved"]);
    const flagged = plan({ items: [{ id: "new", itemUid: "A", version: 2 }], stored: before, flagged: new Set(["old"]) });
    assert.deepEqual(removed(flagged), []);
  });

  it("deletes by BlueMind item uid, and everything keepOnly does not list (items written in the block stay)", () => {
    const p = plan({
      items: [{ id: "n", itemUid: "N", version: 1 }],
      stored: storedAt(1, "a", "b", "c"),
      deletes: ["A", "Z"],
      keepOnly: ["C"],
    });
    assert.deepEqual(ids(p), ["add:n:new"]);
    assert.deepEqual(removed(p).sort(), ["a:deleted", "b:not-kept"]);
  });

  it("a reconciliation replaces or deletes only what still stores the version it read, whichever is higher", () => {
    const before = stored([
      ["a", { itemUid: "A", version: 9 }],
      ["b", { itemUid: "B", version: 4 }],
      ["c", { itemUid: "C", version: 4 }],
      ["r", { itemUid: "R", version: 6, replayed: true }],
    ]);
    const p = plan({
      items: [
        { id: "a", itemUid: "A", version: 3 },
        { id: "b", itemUid: "B", version: 2 },
        { id: "r", itemUid: "R", version: 6 },
      ],
      stored: before,
      // A and R as read; B changed since (5 read, 4 stored); C deleted as read.
      expect: { A: 9, B: 5, C: 4, R: -1 },
      deletes: ["C"],
    });
    assert.deepEqual(ids(p), ["replace:a:reconciled", "replace:r:reconciled"]);
    assert.deepEqual(kept(p), ["b:changed-since-read"]);
    assert.deepEqual(removed(p), ["c:deleted"]);
    const edited = plan({ stored: before, expect: { C: 3 }, deletes: ["C"] });
    assert.deepEqual(removed(edited), []);
    assert.deepEqual(kept(edited), ["c:changed-since-read"]);
  });

  it("a small block reads only its own ids: versions still hold, moved UIDs are not looked for", () => {
    const p = plan({ items: [{ id: "a", itemUid: "A", version: 1 }], stored: stored([["a", { itemUid: "A", version: 2 }]], false) });
    assert.deepEqual(kept(p), ["a:stored-newer"]);
  });

  it("the version goes last with the sync's time and mailboxCopyGuid", () => {
    const p = plan({ version: 42, syncedAt: 1000, mailboxCopyGuid: "g" });
    assert.deepEqual(versionStep(p, true), [
      ["bluemind:version", "42"],
      ["bluemind:syncedAt", "1000"],
      ["bluemind:mailboxCopyGuid", '"g"'],
    ]);
    assert.deepEqual(versionStep(plan({ version: 1, mailboxCopyGuid: null }), true), [
      ["bluemind:version", "1"],
      ["bluemind:mailboxCopyGuid", "null"],
    ]);
  });

  it("reads our metadata rows, replayed copies included, and skips others' rows", () => {
    const index = indexFromMeta(["a", "b", "bluemind:version", "x"], [metaRow("A", 3), metaRow("B", 4, true), "7", "not json"]);
    assert.deepEqual(
      [...index.byId],
      [
        ["a", { itemUid: "A", version: 3 }],
        ["b", { itemUid: "B", version: 4, replayed: true }],
      ],
    );
    assert.deepEqual(
      [...index.idByItemUid],
      [
        ["A", "a"],
        ["B", "b"],
      ],
    );
  });
});

describe("indexAfter: the index a sync's next block plans against", () => {
  /** A small seeded generator (mulberry32), so a failure repeats. */
  function random(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Our metadata rows as the cache stores them, changed by a plan as writeBlock carries it out. */
  function carryOut(rows: Map<string, string>, p: BlockPlan): void {
    for (const removal of p.removals) rows.delete(removal.id);
    for (const write of p.writes) rows.set(write.id, write.meta);
  }

  const readBack = (rows: Map<string, string>) => indexFromMeta([...rows.keys()], [...rows.values()]);

  it("equals reading every metadata row again, over 300 seeded syncs of ten blocks", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
      const rows = new Map<string, string>();
      // What the cache held before the sync: some copies replayed, some rows not ours.
      for (let i = 0; i < 20; i++) rows.set(`id${i}`, metaRow(`U${i}`, 1 + Math.floor(next() * 5), next() < 0.1));
      rows.set("bluemind:version", "3");
      rows.set("foreign", "not json");
      let index = readBack(rows);
      for (let block = 0; block < 10; block++) {
        const items = Array.from({ length: 1 + Math.floor(next() * 8) }, () => {
          const n = Math.floor(next() * 30);
          // A moved iCalendar UID now and then: the same BlueMind item under a new id.
          const id = next() < 0.1 ? `moved${n}-${block}` : `id${n}`;
          return { id, itemUid: `U${n}`, version: 1 + Math.floor(next() * 6) };
        });
        const flagged = new Set(Array.from({ length: Math.floor(next() * 3) }, () => `id${Math.floor(next() * 30)}`));
        const last = block === 9;
        const p = planBlock({
          items,
          stored: index,
          flagged,
          online: true,
          deletes: next() < 0.3 ? [pick(items).itemUid, `U${Math.floor(next() * 30)}`] : null,
          keepOnly: last && next() < 0.5 ? Array.from({ length: 15 }, (_, i) => `U${i * 2}`) : null,
          version: last ? 9 : null,
        });
        carryOut(rows, p);
        index = indexAfter(index, p);
        const fresh = readBack(rows);
        assert.deepEqual([...index.byId].sort(), [...fresh.byId].sort(), `seed ${seed}, block ${block}: versions by id`);
        // Two ids of one item uid (an old one kept for its offline edit): either may answer.
        for (const [itemUid, id] of fresh.idByItemUid) {
          const holders = [...fresh.byId].filter(([, s]) => s.itemUid === itemUid).map(([i]) => i);
          assert.ok(
            holders.includes(index.idByItemUid.get(itemUid)!),
            `seed ${seed}, block ${block}: ${itemUid} -> ${id}, ours ${index.idByItemUid.get(itemUid)}`,
          );
        }
        assert.equal(index.idByItemUid.size, fresh.idByItemUid.size, `seed ${seed}, block ${block}: item uids`);
      }
    }
  });

  it("leaves the index it was given as it was", () => {
    const before = storedAt(1, "a", "b");
    const p = plan({ items: [{ id: "c", itemUid: "C", version: 2 }], deletes: ["A"], stored: before });
    const after = indexAfter(before, p);
    assert.deepEqual([...before.byId.keys()], ["a", "b"]);
    assert.deepEqual([...after.byId.keys()].sort(), ["b", "c"]);
    assert.equal(after.idByItemUid.get("C"), "c");
    assert.equal(after.idByItemUid.has("A"), false);
  });
});

describe("splitIcs: a block parsed in pieces", () => {
  const zone = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nEND:VTIMEZONE\r\n";
  const event = (uid: string, extra = ""): string => `BEGIN:VEVENT\r\nUID:${uid}\r\n${extra}BEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT\r\n`;
  const ics = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${zone}${event("1")}${event("2")}${event("2", "RECURRENCE-ID:20260101T100000Z\r\n")}${event("3")}END:VCALENDAR\r\n`;

  it("keeps every zone in each piece and an item's exceptions with it", () => {
    const pieces = splitIcs(ics, 2);
    assert.equal(pieces.length, 2);
    for (const piece of pieces) {
      assert.ok(piece.startsWith(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${zone}`));
      assert.ok(piece.endsWith("END:VCALENDAR\r\n"));
    }
    assert.equal(pieces[0]!.match(/UID:2/g)?.length, 2);
    assert.match(pieces[1]!, /UID:3/);
    assert.equal(pieces.join("").match(/BEGIN:VEVENT/g)?.length, 4);
  });

  it("returns a small or unreadable calendar as it is", () => {
    assert.deepEqual(splitIcs(ics, 3), [ics]);
    assert.deepEqual(splitIcs("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 1), ["BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"]);
  });

  describe("leaving out the zones the parser resolves by itself", () => {
    const windowsZone = "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nEND:VTIMEZONE\r\n";
    const twoZones = ics.replace(zone, zone + windowsZone);
    const ownZone = (tzid: string): boolean => tzid === "Europe/Paris";

    it("drops them from every piece, keeps the others", () => {
      const pieces = splitIcs(twoZones, 2, ownZone);
      assert.equal(pieces.length, 2);
      for (const piece of pieces) {
        assert.ok(piece.startsWith(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${windowsZone}BEGIN:VEVENT`));
        assert.doesNotMatch(piece, /Europe\/Paris/);
      }
      assert.equal(pieces.join("").match(/BEGIN:VEVENT/g)?.length, 4);
    });

    it("rebuilds a small calendar without them, and returns it as it is when none is dropped", () => {
      const [whole, ...more] = splitIcs(twoZones, Infinity, ownZone);
      assert.deepEqual(more, []);
      assert.equal(whole, twoZones.replace(zone, ""));
      assert.deepEqual(
        splitIcs(twoZones, Infinity, () => false),
        [twoZones],
      );
    });
  });
});
