// End-to-end tests of the data kept in the browser: importing a workspace file, surviving a
// reload, other tabs seeing the change, one tab running background jobs, exporting, and bad files.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { openPage, repoRoot, screenshot, screenshotDir, serveAppInBrowser } from "./harness.mjs";

const sampleExport = join(repoRoot, "tests/fixtures/sample-export.jsonl");
// The release bundle on a local server and one Chromium for all of this file's tests.
const app = serveAppInBrowser();

const contents = (page) => page.getByTestId("contents");
const status = (page) => page.getByTestId("transfer-status");

async function openSettings(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(app.server.url + "/settings");
  await contents(page).filter({ hasText: /Tickets:|チケット:/ }).waitFor();
  return page;
}

async function importSample(page, file = sampleExport) {
  await page.locator("#import-file").setInputFiles(file);
  await status(page).filter({ hasText: "Imported" }).waitFor();
}

test("an imported workspace survives a reload and reaches the other tabs", async () => {
  const context = await app.browser.newContext({ locale: "en-US" });
  const tabA = await openSettings(context);
  const tabB = await openSettings(context);
  assert.match(await contents(tabA).innerText(), /Tickets: 0/);

  await importSample(tabA);
  assert.match(await status(tabA).innerText(), /Imported \d+ changes \(\d+ new\)/);
  assert.equal(await contents(tabA).innerText(), "Tickets: 30 · Customers: 1 · Agents: 3");
  // The other tab learns of the change without reloading.
  await contents(tabB).filter({ hasText: "Tickets: 30" }).waitFor({ timeout: 5000 });

  await tabA.reload();
  await contents(tabA).filter({ hasText: "Tickets: 30" }).waitFor();
  assert.equal(await tabA.getByText("This workspace has not been set up yet.").count(), 0, "the imported workspace is set up");
  await screenshot(tabA, "settings-after-import-en");

  // Exactly one tab runs the background jobs, and it hands over when it closes.
  const runs = async (page) => (await page.getByText("This tab runs the background jobs").count()) === 1;
  const leaders = [await runs(tabA), await runs(tabB)];
  assert.equal(leaders.filter(Boolean).length, 1, `one leader among the tabs: ${leaders}`);
  const [leader, follower] = leaders[0] ? [tabA, tabB] : [tabB, tabA];
  await leader.close();
  await follower.getByText("This tab runs the background jobs").waitFor({ timeout: 5000 });
  assert.deepEqual(follower.errors, []);
  await context.close();
});

test("an export downloads a file that another browser imports", async () => {
  const context = await app.browser.newContext({ locale: "en-US" });
  const page = await openSettings(context);
  await importSample(page);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export workspace" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^helpdesk-サポート-\d{4}-\d{2}-\d{2}\.jsonl$/);
  await mkdir(screenshotDir, { recursive: true });
  const saved = join(screenshotDir, "exported.jsonl");
  await download.saveAs(saved);
  await status(page).filter({ hasText: "Exported to" }).waitFor();
  const lines = (await readFile(saved, "utf8")).trimEnd().split("\n");
  const header = JSON.parse(lines[0]);
  assert.equal(header.format, "helpdesk-export");
  assert.equal(header.ops, lines.length - 1, "the header counts every op line");

  // A fresh browser profile (a colleague's laptop) imports the file.
  const elsewhere = await app.browser.newContext({ locale: "en-US" });
  const other = await openSettings(elsewhere);
  await importSample(other, saved);
  assert.equal(await contents(other).innerText(), "Tickets: 30 · Customers: 1 · Agents: 3");
  await context.close();
  await elsewhere.close();
});

test("a damaged file is explained and nothing after the damage is imported", async () => {
  const context = await app.browser.newContext({ locale: "en-US" });
  const page = await openSettings(context);
  const text = await readFile(sampleExport, "utf8");
  const lines = text.split("\n");
  lines[5] = "{ this line was damaged";
  const damaged = join(screenshotDir, "damaged.jsonl");
  await mkdir(screenshotDir, { recursive: true });
  await writeFile(damaged, lines.join("\n"));
  await page.locator("#import-file").setInputFiles(damaged);
  await status(page).filter({ hasText: "Line 6 of the file is damaged" }).waitFor();

  const notAnExport = join(screenshotDir, "not-an-export.txt");
  await writeFile(notAnExport, "hello\n");
  await page.locator("#import-file").setInputFiles(notAnExport);
  await status(page).filter({ hasText: "This file is not a helpdesk export." }).waitFor();
  assert.match(await contents(page).innerText(), /Tickets: 0/, "a file refused up front changes nothing");
  await context.close();
});

// A full disk is tested at the storage layer (tests/storage.rs, on a Storage Bucket with a small
// quota): Chromium does not apply CDP's Storage.overrideQuotaForOrigin to IndexedDB writes, so a
// page-level test here could not make the disk fill up. How failures reach the person is covered
// by the damaged-file test above.

test("asking the browser to keep the data gets a visible answer", async () => {
  const context = await app.browser.newContext({ locale: "ja-JP" });
  const page = await openSettings(context);
  const button = page.getByRole("button", { name: "データの保護をブラウザに依頼する" });
  if (await button.count()) {
    await button.click();
    await page
      .getByText(/保護済み|ブラウザに拒否されました/)
      .first()
      .waitFor({ timeout: 5000 });
  } else {
    await page.getByText("保護済み").waitFor();
  }
  assert.match(await page.getByTestId("usage").innerText(), /使用しています/);
  await context.close();
});

test("the settings page in Japanese, after an import, on a phone", async () => {
  const context = await app.browser.newContext({ locale: "ja-JP", viewport: { width: 375, height: 800 }, isMobile: true });
  const page = await context.newPage();
  await page.goto(app.server.url + "/settings");
  await contents(page).filter({ hasText: "チケット:" }).waitFor();
  await page.locator("#import-file").setInputFiles(sampleExport);
  await status(page).filter({ hasText: "読み込みました" }).waitFor();
  assert.equal(await contents(page).innerText(), "チケット: 30件 · 顧客: 1件 · エージェント: 3名");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  await screenshot(page, "settings-after-import-ja-phone");
  await context.close();
});

test("without IndexedDB (private mode, storage turned off) the app says nothing can be saved", async () => {
  for (const [locale, text] of [
    ["en-US", "This browser does not let the helpdesk store data"],
    ["ja-JP", "このブラウザではヘルプデスクのデータを保存できません"],
  ]) {
    const context = await app.browser.newContext({ locale });
    await context.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
    const page = await context.newPage();
    await page.goto(app.server.url + "/settings");
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: text }).waitFor();
    if (locale === "en-US") await screenshot(page, "storage-unavailable-en");
    await context.close();
  }
});

test("an older version open in another tab holds the upgrade, and the app says why", async () => {
  const context = await app.browser.newContext({ locale: "en-US" });
  // Another tab still runs schema version 1 and ignores requests to close.
  const oldTab = await context.newPage();
  await oldTab.goto(app.server.url + "/no-app-here.html").catch(() => {});
  await oldTab.evaluate(
    () =>
      new Promise((resolve) => {
        const request = indexedDB.open("helpdesk", 1);
        request.onupgradeneeded = () => {
          for (const store of ["op_logs", "snapshots", "meta"]) request.result.createObjectStore(store);
        };
        request.onsuccess = () => {
          window.oldConnection = request.result;
          resolve();
        };
      }),
  );
  const page = await context.newPage();
  await page.goto(app.server.url + "/settings");
  await page.getByRole("alert").filter({ hasText: "An older version of the helpdesk is still open in another tab" }).waitFor();
  await oldTab.evaluate(() => window.oldConnection.close());
  await contents(page).filter({ hasText: "Tickets:" }).waitFor({ timeout: 10000 });
  assert.equal(await page.getByRole("alert").count(), 0, "the banner goes once the upgrade went through");
  await context.close();
});

test("a newer version opened in another tab tells this tab to reload", async () => {
  const context = await app.browser.newContext({ locale: "en-US" });
  const page = await openSettings(context);
  const newer = await context.newPage();
  await newer.goto(app.server.url + "/no-app-here.html").catch(() => {});
  await newer.evaluate(
    () =>
      new Promise((resolve) => {
        const request = indexedDB.open("helpdesk", 99);
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
      }),
  );
  await page.getByRole("alert").filter({ hasText: "updated in another tab" }).waitFor();
  await page.getByRole("button", { name: "Reload" }).waitFor();
  await context.close();
});
