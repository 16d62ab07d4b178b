// Shared by the benchmark scripts: the run over each size, percentiles and durations as the
// tables print them.

import { launchBrowser, serveRoots } from "../e2e/harness.mjs";

/** Serves `roots`, launches Chromium with `browserArgs`, and returns `measure(browser, server,
 * tickets)` for each of `sizes` in order; the browser and server are closed whatever happens. */
export async function measureEachSize({ roots, browserArgs, what, sizes, measure }) {
  const server = await serveRoots(roots);
  const browser = await launchBrowser(browserArgs);
  const rows = [];
  try {
    for (const tickets of sizes) {
      console.log(`${what}: measuring ${tickets} tickets …`);
      rows.push(await measure(browser, server, tickets));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return rows;
}

/** The `p` percentile (0–1) of `values`, nearest rank. */
export const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p + 0.5))];
};

export const median = (values) => pct(values, 0.5);

/** A duration in the unit that reads best: s, ms (one decimal below 10) or µs. */
export const fmtMs = (ms) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`;
