// Ad-hoc profiler (not part of the bench): CPU profile of one inbox interaction with wasm names.
import { launchBrowser, repoRoot, serveRoots } from "../e2e/harness.mjs";
import { join } from "node:path";
const tickets = Number(process.env.N ?? 100000);
const what = process.env.WHAT ?? "switch";
const server = await serveRoots({ "/bench/": join(repoRoot, "target/bench/dist"), "/": process.env.APP ?? "/tmp/profdist" });
const browser = await launchBrowser([]);
const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
const filler = await context.newPage();
await filler.goto(server.url + "/bench/index.html");
await filler.waitForFunction(() => window.wasmBindings && document.getElementById("state")?.textContent === "ready");
await filler.evaluate((n) => window.wasmBindings.generate(n, 42), tickets);
await filler.evaluate(() => window.wasmBindings.fill_app_database());
await filler.close();
const page = await context.newPage();
await page.goto(server.url + "/");
await page.waitForSelector("[data-row='0']", { timeout: 60000 });
if (!process.env.EARLY) await page.waitForSelector("[data-index='ready']", { timeout: 120000, state: "attached" }); await page.waitForTimeout(500);
const cdp = await context.newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
const times = [];
for (let i = 0; i < 3; i++) {
  await page.evaluate(async () => {
    const before = document.querySelector(".cell-priority")?.getAttribute("aria-sort");
    document.querySelector(".cell-priority .sort-button").click();
    while (document.querySelector(".cell-priority")?.getAttribute("aria-sort") === before) await new Promise((r) => setTimeout(r, 0));
  });
  if (i === 2) await cdp.send("Profiler.start");
  times.push(await page.evaluate(async () => {
    const t = performance.now();
    const marks = {};
    document.querySelector("[data-row='0'] .cell-subject a").click();
    await new Promise((resolve) => {
      const check = () => {
        if (!marks.head && document.querySelector(".ticket-view, .ticket-page, main h1")) marks.head = performance.now() - t;
        if (document.querySelector(".thread .message")) return resolve();
        requestAnimationFrame(check);
      };
      new MutationObserver(() => { if (document.querySelector(".thread .message")) resolve(); }).observe(document, { childList: true, subtree: true });
      check();
    });
    marks.thread = performance.now() - t;
    return marks;
  }));
  if (i === 2) break;
  await page.goBack();
  await page.waitForSelector("[data-row='0']");
}
const { profile } = await cdp.send("Profiler.stop");
console.log("times", JSON.stringify(times));
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas;
const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
// inclusive time: walk parents
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (const [id, us] of counts) {
  const node = byId.get(id);
  const name = node.callFrame.functionName || "(anon)";
  self.set(name, (self.get(name) ?? 0) + us);
  const seen = new Set();
  let cur = id;
  while (cur !== undefined) {
    const nm = byId.get(cur).callFrame.functionName || "(anon)";
    if (!seen.has(nm)) { incl.set(nm, (incl.get(nm) ?? 0) + us); seen.add(nm); }
    cur = parent.get(cur);
  }
}
const top = (m, n) => [...m].filter(([k]) => !["(idle)", "(program)", "(root)"].includes(k)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(v / 1000).toFixed(1).padStart(7)} ms  ${k.slice(0, 150)}`).join("\n");
console.log("SELF\n" + top(self, 40));
console.log("INCLUSIVE\n" + top(incl, 60));
await browser.close();
await server.close();
