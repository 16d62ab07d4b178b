// Automation benchmark: the rules engine in headless Chromium over N generated tickets with an
// SLA policy in business hours and ten rules (four time-based). Run by `cargo xtask bench`.
//
// - first sweep: the background job's first run, catching up on everything already due (SLA
//                warnings and breaches, long-pending and stale tickets) — once after a long time
//                offline, not every 30 seconds — in steps of at most 1,500 tickets, as the app
//                runs it (the longest step is what the page waits for at most).
// - idle sweep:  the runs after it, every 30 seconds, which find nothing new: the steady cost the
//                leader tab pays.
// - change:      one command through the event rules (a priority change that sets off a
//                least-loaded assignment).
// - SLA alerts:  the notification check for one agent's tickets.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "../e2e/harness.mjs";
import { fmtMs, measureEachSize, median, pct } from "./stats.mjs";

const sizes = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dist = process.env.BENCH_DIST ?? join(repoRoot, "target/bench/dist");
const REPEAT = 20;


async function measure(browser, server, tickets) {
  const results = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(server.url + "/bench/index.html");
    await page.waitForFunction(() => window.wasmBindings && document.getElementById("state")?.textContent === "ready");
    await page.evaluate((n) => window.wasmBindings.generate(n, 42), tickets);
    results.push(JSON.parse(await page.evaluate((repeat) => window.wasmBindings.rules_bench(repeat), REPEAT)));
    await context.close();
  }
  return results;
}

const rows = await measureEachSize({ roots: { "/bench/": dist }, browserArgs: [], what: "rules", sizes, measure });

const lines = [
  `Rules benchmark, headless Chromium, median of ${runs} runs × ${REPEAT} repetitions (${new Date().toISOString().slice(0, 10)}).`,
  "",
  "| tickets | first sweep (ops, steps) | its longest step | idle sweep p50 / p95 | change through rules p50 / p95 | SLA alerts of one agent |",
  "|---:|---:|---:|---:|---:|---:|",
];
for (const results of rows) {
  const first = median(results.map((r) => r.first_sweep_ms));
  const ops = median(results.map((r) => r.first_sweep_ops));
  const steps = median(results.map((r) => r.first_sweep_steps));
  const longest = median(results.map((r) => r.first_sweep_longest_step_ms));
  const idle = results.flatMap((r) => r.idle_sweep.map(([ms]) => ms));
  const idleOps = Math.max(...results.flatMap((r) => r.idle_sweep.map(([, n]) => n)));
  const change = results.flatMap((r) => r.change.map(([ms]) => ms));
  const alerts = median(results.map((r) => r.sla_alerts_ms));
  // performance.now() here ticks in 0.1 ms steps: a figure of 0 is below one tick, not free.
  const timed = (ms) => (ms < 0.1 ? "< 0.1 ms" : fmtMs(ms));
  lines.push(
    `| ${results[0].tickets.toLocaleString("en")} | ${fmtMs(first)} (${ops.toLocaleString("en")}, ${steps}) | ${fmtMs(longest)} | ${timed(median(idle))} / ${timed(pct(idle, 0.95))}${idleOps ? ` (${idleOps} ops)` : ""} | ${timed(median(change))} / ${timed(pct(change, 0.95))} | ${fmtMs(alerts)} |`,
  );
}
const table = lines.join("\n");
console.log("\n" + table);
await mkdir(join(repoRoot, "target/bench"), { recursive: true });
await writeFile(join(repoRoot, "target/bench/rules.md"), table + "\n");
