/**
 * The one seeded random generator of the project (the reference server's bulk demo data, the
 * bench's 10,000 events, the converter's property tests, the end-to-end offline property
 * test). mulberry32: 32-bit state, reproducible from a seed, good enough to pick realistic
 * values; a failing property run is replayed from the seed it prints.
 */

/** Uniform numbers in [0, 1) from a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The usual picks over mulberry32. */
export class SeededRandom {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    const value = list[Math.floor(this.next() * list.length)];
    if (value === undefined) throw new Error("pick from an empty list");
    return value;
  }

  maybe<T>(make: () => T, p = 0.5): T | null {
    return this.bool(p) ? make() : null;
  }

  /** One to `max` distinct elements of `list`. */
  some<T>(list: readonly T[], max: number): T[] {
    const pool = [...list];
    const out: T[] = [];
    const n = this.int(1, Math.min(max, pool.length));
    while (out.length < n) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }

  /** A value drawn with the given weights. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }
}
