/**
 * A small seeded random source, so a workload is the same graph on every machine and in
 * every run: the three systems compared must be fed byte-for-byte the same data.
 */

/** sfc32 seeded through splitmix32: fast, 128-bit state, good enough for graph shapes. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** `k` distinct integers from [0, n), in no particular order (all of them when k >= n). */
  sample(n: number, k: number): number[] {
    if (k >= n) return Array.from({ length: n }, (_, i) => i);
    const picked = new Set<number>();
    while (picked.size < k) picked.add(this.int(n));
    return [...picked];
  }

  /** A Poisson-ish count around `mean`, at least `min`: the rounded mean plus a random 0/1 for its fraction. */
  countAround(mean: number, min: number): number {
    const whole = Math.floor(mean);
    return Math.max(min, whole + (this.float() < mean - whole ? 1 : 0));
  }
}
