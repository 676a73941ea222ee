/**
 * Unit tests of the reference server's building blocks that the HTTP tests exercise only
 * indirectly: ChangelogUtils semantics, DST-aware wall-clock conversion, verb implication.
 */
import { strict as assert } from "node:assert";
import { expandVerbs, verbCan } from "../../server/acl";
import { computeChangeset, type ChangeLogEntry, type ChangeType } from "../../server/changelog";
import { wallToUtc, utcToWall, type WallClock } from "../../server/tz";

function log(...changes: [string, ChangeType][]): ChangeLogEntry[] {
  return changes.map(([itemUid, type], i) => ({ itemUid, type, version: i + 1, internalId: 0, date: 0, author: "a", origin: "o" }));
}

describe("reference server: building blocks", () => {
  it("computeChangeset follows ChangelogUtils", () => {
    const l = log(
      ["a", "Created"],
      ["b", "Created"],
      ["a", "Updated"],
      ["c", "Created"],
      ["c", "Deleted"],
      ["b", "Deleted"],
      ["c", "Created"],
    );
    assert.deepEqual(
      computeChangeset(l, 0, (e) => e.itemUid),
      { created: ["a", "c"], updated: [], deleted: [], version: 7 },
    );
    assert.deepEqual(
      computeChangeset(l, 2, (e) => e.itemUid),
      { created: ["c"], updated: ["a"], deleted: ["b"], version: 7 },
    );
    assert.deepEqual(
      computeChangeset(l, 3, (e) => e.itemUid),
      { created: ["c"], updated: [], deleted: ["b"], version: 7 },
    );
    assert.deepEqual(
      computeChangeset(l, 7, (e) => e.itemUid),
      { created: [], updated: [], deleted: [], version: 7 },
    );
    assert.deepEqual(computeChangeset(l, 99, (e) => e.itemUid).version, 99);
  });

  it("converts Paris wall clock across DST, including the spring-forward gap and fall-back overlap", () => {
    const wall = (month: number, day: number, hour: number): WallClock => ({ year: 2025, month, day, hour, minute: 30, second: 0 });
    const cases: [WallClock, number, string][] = [
      [wall(3, 29, 9), Date.UTC(2025, 2, 29, 8, 30), "before the switch (CET)"],
      [wall(3, 31, 9), Date.UTC(2025, 2, 31, 7, 30), "after the switch (CEST)"],
      // 02:30 does not exist on 30 March: read with the offset before the gap (= 03:30 CEST).
      [wall(3, 30, 2), Date.UTC(2025, 2, 30, 1, 30), "in the spring-forward gap"],
      // 02:30 happens twice on 26 October: the first one (CEST).
      [wall(10, 26, 2), Date.UTC(2025, 9, 26, 0, 30), "in the fall-back overlap"],
    ];
    for (const [at, utc, when] of cases) assert.equal(wallToUtc("Europe/Paris", at), utc, when);
    assert.deepEqual(utcToWall("America/New_York", Date.UTC(2025, 2, 27, 14, 0)), {
      year: 2025,
      month: 3,
      day: 27,
      hour: 10,
      minute: 0,
      second: 0,
    });
  });

  it("implements the HEAD verb implication table", () => {
    assert.ok(verbCan("All", "ReadExtended") && verbCan("All", "Invitation") && verbCan("All", "SendOnBehalf"));
    assert.ok(verbCan("Write", "Read") && verbCan("Read", "Freebusy") && verbCan("Freebusy", "Invitation"));
    assert.ok(verbCan("SendAs", "SendOnBehalf") && verbCan("ReadExtended", "Read"));
    assert.ok(!verbCan("Write", "ReadExtended") && !verbCan("Manage", "Read") && !verbCan("Write", "SendOnBehalf"));
    assert.deepEqual(expandVerbs(["Write"]), ["Invitation", "Freebusy", "Read", "Write"]);
  });
});
