// Storage benchmark: bulk import into IndexedDB and cold start, ours next to Dexie in the same
// page of headless Chromium. Run by `cargo xtask bench` (which builds the page first).
//
// For N generated tickets (mixed Japanese and English, helpdesk_core::sample):
// - ours:            the file-import path: op logs in batches of 5,000 ops per transaction, then
//                    one snapshot flush (Desk::receive_bulk + flush_snapshots).
// - Dexie, tickets:  db.tickets.bulkPut of one plain object per ticket with its conversation (how
//                    a JavaScript helpdesk would store the same tickets).
// - Dexie, records:  db.oplogs.bulkPut of exactly our op-log records ({key, log: Uint8Array}).
// - cold start:      opening the database as the app does at start-up (snapshots only), in a fresh page.
// Preparing the data (generation, JSON.parse) is not timed for anyone.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "../e2e/harness.mjs";
import { measureEachSize } from "./stats.mjs";

const sizes = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dist = process.env.BENCH_DIST ?? join(repoRoot, "target/bench/dist");
const dexieScript = join(repoRoot, "tests/node_modules/dexie/dist/dexie.min.js");

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

async function benchPage(context, server) {
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(server.url + "/bench/index.html");
  await page.waitForFunction(() => window.wasmBindings && document.getElementById("state")?.textContent === "ready");
  await page.addScriptTag({ path: dexieScript });
  return page;
}

async function measure(browser, server, tickets) {
  // One browser profile for the whole size: the cold starts open what the import stored.
  const context = await browser.newContext();
  const page = await benchPage(context, server);
  const ops = await page.evaluate((n) => window.wasmBindings.generate(n, 42), tickets);
  const result = { tickets, ops, ours: [], dexieTickets: [], dexieRecords: [], cold: [] };

  for (let run = 0; run < runs; run++) {
    result.ours.push(await page.evaluate(() => window.wasmBindings.import_ours("bench-ours")));
  }
  // Dexie gets its objects ready before the clock starts, like we get our ops ready.
  result.dexieTickets = await page.evaluate(async (runs) => {
    const tickets = JSON.parse(window.wasmBindings.tickets_json());
    const times = [];
    for (let run = 0; run < runs; run++) {
      await Dexie.delete("bench-dexie-tickets");
      const db = new Dexie("bench-dexie-tickets");
      db.version(1).stores({ tickets: "summary.id" });
      await db.open();
      const started = performance.now();
      await db.tickets.bulkPut(tickets);
      times.push(performance.now() - started);
      db.close();
    }
    return times;
  }, runs);
  result.dexieRecords = await page.evaluate(async (runs) => {
    const records = window.wasmBindings.op_log_records();
    const times = [];
    for (let run = 0; run < runs; run++) {
      await Dexie.delete("bench-dexie-records");
      const db = new Dexie("bench-dexie-records");
      db.version(1).stores({ oplogs: "key" });
      await db.open();
      const started = performance.now();
      await db.oplogs.bulkPut(records);
      times.push(performance.now() - started);
      db.close();
    }
    return times;
  }, runs);
  await page.close();

  for (let run = 0; run < runs; run++) {
    // A fresh page each time (a new wasm instance, nothing warm but the browser's disk cache).
    const fresh = await benchPage(context, server);
    const opened = await fresh.evaluate(() => window.wasmBindings.cold_open("bench-ours"));
    // The JS heap after the open (non-standard, Chromium only): with wasm memory, the page's total.
    const heap = await fresh.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    result.cold.push({ ...opened, heap });
    await fresh.close();
  }
  await context.close();
  return result;
}

const rows = await measureEachSize({ roots: { "/bench/": dist }, browserArgs: [], what: "storage", sizes, measure });

const lines = [
  `Storage benchmark, headless Chromium, median of ${runs} runs (${new Date().toISOString().slice(0, 10)}).`,
  "",
  "| tickets | ops | ours: import | Dexie bulkPut, tickets | ratio | Dexie bulkPut, same records | ratio | cold start | tickets open | wasm memory | JS heap |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
];
for (const row of rows) {
  const ours = median(row.ours);
  const dexieTickets = median(row.dexieTickets);
  const dexieRecords = median(row.dexieRecords);
  const cold = median(row.cold.map((c) => c.ms));
  const coldRow = row.cold.find((c) => c.ms === cold);
  lines.push(
    `| ${row.tickets.toLocaleString("en")} | ${row.ops.toLocaleString("en")} | ${fmt(ours)} | ${fmt(dexieTickets)} | ` +
      `${(dexieTickets / ours).toFixed(2)}× | ${fmt(dexieRecords)} | ${(dexieRecords / ours).toFixed(2)}× | ${fmt(cold)} | ` +
      `${coldRow.tickets.toLocaleString("en")} | ${(coldRow.wasm_bytes / 1048576).toFixed(0)} MB | ${(coldRow.heap / 1048576).toFixed(0)} MB |`,
  );
}
lines.push("", "Ratios are Dexie's time divided by ours: above 1× means we are faster.");
const table = lines.join("\n");
console.log("\n" + table + "\n");
await mkdir(join(repoRoot, "target/bench"), { recursive: true });
await writeFile(join(repoRoot, "target/bench/storage.md"), table + "\n");
