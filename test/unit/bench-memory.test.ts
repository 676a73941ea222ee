/**
 * Why: the bench judges the memory target on the reading taken once Thunderbird's held memory
 * has stopped falling (tools/bench/memory.ts); this pins down what "stopped" means, so the
 * reading can neither stop on a still-falling curve nor wait for ever on a noisy flat one.
 */

import assert from "node:assert/strict";
import { stoppedFalling, type HeldReading } from "../../tools/bench/memory";

const every2s = (...held: number[]): HeldReading[] => held.map((heldMb, i) => ({ atMs: i * 2_000, heldMb }));

describe("bench memory: held memory has stopped falling", () => {
  it("is not stopped before the readings span the window", () => {
    assert.equal(stoppedFalling([], 10_000, 2), false);
    assert.equal(stoppedFalling(every2s(300, 300, 300, 300, 300), 10_000, 2), false); // 0..8 s
  });

  it("is stopped once the last reading is within the tolerance of the one a window earlier", () => {
    assert.equal(stoppedFalling(every2s(300, 300, 300, 300, 300, 299), 10_000, 2), true);
  });

  it("is not stopped while memory still falls by more than the tolerance over the window", () => {
    // The curve measured after a first sync: the parent's own collections and nursery shrinking.
    assert.equal(stoppedFalling(every2s(364, 352, 341, 335, 331, 325), 10_000, 2), false);
    assert.equal(stoppedFalling(every2s(364, 352, 341, 335, 331, 325, 324, 324, 323, 323, 323), 10_000, 2), true);
  });

  it("counts a rise as stopped: the reading kept is then the higher one, never a low outlier", () => {
    assert.equal(stoppedFalling(every2s(320, 320, 320, 320, 320, 331), 10_000, 2), true);
  });

  it("compares with the latest reading at least a window old, whatever the spacing", () => {
    const readings: HeldReading[] = [
      { atMs: 0, heldMb: 400 },
      { atMs: 9_000, heldMb: 330 },
      { atMs: 12_500, heldMb: 329 },
    ];
    // 12.5 s - 10 s = 2.5 s: the reading at 0 s is the one a window earlier (400 → 329: falling).
    assert.equal(stoppedFalling(readings, 10_000, 2), false);
    assert.equal(stoppedFalling([...readings, { atMs: 19_500, heldMb: 329 }], 10_000, 2), true);
  });
});
