// Shared harness of the end-to-end tests: serve a built dist/ folder and drive Chromium.
//
// The server behaves like the static hosts the app is deployed on: files by path, the right MIME
// type for .wasm (browsers refuse streaming compilation otherwise), and index.html for unknown
// paths without a file extension (the SPA fallback that 404.html/_redirects provide in production).

import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const here = new URL(".", import.meta.url).pathname;
export const repoRoot = resolve(here, "../..");
export const distDir = resolve(process.env.DIST_DIR ?? join(repoRoot, "dist"));
export const screenshotDir = resolve(process.env.SCREENSHOT_DIR ?? join(repoRoot, "target/e2e"));

const mimeTypes = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
};

/** Serves `root` on 127.0.0.1 at a free port. Returns { url, close }. */
export async function serveStatic(root = distDir) {
  return serveRoots({ "/": root });
}

/**
 * Serves several folders under one origin (so they share IndexedDB): `{ "/bench/": dirA, "/": dirB }`
 * maps each path prefix to a folder; the longest prefix wins.
 */
export async function serveRoots(roots) {
  const prefixes = Object.keys(roots).sort((a, b) => b.length - a.length);
  const server = createServer(async (request, response) => {
    const fullPath = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    const prefix = prefixes.find((p) => fullPath.startsWith(p));
    if (prefix === undefined) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
      return;
    }
    const root = roots[prefix];
    const path = "/" + fullPath.slice(prefix.length);
    const safe = normalize(path).replace(/^(\.\.[/\\])+/, "");
    let file = join(root, safe);
    if (safe.endsWith("/") || extname(safe) === "") file = join(root, "index.html");
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": mimeTypes[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
    }
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () =>
      new Promise((done) => {
        server.close(done);
        // Pages keep connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

/**
 * Launches Debian's Chromium headless with the flags this machine needs (no network chatter), plus
 * `extraArgs` (benchmarks add `--js-flags=--expose-gc` to measure memory after a collection).
 */
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      ...extraArgs,
    ],
  });
}

/** Serves the release bundle and launches Chromium before a test file's tests, and stops
 * both after them. Returns `{ server, browser }`, filled in once the tests start. */
export function serveAppInBrowser() {
  const app = { server: undefined, browser: undefined };
  before(async () => {
    app.server = await serveStatic();
    app.browser = await launchBrowser();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/**
 * Opens a page that records every uncaught exception and console error, so a test can assert the
 * app ran cleanly (a wasm module broken by an old wasm-opt shows up here, not as a blank page).
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ locale: "en-US", ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") page.errors.push(`console: ${message.text()}`);
  });
  return page;
}

export async function screenshot(page, name) {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The setup form's labels, per interface language. */
const setupLabels = {
  en: {
    heading: "Set up your helpdesk",
    workspace: "Workspace name",
    name: "Your name",
    email: "Your email address",
    sample: /Load sample tickets/,
    create: "Create workspace",
    inbox: "Inbox",
  },
  ja: {
    heading: "ヘルプデスクを始める",
    workspace: "ワークスペース名",
    name: "あなたの名前",
    email: "あなたのメールアドレス",
    sample: /サンプルのチケット/,
    create: "ワークスペースを作成",
    inbox: "受信箱",
  },
};

/**
 * Fills in the first-run form on a fresh page and waits for the inbox. With `sample`, the 300
 * sample tickets are loaded too.
 */
export async function createWorkspace(page, { lang = "en", sample = false, name = "Acme Support" } = {}) {
  const labels = setupLabels[lang];
  await page.getByRole("heading", { level: 1, name: labels.heading }).waitFor();
  await page.getByLabel(labels.workspace).fill(name);
  await page.getByLabel(labels.name).fill(lang === "ja" ? "山田 花子" : "Alex Agent");
  await page.getByLabel(labels.email).fill(lang === "ja" ? "hanako@example.jp" : "alex@example.com");
  const sampleBox = page.getByLabel(labels.sample);
  if ((await sampleBox.isChecked()) !== sample) await sampleBox.click();
  await page.getByRole("button", { name: labels.create }).click();
  await page.getByRole("heading", { level: 1, name: labels.inbox }).waitFor({ timeout: 30_000 });
}

/**
 * Types a ticket into the New ticket page (already open, or opened from the navigation) for a new
 * requester, and waits for the ticket's own page.
 */
export async function createTicket(page, { name, email = "", subject }) {
  if (!page.url().endsWith("/tickets/new")) await page.getByRole("link", { name: "New ticket" }).first().click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  if (email) await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Subject").fill(subject);
  await page.getByRole("button", { name: "Create ticket" }).click();
  await page.getByRole("heading", { level: 1, name: subject }).waitFor();
}

const axeSource = join(repoRoot, "tests/node_modules/axe-core/axe.min.js");

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation, listing
 * each rule with the elements it found.
 */
export async function assertAccessible(page, what) {
  await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join("\n    ")}`);
  });
  if (violations.length) throw new Error(`${what}: accessibility violations\n  ${violations.join("\n  ")}`);
}
