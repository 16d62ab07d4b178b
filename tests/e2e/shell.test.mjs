// End-to-end smoke test of the built app shell: it loads, renders its navigation, switches
// language (and <html lang>), remembers the choice, routes, and fits a phone screen. A fresh
// browser has no workspace, so the shell opens on the first-run form.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createWorkspace, openPage, screenshot, serveAppInBrowser } from "./harness.mjs";

// The release bundle on a local server and one Chromium for all of this file's tests.
const app = serveAppInBrowser();

const navNames = {
  en: ["Inbox", "Customers", "Knowledge base", "Reports", "Settings"],
  ja: ["受信箱", "顧客", "ナレッジベース", "レポート", "設定"],
};

async function navLinkNames(page) {
  const nav = page.getByRole("navigation");
  return nav.getByRole("link").allInnerTexts();
}

test("the shell renders with its navigation and no errors", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(app.server.url);
  await page.getByRole("heading", { level: 1, name: "Set up your helpdesk" }).waitFor();
  assert.deepEqual(await navLinkNames(page), navNames.en);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.title(), "Helpdesk");
  const current = page.getByRole("link", { name: "Inbox" });
  assert.equal(await current.getAttribute("aria-current"), "page");
  await screenshot(page, "shell-desktop-en");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("switching to Japanese translates the shell, sets lang, and survives a reload", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(app.server.url);
  await page.getByRole("heading", { level: 1, name: "Set up your helpdesk" }).waitFor();
  await page.locator("#lang-select").selectOption("ja");
  await page.getByRole("heading", { level: 1, name: "ヘルプデスクを始める" }).waitFor();
  assert.equal(await page.getAttribute("html", "lang"), "ja");
  assert.deepEqual(await navLinkNames(page), navNames.ja);
  assert.equal(await page.title(), "ヘルプデスク");
  await screenshot(page, "shell-desktop-ja");

  await page.reload();
  await page.getByRole("heading", { level: 1, name: "ヘルプデスクを始める" }).waitFor();
  assert.equal(await page.getAttribute("html", "lang"), "ja");
  assert.equal(await page.locator("#lang-select").inputValue(), "ja");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a Japanese browser starts in Japanese", async () => {
  const page = await openPage(app.browser, { locale: "ja-JP" });
  await page.goto(app.server.url);
  await page.getByRole("heading", { level: 1, name: "ヘルプデスクを始める" }).waitFor();
  assert.equal(await page.getAttribute("html", "lang"), "ja");
  await page.context().close();
});

test("navigation and deep links reach every page", async () => {
  const page = await openPage(app.browser);
  await page.goto(app.server.url);
  await createWorkspace(page);
  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("heading", { level: 1, name: "Customers" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/customers");
  assert.equal(await page.getByRole("link", { name: "Customers" }).getAttribute("aria-current"), "page");
  assert.equal(await page.getByRole("link", { name: "Inbox" }).getAttribute("aria-current"), null);

  for (const [path, heading] of [
    ["/knowledge-base", "Knowledge base"],
    ["/reports", "Reports"],
    ["/settings", "Settings"],
    ["/no-such-page", "Page not found"],
  ]) {
    await page.goto(app.server.url + path);
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  }
  await page.getByRole("link", { name: "Back to the inbox" }).click();
  await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the skip link and keyboard focus work", async () => {
  const page = await openPage(app.browser);
  await page.goto(app.server.url);
  await page.getByRole("heading", { level: 1, name: "Set up your helpdesk" }).waitFor();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  assert.equal(await skip.evaluate((element) => element === document.activeElement), true);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "main");
  await page.context().close();
});

test("on a 375 px phone the navigation becomes a bottom bar and nothing overflows", async () => {
  const page = await openPage(app.browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await page.goto(app.server.url);
  await page.getByRole("heading", { level: 1, name: "Set up your helpdesk" }).waitFor();
  const nav = await page.getByRole("navigation").boundingBox();
  assert.ok(nav.y + nav.height >= 740 - 1, `navigation sits at the bottom (${JSON.stringify(nav)})`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  await screenshot(page, "shell-phone-en");
  await page.context().close();
});

test("the shell follows the system's dark colour scheme", async () => {
  const background = async (colorScheme) => {
    const page = await openPage(app.browser, { colorScheme });
    await page.goto(app.server.url);
    await page.getByRole("heading", { level: 1, name: "Set up your helpdesk" }).waitFor();
    const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    if (colorScheme === "dark") await screenshot(page, "shell-desktop-dark");
    await page.context().close();
    return colour;
  };
  const light = await background("light");
  const dark = await background("dark");
  assert.notEqual(light, dark);
  // Dark means dark: every channel of the page background below 50.
  const channels = dark.match(/\d+/g).slice(0, 3).map(Number);
  assert.ok(channels.every((c) => c < 50), `dark background ${dark}`);
});
