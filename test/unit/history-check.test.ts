/**
 * The decision "full reconciliation needed, and why" (src/sync/history-check.ts), and the
 * sparing reader of the mailboxCopyGuid it compares (src/sync/mailbox-watch.ts).
 */
import { strict as assert } from "node:assert";
import { checkHistory, describeReasons, HISTORY_TRUST_MS } from "../../src/sync/history-check";
import { MAILBOX_CHECK_MS, MailboxWatch } from "../../src/sync/mailbox-watch";

const NOW = Date.UTC(2026, 5, 1, 9, 0);
const DAY = 86_400_000;
const GUID = "7d7a2a4e-0d1c-4b6e-9a0e-3f8f2b1c5d10";
const synced = { version: 120, syncedAt: NOW - DAY, mailboxCopyGuid: GUID };

describe("history check: when BlueMind's change log cannot be trusted", () => {
  it("a first sync is a first sync, whatever else is known", () => {
    assert.deepEqual(checkHistory({ version: null }, { version: 5, now: NOW, mailboxCopyGuid: GUID }), { kind: "firstSync" });
  });

  it("trusts the log after a recent sync, same mailbox, version not lower", () => {
    assert.deepEqual(checkHistory(synced, { version: 120, now: NOW, mailboxCopyGuid: GUID }), { kind: "incremental" });
    assert.deepEqual(checkHistory(synced, { version: 135, now: NOW, mailboxCopyGuid: GUID }), { kind: "incremental" });
  });

  it("a version below the stored one: the server was restored from a backup; everything is compared", () => {
    assert.deepEqual(checkHistory(synced, { version: 119, now: NOW, mailboxCopyGuid: GUID }), {
      kind: "reconcile",
      depth: "everything",
      reasons: ["serverRestored"],
    });
  });

  it("a last complete sync older than the trusted period: deletions may have been purged; the live uids tell", () => {
    const old = { ...synced, syncedAt: NOW - HISTORY_TRUST_MS - 1 };
    assert.deepEqual(checkHistory(old, { version: 130, now: NOW, mailboxCopyGuid: GUID }), {
      kind: "reconcile",
      depth: "deletions",
      reasons: ["historyPurged"],
    });
    assert.equal(checkHistory({ ...synced, syncedAt: NOW - HISTORY_TRUST_MS }, { version: 130, now: NOW }).kind, "incremental");
    assert.ok(HISTORY_TRUST_MS < 60 * DAY, "well inside BlueMind's 60-day retention");
  });

  it("an unknown time (a cache from before it was kept) or one days in the future proves nothing", () => {
    for (const syncedAt of [null, undefined, NOW + 2 * DAY]) {
      const verdict = checkHistory({ ...synced, syncedAt }, { version: 120, now: NOW, mailboxCopyGuid: GUID });
      assert.deepEqual(verdict, { kind: "reconcile", depth: "deletions", reasons: ["historyPurged"] }, String(syncedAt));
    }
    assert.equal(
      checkHistory({ ...synced, syncedAt: NOW + 3_600_000 }, { version: 120, now: NOW }).kind,
      "incremental",
      "an hour of clock difference is nothing",
    );
  });

  it("a new mailboxCopyGuid: the mailbox was moved or restored; everything is compared", () => {
    const verdict = checkHistory(synced, { version: 120, now: NOW, mailboxCopyGuid: "0f6c1b9e-5d2a-4f3b-8c7d-1e2f3a4b5c6d" });
    assert.deepEqual(verdict, { kind: "reconcile", depth: "everything", reasons: ["mailboxMoved"] });
    assert.equal(
      checkHistory({ ...synced, mailboxCopyGuid: null }, { version: 120, now: NOW, mailboxCopyGuid: GUID }).kind,
      "reconcile",
      "none before, one now",
    );
    assert.equal(checkHistory({ ...synced, mailboxCopyGuid: null }, { version: 120, now: NOW, mailboxCopyGuid: null }).kind, "incremental");
  });

  it("an unknown guid on either side is no signal (not read now, or a cache from before it was kept)", () => {
    assert.equal(checkHistory(synced, { version: 120, now: NOW }).kind, "incremental");
    assert.equal(
      checkHistory({ version: 120, syncedAt: NOW - DAY }, { version: 120, now: NOW, mailboxCopyGuid: GUID }).kind,
      "incremental",
    );
  });

  it("gives every reason that holds, and says them in words", () => {
    const verdict = checkHistory(
      { version: 120, syncedAt: NOW - 90 * DAY, mailboxCopyGuid: GUID },
      { version: 40, now: NOW, mailboxCopyGuid: null },
    );
    assert.deepEqual(verdict, { kind: "reconcile", depth: "everything", reasons: ["serverRestored", "mailboxMoved", "historyPurged"] });
    assert.match(describeReasons(["serverRestored", "historyPurged"]), /backup.*60 days/);
  });
});

describe("mailbox watch: the guid is read sparingly", () => {
  it("one read serves every calendar for the check period; concurrent syncs share it; expire() reads again", async () => {
    let now = NOW;
    let reads = 0;
    let answer: string | null = GUID;
    const watch = new MailboxWatch(
      async () => {
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return answer;
      },
      () => now,
    );
    assert.deepEqual(await Promise.all([watch.current(), watch.current(), watch.current()]), [GUID, GUID, GUID]);
    assert.equal(reads, 1);
    answer = null;
    now += MAILBOX_CHECK_MS - 1;
    assert.equal(await watch.current(), GUID);
    assert.equal(reads, 1);
    now += 1;
    assert.equal(await watch.current(), null);
    assert.equal(reads, 2);
    watch.expire();
    answer = "new";
    assert.equal(await watch.current(), "new");
    assert.equal(reads, 3);
  });

  it("a failed read is not remembered", async () => {
    let fail = true;
    const watch = new MailboxWatch(async () => {
      if (fail) throw new Error("unreachable");
      return GUID;
    });
    await assert.rejects(watch.current(), /unreachable/);
    fail = false;
    assert.equal(await watch.current(), GUID);
  });
});
