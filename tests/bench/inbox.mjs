// Inbox benchmark: the real app (release bundle) over a workspace of N generated tickets in its
// own IndexedDB, as an agent meets it. Run by `cargo xtask bench`.
//
// - cold start:   from navigation to the first inbox row on screen, in a fresh page (wasm download
//                 and compile from a local server, storage open, queue, render).
// - switch queue: click "All" until the list shows the new count.
// - sort:         click the Priority header until the rows are re-sorted (and every other
//                 column once, DOM settled, in a table of their own: while the search index
//                 builds, and again once it is built and the app has prepared the subject order).
// - open ticket:  click the first row, a second after the list settled, until its conversation
//                 is on screen (read ahead while the list was still); and straight after a sort
//                 changed the rows (read from storage).
// - back:         history.back() from that ticket until the inbox's first row is visible again.
// - JS heap:      Chromium's performance.memory after the cold start (wasm memory is in the storage table).
// - phases:       the cold start's parts, from the marks the app puts on the performance timeline
//                 (src/platform.rs, `marks`), as times since navigation.
// - search:       the index built in the background from storage (navigation to "ready"), the
//                 page's memory once it is built (wasm + JS heap), and keystroke to results: each
//                 keystroke of a few typed queries, from the input event until the box's results
//                 for that text are in the DOM (a MutationObserver, so no frame of polling).
// The bench page (/bench/) fills the app's database (same origin) with the storage benchmark's data.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "../e2e/harness.mjs";
import { measureEachSize } from "./stats.mjs";

const sizes = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const benchDist = process.env.BENCH_DIST ?? join(repoRoot, "target/bench/dist");
const appDist = process.env.BENCH_APP_DIST ?? join(repoRoot, "dist");

/** The prefix of the app's start-up marks (src/platform.rs, `marks`): the table shows each. */
const MARK_PREFIX = "helpdesk:";
const columns = ["number", "subject", "requester", "status", "assignee", "updated", "due"];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** "DOM settled / next frame" medians of timeClick results. */
const both = (times) => `${fmt(median(times.map((t) => t.dom)))} / ${fmt(median(times.map((t) => t.frame)))}`;
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

/** Pass as `selector` to timeClick to go back in history instead of clicking. */
const BACK = "history.back()";

/** Time in the page from a click on `selector` (or going back, for BACK) until `done()` holds and the DOM is settled (the
 * last change before the next frame, seen by a MutationObserver: the app's work, as for
 * keystrokes), and until that next frame starts (the browser paints the change in it). */
async function timeClick(page, selector, done) {
  return page.evaluate(
    async ({ selector, done }) => {
      const check = new Function(`return (${done})();`);
      const target = selector === "history.back()" ? null : document.querySelector(selector);
      let lastChange = 0;
      let observer;
      const started = performance.now();
      const shown = new Promise((resolve, reject) => {
        observer = new MutationObserver(() => {
          lastChange = performance.now();
          if (check()) resolve();
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
        setTimeout(() => reject(new Error(`timed out after clicking ${selector}`)), 20_000);
      });
      if (target) target.click();
      else history.back();
      await shown;
      const frameAt = await new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
      observer.disconnect();
      return { dom: lastChange - started, frame: frameAt - started };
    },
    { selector, done: typeof done === "string" ? done : done.toString() },
  );
}

/** Types each query one character at a time into the search box; returns every keystroke's time
 * from the input event until the results for that text are in the DOM. */
async function typeQueries(page, queries) {
  return page.evaluate(async (queries) => {
    const input = document.getElementById("search-input");
    input.focus();
    const times = [];
    for (const query of queries) {
      const chars = [...query];
      for (let n = 1; n <= chars.length; n++) {
        const text = chars.slice(0, n).join("");
        if (text.trim() === "" || text.endsWith(" ")) continue;
        const shown = () => document.querySelector(`#search-results [data-query="${CSS.escape(text)}"]`);
        const started = performance.now();
        const done = new Promise((resolve, reject) => {
          const observer = new MutationObserver(() => {
            if (shown()) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
          setTimeout(() => reject(new Error(`no results shown for ${JSON.stringify(text)}`)), 10_000);
        });
        input.value = text;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        times.push((await done) - started);
        // A person types a key every ~100 ms or more; let passages load as they would.
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    return times;
  }, queries);
}

async function measure(browser, server, tickets) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  const filler = await context.newPage();
  filler.on("pageerror", (e) => console.error("bench page error:", e.message));
  await filler.goto(server.url + "/bench/index.html");
  await filler.waitForFunction(() => window.wasmBindings && document.getElementById("state")?.textContent === "ready");
  await filler.evaluate((n) => window.wasmBindings.generate(n, 42), tickets);
  await filler.evaluate(() => window.wasmBindings.fill_app_database());
  await filler.close();

  const result = { tickets, phases: [], columns: {}, columnsIdle: {}, cold: [], queue: [], sort: [], open: [], back: [], openCold: [], heap: [], indexReady: [], memory: [], keys: [] };
  for (let run = 0; run < runs; run++) {
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error("app error:", e.message));
    await page.addInitScript(() => {
      addEventListener("TrunkApplicationStarted", (event) => (window.__wasm = event.detail.wasm));
      new MutationObserver((_, observer) => {
        if (document.querySelector("[data-row='0']")) {
          window.__firstRow = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
      new MutationObserver((_, observer) => {
        if (document.querySelector("[data-index='ready']")) {
          window.__indexReady = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-index"] });
    });
    await page.goto(server.url + "/");
    await page.waitForFunction(() => window.__firstRow, null, { timeout: 60_000 });
    result.cold.push(await page.evaluate(() => window.__firstRow));
    // The first of each name, in the order they were marked.
    result.phases.push(
      await page.evaluate((prefix) => {
        const first = {};
        for (const mark of performance.getEntriesByType("mark")) {
          if (mark.name.startsWith(prefix)) first[mark.name.slice(prefix.length)] ??= mark.startTime;
        }
        return first;
      }, MARK_PREFIX),
    );
    result.memoryAtFirstRow = await page.evaluate(() => ({ wasm: window.__wasm.memory.buffer.byteLength, heap: performance.memory?.usedJSHeapSize ?? 0 }));
    console.log("memory at first row", JSON.stringify(result.memoryAtFirstRow));
    result.heap.push(await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0));

    const allButton = "nav.queue-tabs button:last-child";
    result.queue.push(
      await timeClick(page, allButton, () =>
        document.querySelector(".inbox-summary")?.textContent.startsWith(
          document.querySelector("nav.queue-tabs button:last-child .queue-count")?.textContent,
        ),
      ),
    );
    // The rows re-render in the same frame as the header's aria-sort (one reactive update).
    result.sort.push(
      await timeClick(page, ".cell-priority .sort-button", () =>
        document.querySelector(".cell-priority[aria-sort='descending']"),
      ),
    );
    // Every other column once (the figures above are the priority column's), then back to
    // priority, most urgent first, for what follows.
    const sortEveryColumn = async (into) => {
      for (const column of columns) {
        const sorted = `() => document.querySelector(".ticket-head .cell-${column}:is([aria-sort='ascending'], [aria-sort='descending'])")`;
        (into[column] ??= []).push(await timeClick(page, `.ticket-head .cell-${column} .sort-button`, sorted));
      }
    };
    await sortEveryColumn(result.columns);
    await timeClick(page, ".cell-priority .sort-button", () => document.querySelector(".cell-priority[aria-sort='descending']"));
    // A person looks at the list before opening a ticket; the app reads the conversations in
    // view while they do (after 300 ms of stillness).
    const firstRow = "[data-row='0'] .cell-subject a";
    const thread = () => document.querySelector(".thread .message");
    await page.waitForTimeout(1000);
    result.open.push(await timeClick(page, firstRow, thread));
    await page.waitForTimeout(300);
    const inboxShown = () =>
      !document.querySelector(".thread") && [...document.querySelectorAll("[data-row='0']")].some((row) => row.checkVisibility());
    result.back.push(await timeClick(page, BACK, inboxShown));
    // And a ticket opened straight after the list changed, before anything was read ahead: the
    // conversation comes from storage.
    await timeClick(page, ".cell-priority .sort-button", () => document.querySelector(".cell-priority[aria-sort='ascending']"));
    result.openCold.push(await timeClick(page, firstRow, thread));

    await page.waitForFunction(() => window.__indexReady, null, { timeout: 300_000 });
    result.indexReady.push(await page.evaluate(() => window.__indexReady));
    // Idle now (the app prepared the subject order before building the index).
    await page.goBack();
    await page.waitForSelector("[data-row='0']");
    await page.waitForTimeout(1000);
    await sortEveryColumn(result.columnsIdle);
    await page.evaluate(() => window.gc?.());
    result.memory.push(
      await page.evaluate(() => ({ wasm: window.__wasm.memory.buffer.byteLength, heap: performance.memory?.usedJSHeapSize ?? 0 })),
    );
    console.log("memory with index", JSON.stringify(result.memory.at(-1)));
    result.keys.push(...(await typeQueries(page, ["password", "invoice order", "パスワード", "請求書 status:open"])));
    await page.close();
  }
  await context.close();
  return result;
}

const rows = await measureEachSize({
  roots: { "/bench/": benchDist, "/": appDist },
  browserArgs: ["--js-flags=--expose-gc", "--enable-precise-memory-info"],
  what: "inbox",
  sizes,
  measure,
});

const lines = [
  `Inbox benchmark, the release app in headless Chromium, median of ${runs} runs (${new Date().toISOString().slice(0, 10)}).`,
  "",
  "| tickets | cold start to first row | switch queue (DOM / frame) | sort by priority (DOM / frame) | open a ticket (DOM / frame) | back to the inbox | open, not read ahead | JS heap |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|",
];
for (const row of rows) {
  lines.push(
    `| ${row.tickets.toLocaleString("en")} | ${fmt(median(row.cold))} | ${both(row.queue)} | ` +
      `${both(row.sort)} | ${both(row.open)} | ${both(row.back)} | ${both(row.openCold)} | ${(median(row.heap) / 1048576).toFixed(0)} MB |`,
  );
}
const phases = Object.keys(rows[0]?.phases[0] ?? {});
lines.push(
  "",
  `| tickets | ${phases.map((phase) => phase.replaceAll("-", " ")).join(" | ")} | first row |`,
  `|---:|${phases.map(() => "---:|").join("")}---:|`,
);
for (const row of rows) {
  const at = phases.map((phase) => fmt(median(row.phases.map((times) => times[phase] ?? NaN))));
  lines.push(`| ${row.tickets.toLocaleString("en")} | ${at.join(" | ")} | ${fmt(median(row.cold))} |`);
}
const pct = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length - 1) * p + 0.5))];
lines.push(
  "",
  "| tickets | search index ready after navigation | memory with the index (wasm + JS heap) | keystroke to results p50 | p95 | max |",
  "|---:|---:|---:|---:|---:|---:|",
);
for (const row of rows) {
  const memory = median(row.memory.map((m) => m.wasm + m.heap));
  lines.push(
    `| ${row.tickets.toLocaleString("en")} | ${fmt(median(row.indexReady))} | ${(memory / 1048576).toFixed(0)} MB | ` +
      `${pct(row.keys, 0.5).toFixed(1)} ms | ${pct(row.keys, 0.95).toFixed(1)} ms | ${Math.max(...row.keys).toFixed(1)} ms |`,
  );
}
lines.push(
  "",
  `| tickets | ${columns.map((column) => `sort by ${column}`).join(" | ")} |`,
  `|---:|${columns.map(() => "---:").join("|")}|`,
);
for (const [when, key] of [["while the index builds", "columns"], ["once it is built", "columnsIdle"]]) {
  for (const row of rows) {
    const cells = columns.map((column) => fmt(median(row[key][column].map((t) => t.dom))));
    lines.push(`| ${row.tickets.toLocaleString("en")}, ${when} | ${cells.join(" | ")} |`);
  }
}
const table = lines.join("\n");
console.log("\n" + table + "\n");
await mkdir(join(repoRoot, "target/bench"), { recursive: true });
await writeFile(join(repoRoot, "target/bench/inbox.md"), table + "\n");
