// Search benchmark: our index next to FlexSearch and MiniSearch in the same page of headless
// Chromium, on the same generated tickets (helpdesk_core::sample, mixed Japanese and English) and
// the same queries. Run by `cargo xtask bench`.
//
// - build:   indexing every ticket (subject, body = description and messages, requester, tags)
//            from documents already in memory; ours from folded tickets, the peers from plain
//            objects of the same text. Not timed: generating and folding the data.
// - memory:  ours as the index's own heap count (and the wasm memory it grew by); the peers as
//            the JS heap after building minus before, each after a forced garbage collection.
// - queries: per class, each query's mean over enough runs to span 10 ms of the page's coarse
//            clock; p50/p95 over the class's queries.
//            Ours includes parsing and resolving the query, as a keystroke in the app does; all
//            return the first 20 results. Phrases go to the peers as plain words (neither
//            supports phrases); filters as FlexSearch tags / a MiniSearch filter; multi-word
//            queries must match every word in all engines (MiniSearch: combineWith AND).
// - recall:  on the Japanese queries, the share of the tickets whose text contains the query
//            (NFKC, lowercase) that an engine returns; precision likewise.
//
// FlexSearch runs twice: with its default encoder (words split at spaces and punctuation,
// forward prefixes) and with its CJK charset (text split into single characters), the setting
// its documentation gives for Japanese.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "../e2e/harness.mjs";
import { fmtMs, measureEachSize, median, pct } from "./stats.mjs";

const sizes = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dist = process.env.BENCH_DIST ?? join(repoRoot, "target/bench/dist");
const flexScript = join(repoRoot, "tests/node_modules/flexsearch/dist/flexsearch.bundle.min.js");
const miniScript = join(repoRoot, "tests/node_modules/minisearch/dist/umd/index.js");

const QUERIES = {
  "single word": ["password", "invoice", "refund", "error", "dashboard", "order", "screenshot", "cancel", "browser", "phone", "meeting", "receipt"],
  "multi-word": ["password reset", "invoice order", "error dashboard", "mobile app slow", "cancel subscription", "latest chrome", "charged twice", "account locked", "clearing cache", "tracking updates"],
  "Japanese word": ["パスワード", "請求書", "ログイン", "配送", "解約", "エラー", "領収書", "スマホアプリ", "再発行", "注文番号", "キャッシュ", "会員サイト", "至急", "破損"],
  phrase: ['"reset my password"', '"latest version of chrome"', '"請求書の再発行"', '"ログインできません"', '"charged twice"', '"パスワードを再設定"', '"the same problem"', '"お手数をおかけしますが"'],
  filtered: ["password status:in_progress", "請求書 priority:high", "error channel:email", "invoice status:closed", "ログイン channel:chat", "refund priority:critical", "配送 status:resolved", "dashboard priority:low"],
};
const LIMIT = 20;

const fmtMb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;

/** Everything measured in one page: build, memory, query times and recall for every engine. */
async function measureOnce(page, tickets) {
  return page.evaluate(
    async ({ QUERIES, LIMIT }) => {
      const gc = () => (window.gc ? window.gc() : undefined);
      const heap = () => performance.memory.usedJSHeapSize;
      const w = window.wasmBindings;
      const documents = JSON.parse(w.search_documents_json());
      const byId = new Map(documents.map((d) => [d.id, d]));
      const engines = {};

      // Ours.
      const built = JSON.parse(w.search_build());
      engines.ours = { build: built.ms, memory: built.heap_bytes, wasmGrowth: built.wasm_growth_bytes };
      engines.ours.run = (q, repeat) => JSON.parse(w.search_query(q, LIMIT, repeat)).ms;
      engines.ours.all = (q) => Array.from(w.search_numbers(q));

      // The peers see a query as words plus an optional tag filter.
      const split = (q) => {
        const filters = {};
        const words = [];
        for (const part of q.split(/\s+/)) {
          const m = part.match(/^(status|priority|channel):(.+)$/);
          if (m) filters[m[1]] = m[2];
          else words.push(part.replaceAll('"', ""));
        }
        return { text: words.join(" "), filters };
      };

      const { Document, Charset } = window.FlexSearch;
      for (const [name, options] of [
        ["FlexSearch", { tokenize: "forward" }],
        ["FlexSearch CJK", { tokenize: "forward", encoder: Charset.CJK }],
      ]) {
        gc();
        const before = heap();
        const started = performance.now();
        const index = new Document({
          document: { id: "id", index: ["subject", "body", "requester", "tags"], tag: ["status", "priority", "channel"] },
          ...options,
        });
        for (const d of documents) index.add(d);
        const build = performance.now() - started;
        gc();
        const search = (q, limit) => {
          const { text, filters } = split(q);
          const opts = { limit, merge: true };
          if (Object.keys(filters).length) opts.tag = filters;
          return index.search(text, opts);
        };
        engines[name] = {
          build,
          memory: heap() - before,
          index,
          run: (q, repeat) => {
            const t = performance.now();
            for (let i = 0; i < repeat; i++) search(q, LIMIT);
            return (performance.now() - t) / repeat;
          },
          all: (q) => search(q, documents.length).map((r) => r.id),
        };
      }

      gc();
      const before = heap();
      const started = performance.now();
      const mini = new window.MiniSearch({ fields: ["subject", "body", "requester", "tags"], storeFields: ["status", "priority", "channel"] });
      mini.addAll(documents);
      const miniBuild = performance.now() - started;
      gc();
      const miniSearch = (q) => {
        const { text, filters } = split(q);
        const keys = Object.keys(filters);
        const filter = keys.length ? (r) => keys.every((k) => r[k] === filters[k]) : undefined;
        return mini.search(text, { prefix: true, combineWith: "AND", filter });
      };
      engines.MiniSearch = {
        build: miniBuild,
        memory: heap() - before,
        run: (q, repeat) => {
          const t = performance.now();
          for (let i = 0; i < repeat; i++) miniSearch(q).slice(0, LIMIT);
          return (performance.now() - t) / repeat;
        },
        all: (q) => miniSearch(q).map((r) => r.id),
      };

      // Query times: one warm-up, then the mean over enough runs that the measurement spans at
      // least 10 ms (the page's clock is coarse: a few microseconds cannot be timed one at a time).
      const timed = (engine, q) => {
        engine.run(q, 1);
        let repeat = 5;
        for (;;) {
          const mean = engine.run(q, repeat);
          if (mean * repeat >= 10 || repeat >= 100_000) return mean;
          repeat *= mean * repeat < 1 ? 10 : 2;
        }
      };
      const times = {};
      for (const [name, engine] of Object.entries(engines)) {
        times[name] = {};
        for (const [kind, queries] of Object.entries(QUERIES)) {
          times[name][kind] = queries.map((q) => timed(engine, q));
        }
      }

      // Recall and precision on the Japanese queries against a plain substring scan.
      const normal = (s) => s.normalize("NFKC").toLowerCase();
      const haystacks = documents.map((d) => [d.id, normal(`${d.subject}\n${d.body}\n${d.requester}\n${d.tags}`)]);
      const japanese = [...QUERIES["Japanese word"], ...QUERIES.phrase.filter((q) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(q))];
      const quality = {};
      for (const [name, engine] of Object.entries(engines)) {
        let recall = 0;
        let precision = 0;
        for (const q of japanese) {
          const needle = normal(q.replaceAll('"', ""));
          const truth = new Set(haystacks.filter(([, h]) => h.includes(needle)).map(([id]) => id));
          const found = new Set(engine.all(q));
          const hits = [...found].filter((id) => truth.has(id)).length;
          recall += truth.size ? hits / truth.size : 1;
          precision += found.size ? hits / found.size : truth.size ? 0 : 1;
        }
        quality[name] = { recall: recall / japanese.length, precision: precision / japanese.length };
      }
      const summary = {};
      for (const [name, engine] of Object.entries(engines)) {
        summary[name] = { build: engine.build, memory: engine.memory, wasmGrowth: engine.wasmGrowth, times: times[name], ...quality[name] };
      }
      return { documents: documents.length, engines: summary, checked: byId.size };
    },
    { QUERIES, LIMIT },
  );
}

/** Our index built from storage the way the app builds it: import into IndexedDB, then in a fresh
 * page open the workspace and build the index from the stored op logs. */
async function measureFromStorage(browser, server, tickets) {
  const context = await browser.newContext();
  const filler = await context.newPage();
  await filler.goto(server.url + "/bench/index.html");
  await filler.waitForFunction(() => window.wasmBindings && document.getElementById("state")?.textContent === "ready");
  await filler.evaluate((n) => window.wasmBindings.generate(n, 42), tickets);
  await filler.evaluate(() => window.wasmBindings.import_ours("bench-search"));
  await filler.close();
  const page = await context.newPage();
  await page.goto(server.url + "/bench/index.html");
  await page.waitForFunction(() => window.wasmBindings && document.getElementById("state")?.textContent === "ready");
  const result = JSON.parse(await page.evaluate(() => window.wasmBindings.search_build_from_storage("bench-search")));
  const heaps = await page.evaluate(async () => {
    window.gc?.();
    return performance.memory.usedJSHeapSize;
  });
  result.js_heap_after = heaps;
  await context.close();
  return result;
}

async function measure(browser, server, tickets) {
  const results = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(server.url + "/bench/index.html");
    await page.waitForFunction(() => window.wasmBindings && document.getElementById("state")?.textContent === "ready");
    await page.addScriptTag({ path: flexScript });
    await page.addScriptTag({ path: miniScript });
    await page.evaluate((n) => window.wasmBindings.generate(n, 42), tickets);
    await page.evaluate(() => window.wasmBindings.search_prepare());
    results.push(await measureOnce(page, tickets));
    await context.close();
  }
  const storage = await measureFromStorage(browser, server, tickets);
  return { tickets, results, storage };
}

const rows = await measureEachSize({
  roots: { "/bench/": dist },
  browserArgs: ["--js-flags=--expose-gc", "--enable-precise-memory-info"],
  what: "search",
  sizes,
  measure,
});

const engines = ["ours", "FlexSearch", "FlexSearch CJK", "MiniSearch"];
const lines = [`Search benchmark, headless Chromium, median of ${runs} runs (${new Date().toISOString().slice(0, 10)}).`, ""];
for (const row of rows) {
  const of = (name, pick) => median(row.results.map((r) => pick(r.engines[name])));
  lines.push(`### ${row.tickets.toLocaleString("en")} tickets`, "");
  lines.push("| engine | build | memory | Japanese recall | Japanese precision |", "|---|---:|---:|---:|---:|");
  for (const name of engines) {
    const memory = of(name, (e) => e.memory);
    const growth = name === "ours" ? ` (wasm +${fmtMb(of(name, (e) => e.wasmGrowth))})` : "";
    lines.push(
      `| ${name} | ${fmtMs(of(name, (e) => e.build))} | ${fmtMb(memory)}${growth} | ${(of(name, (e) => e.recall) * 100).toFixed(1)}% | ${(of(name, (e) => e.precision) * 100).toFixed(1)}% |`,
    );
  }
  lines.push("");
  lines.push("| queries | ours p50 / p95 | FlexSearch p50 / p95 | ratio p50 | FlexSearch CJK p50 / p95 | ratio p50 | MiniSearch p50 / p95 | ratio p50 |");
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const kind of Object.keys(QUERIES)) {
    const stat = (name, p) => median(row.results.map((r) => pct(r.engines[name].times[kind], p)));
    const ours = stat("ours", 0.5);
    const cells = [`${fmtMs(ours)} / ${fmtMs(stat("ours", 0.95))}`];
    for (const name of engines.slice(1)) {
      const peer = stat(name, 0.5);
      cells.push(`${fmtMs(peer)} / ${fmtMs(stat(name, 0.95))}`, `${(peer / ours).toFixed(2)}×`);
    }
    lines.push(`| ${kind} | ${cells.join(" | ")} |`);
  }
  lines.push("", "Ratios are the peer's p50 divided by ours: above 1× means we are faster.", "");
  const st = row.storage;
  lines.push(
    `Ours built from IndexedDB as the app does (${st.tickets.toLocaleString("en")} tickets): storage open ${fmtMs(st.open_ms)}, ` +
      `index build ${fmtMs(st.build_ms)}, index ${fmtMb(st.heap_bytes)}, wasm memory ${fmtMb(st.wasm_before)} → ${fmtMb(st.wasm_after)}, ` +
      `JS heap afterwards ${fmtMb(st.js_heap_after)}.`,
    "",
  );
}
const table = lines.join("\n");
console.log("\n" + table);
await mkdir(join(repoRoot, "target/bench"), { recursive: true });
await writeFile(join(repoRoot, "target/bench/search.md"), table + "\n");
