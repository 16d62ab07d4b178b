// The offline start: once the app has run online, it starts again with no network at all (the
// server is stopped, not just emulated offline), deep links included, and work done offline is
// still there after another offline reload. A new deployment replaces the kept files. Settings
// tells whether this browser can start offline yet.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWorkspace, distDir, launchBrowser, openPage, screenshot, serveStatic } from "./harness.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Waits until a service worker controls the page and has kept every file of the build. */
async function waitUntilKept(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 30_000 });
  return page.evaluate(async () => {
    const names = (await caches.keys()).filter((name) => name.startsWith("helpdesk-"));
    const cache = await caches.open(names[0]);
    return { names, kept: (await cache.keys()).map((request) => new URL(request.url).pathname) };
  });
}

test("after one online visit the app starts, routes and saves with the server gone", async () => {
  const server = await serveStatic();
  const page = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await createWorkspace(page, { sample: true });
  const { names, kept } = await waitUntilKept(page);
  assert.equal(names.length, 1, `one cache for this build: ${names}`);
  for (const file of ["/index.html", ".wasm", ".js", ".css"]) {
    assert.ok(kept.some((path) => path.endsWith(file)), `${file} is kept: ${kept}`);
  }
  const firstSubject = await page.locator("[data-row='0'] .cell-subject a").innerText();
  await page.goto(server.url + "/settings");
  await page.getByTestId("offline-start").filter({ hasText: "Starts without a network" }).waitFor();
  await page.getByTestId("offline-start").scrollIntoViewIfNeeded();
  await screenshot(page, "offline-settings-en");
  await page.goto(server.url);
  await page.locator("[data-row='0'] .cell-subject a").waitFor();

  await server.close();
  await assert.rejects(fetch(server.url), "the server is really gone");

  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor({ timeout: 30_000 });
  await page.locator("[data-row='0'] .cell-subject a", { hasText: firstSubject }).waitFor();

  // A deep link typed while offline gets the app, which routes it.
  await page.goto(server.url + "/customers");
  await page.getByRole("heading", { level: 1, name: "Customers" }).waitFor({ timeout: 30_000 });

  // Work done offline is stored, and there after another offline start.
  await page.goto(server.url);
  await page.locator("[data-row='0'] .cell-subject a").click();
  const note = `Called the customer from the train ${Date.now()}`;
  await page.getByRole("button", { name: "Internal note" }).click();
  await page.getByRole("textbox", { name: "Message" }).fill(note);
  await page.getByRole("button", { name: "Add note" }).click();
  await page.locator(".message-note").filter({ hasText: note }).waitFor();
  await page.reload();
  await page.locator(".message-note").filter({ hasText: note }).waitFor({ timeout: 30_000 });
  await screenshot(page, "offline-ticket-en");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a new deployment is shown at the next online start and replaces the kept files", async () => {
  const root = await mkdtemp(join(tmpdir(), "helpdesk-deploy-"));
  await cp(distDir, root, { recursive: true });
  const server = await serveStatic(root);
  const page = await openPage(browser);
  await page.goto(server.url);
  await page.getByRole("heading", { level: 1, name: "Set up your helpdesk" }).waitFor();
  const first = await waitUntilKept(page);

  // The next build: another index.html and, as `cargo xtask dist` writes it, another worker.
  const index = await readFile(join(root, "index.html"), "utf8");
  await writeFile(join(root, "index.html"), index.replace("<title>Helpdesk</title>", "<title>Helpdesk</title><meta name=build content=next>"));
  const worker = await readFile(join(root, "sw.js"), "utf8");
  await writeFile(join(root, "sw.js"), worker.replace(/const VERSION = "([0-9a-f]+)"/, 'const VERSION = "$1next"'));

  await page.reload();
  await page.locator("meta[name=build]").waitFor({ state: "attached" });
  await page.waitForFunction(
    async (old) => {
      const names = (await caches.keys()).filter((name) => name.startsWith("helpdesk-"));
      return names.length === 1 && names[0] !== old;
    },
    first.names[0],
    { timeout: 30_000, polling: 200 },
  );
  assert.deepEqual(page.errors, []);
  await page.context().close();
  await server.close();
  await rm(root, { recursive: true, force: true });
});

/** Serves a copy of the build changed by `edit(root)`, with a workspace set up in Japanese, and
 * returns the text of Settings' offline line once it shows `expected`. The page may log only the
 * errors `allowed` matches. */
async function offlineLineWith(edit, expected, shot, allowed = /^$/) {
  const root = await mkdtemp(join(tmpdir(), "helpdesk-offline-"));
  await cp(distDir, root, { recursive: true });
  await edit(root);
  const server = await serveStatic(root);
  const page = await openPage(browser, { locale: "ja-JP" });
  try {
    await page.goto(server.url);
    await createWorkspace(page, { lang: "ja" });
    await page.goto(server.url + "/settings");
    const line = page.getByTestId("offline-start").filter({ hasText: expected });
    await line.waitFor({ timeout: 30_000 });
    await line.scrollIntoViewIfNeeded();
    await screenshot(page, shot);
    assert.deepEqual(page.errors.filter((error) => !allowed.test(error)), []);
    return await line.innerText();
  } finally {
    await page.context().close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

test("settings says when this browser cannot start offline, while it gets ready, and when keeping the files failed", async () => {
  // A build without the worker's registration (as on the development server).
  const without = await offlineLineWith(async (root) => {
    const index = await readFile(join(root, "index.html"), "utf8");
    const stripped = index.replace(/<script id="offline-start">.*?<\/script>/, "");
    assert.notEqual(stripped, index, "the build registers its worker");
    await writeFile(join(root, "index.html"), stripped);
  }, "ネットワークなしでは起動できません", "offline-settings-unavailable-ja");
  assert.match(without, /HTTPS/);
  // A worker whose files are still on their way (its install never finishes).
  await offlineLineWith(
    (root) => writeFile(join(root, "sw.js"), "self.addEventListener('install', (e) => e.waitUntil(new Promise(() => {})));"),
    "アプリのファイルを保存しています",
    "offline-settings-preparing-ja",
  );
  // A host that lost one of the build's files: the worker's install cannot keep it and is given
  // up (the browser then drops the registration, which must not read as "still preparing").
  const failed = await offlineLineWith(async (root) => {
    const favicon = (await readdir(root)).find((name) => name.startsWith("favicon"));
    assert.ok(favicon, "the build has a favicon to lose");
    await rm(join(root, favicon));
  }, "保存できませんでした", "offline-settings-failed-ja", /status of 404/);
  assert.match(failed, /次回の起動時/);
});
