// Seeded data the benches share (bench/run.mjs, bench/predict.mjs): the same points in every bench.

/** A seeded uniform generator in [0, 1) (mulberry32) and a standard normal from it. */
export function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function normal(rand) {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Two overlapping Gaussian blobs on unstandardised scales: class 0 around (0, 2), class 1 around
 * (2, 5), spreads 1.5 and 3 (Bayes error ≈ 0.2), so the fit has something to standardise. */
export function makeBlobs(n, seed = 2) {
  const rand = uniform(seed);
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = rand() < 0.5 ? 0 : 1;
    x[2 * i] = 2 * c + 1.5 * normal(rand);
    x[2 * i + 1] = 2 + 3 * c + 3 * normal(rand);
    y[i] = c;
  }
  return { x, y, d: 2 };
}
