// End-to-end journeys of search: results as you type with matches marked and keyboard choice,
// query errors in words, the results page with sort and bulk actions, saved views with live counts
// in the navigation (kept across reloads, changed and deleted), Japanese queries (half-width
// input included), another tab's changes, and the phone layout. axe runs on the new screens.

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertAccessible, createTicket, createWorkspace, openPage, screenshot, serveAppInBrowser } from "./harness.mjs";

// The release bundle on a local server and one Chromium for all of this file's tests.
const app = serveAppInBrowser();

const box = (page) => page.locator("#search-input");
const options = (page) => page.getByRole("listbox").getByRole("option");
// English counts say "1 ticket" and "2 tickets" (i18n::en_tickets).
const enTickets = (n) => (n === 1 ? "1 ticket" : `${n} tickets`);

/** Types `text` into the search box and waits for at least `min` results. */
async function typeSearch(page, text, min = 1) {
  await box(page).fill(text);
  await page.waitForFunction(
    (min) => document.querySelectorAll("#search-results .search-option:not(.search-all)").length >= min,
    min,
    { timeout: 20_000 },
  );
}

test("results appear as you type, keyboard opens one, bad queries explain themselves", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 } });
  let alerted = false;
  page.on("dialog", async (dialog) => {
    alerted = dialog.type() === "alert";
    await dialog.dismiss();
  });
  await page.goto(app.server.url);
  await createWorkspace(page, { sample: true });

  // "/" focuses the box from the inbox.
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "search-input");
  await page.keyboard.type("password");
  await typeSearch(page, "password", 3);
  const first = options(page).first();
  assert.equal((await first.locator("mark").first().innerText()).toLowerCase(), "password");
  assert.equal(await box(page).getAttribute("aria-expanded"), "true");
  await screenshot(page, "search-dropdown-en");

  // Arrow keys move the active option; Enter opens that ticket.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.equal(await box(page).getAttribute("aria-activedescendant"), "search-option-1");
  const chosen = await options(page).nth(1).locator(".search-number").innerText();
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`/tickets/${chosen.slice(1)}$`));
  await page.getByRole("heading", { level: 1 }).waitFor();

  // A ticket whose subject looks like HTML is found and shown as the characters typed.
  await page.getByRole("heading", { level: 1 }).click();
  await page.keyboard.press("c");
  await page.getByRole("heading", { level: 1, name: "New ticket" }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill("Quinn Requester");
  await page.getByLabel("Email address").fill("quinn@example.com");
  await page.getByLabel("Subject").fill("<img src=x onerror=alert(1)> Zeppelin printer");
  await page.getByLabel("Description").fill("It prints only on Tuesdays.");
  await page.getByRole("button", { name: "Create ticket" }).click();
  await page.getByRole("heading", { level: 1, name: /Zeppelin printer/ }).waitFor();
  await typeSearch(page, "zeppelin");
  assert.match(await options(page).first().innerText(), /<img src=x onerror=alert\(1\)> Zeppelin printer/);
  assert.equal(await page.locator(".search-results img").count(), 0, "no element was injected");
  // The requester and words of the description find it too.
  await typeSearch(page, "quinn tuesdays");
  assert.match(await options(page).first().innerText(), /Zeppelin printer/);
  await typeSearch(page, "tuesdays");
  await page.locator(".search-snippet mark").filter({ hasText: "Tuesdays" }).waitFor();

  // A typo in a filter name is an error in words, not a silent text search.
  await box(page).fill("stauts:open");
  await page.locator(".search-status").filter({ hasText: "There is no filter “stauts:”" }).waitFor();
  await box(page).fill("created:soon");
  await page.locator(".search-status").filter({ hasText: "“soon” is not a date" }).waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await box(page).getAttribute("aria-expanded"), "false");
  assert.equal(alerted, false);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the results page sorts, saves views that count live in the navigation, and changes and deletes them", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 } });
  page.on("dialog", (dialog) => dialog.accept());
  await page.goto(app.server.url);
  await createWorkspace(page, { sample: true });
  await typeSearch(page, "status:open priority:high");
  await box(page).press("Enter");
  await page.waitForURL(/\/search\?q=status%3Aopen%20priority%3Ahigh$/);
  await page.getByRole("heading", { level: 1, name: "Search" }).waitFor();
  // The inbox stays in the page (hidden) once shown: address the results page's own table.
  const results = page.locator(".search-page");
  const summary = results.locator(".inbox-summary");
  await summary.filter({ hasText: /^\d+ tickets/ }).waitFor();
  const total = Number((await summary.innerText()).match(/^(\d+) tickets/)[1]);
  assert.ok(total > 0 && total < 300, `${total} open high-priority tickets`);
  // Every row shown is open and high priority.
  const rows = results.locator(".ticket-rows .ticket-row");
  for (let i = 0; i < Math.min(5, await rows.count()); i++) {
    assert.equal(await rows.nth(i).locator(".cell-priority").innerText(), "High");
    assert.doesNotMatch(await rows.nth(i).locator(".cell-status").innerText(), /Resolved|Closed/);
  }

  // Sorting rewrites the query's sort: the newest number comes first.
  await page.getByLabel("Sort by").selectOption("number");
  await page.waitForURL(/sort%3Anumber/);
  const numbers = await rows.locator(".cell-number").allInnerTexts();
  assert.ok(Number(numbers[0].slice(1)) > Number(numbers[1].slice(1)), numbers.slice(0, 2).join(" "));
  // j moves through the results' own rows, not the hidden inbox's under the page.
  await results.locator("[data-row='0']").focus();
  await page.keyboard.press("j");
  const focused = () => page.evaluate(() => (document.activeElement?.closest(".search-page") ? document.activeElement.dataset.row : "elsewhere"));
  await page.waitForFunction(() => document.activeElement?.dataset?.row === "1");
  assert.equal(await focused(), "1");
  await assertAccessible(page, "search results");
  await screenshot(page, "search-page-en");

  // Save it as a view: it appears in the navigation with its count, for the whole team.
  await page.getByLabel("View name").fill("Hot and open");
  await page.getByRole("button", { name: "Save as view" }).click();
  await page.waitForURL(/\/search\?view=/);
  await page.getByRole("heading", { level: 1, name: "Hot and open" }).waitFor();
  const navView = page.getByRole("link", { name: `Hot and open: ${enTickets(total)}` });
  await navView.waitFor();
  assert.equal(await navView.getAttribute("aria-current"), "page");
  await screenshot(page, "search-view-en");

  // The view survives a reload, count included, and opens from the navigation.
  await page.goto(app.server.url);
  await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
  await page.getByRole("link", { name: `Hot and open: ${enTickets(total)}` }).click();
  await page.getByRole("heading", { level: 1, name: "Hot and open" }).waitFor();
  assert.equal(await page.locator(".search-query").inputValue(), "status:open priority:high sort:number");

  // Bulk-resolving one ticket of the view lowers its count.
  await results.locator("[data-row='0'] input[type=checkbox]").check();
  await results.getByLabel("Set status").selectOption("resolved");
  await results.locator(".bulk-message").filter({ hasText: "Updated 1 ticket." }).waitFor();
  await page.getByRole("link", { name: `Hot and open: ${enTickets(total - 1)}` }).waitFor();

  // Change the view's query and save it; then delete the view.
  await page.locator(".search-query").fill("status:open priority:critical");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.waitForURL(/view=.*&q=status%3Aopen%20priority%3Acritical/);
  await page.getByRole("button", { name: "Save changes to view" }).click();
  await page.getByText("View updated.").waitFor();
  await page.getByRole("link", { name: /^Hot and open: \d+ tickets/ }).waitFor();
  await page.getByRole("button", { name: "Delete view" }).click();
  await page.waitForURL(/\/search\?q=/);
  await page.waitForFunction(() => !document.querySelector(".nav-views"));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("Japanese queries, half-width input and messages in Japanese", async () => {
  const page = await openPage(app.browser, { locale: "ja-JP", colorScheme: "dark", viewport: { width: 1280, height: 900 } });
  await page.goto(app.server.url);
  await createWorkspace(page, { lang: "ja", sample: true });
  await typeSearch(page, "再設定", 3);
  assert.equal(await options(page).first().locator("mark").first().innerText(), "再設定");
  // Half-width katakana from an input method finds the full-width word.
  await typeSearch(page, "ﾊﾟｽﾜｰﾄﾞ", 3);
  assert.equal(await options(page).first().locator("mark").first().innerText(), "パスワード");
  await screenshot(page, "search-dropdown-ja-dark");
  await box(page).fill("stauts:open");
  await page.locator(".search-status").filter({ hasText: "「stauts:」というフィルターはありません" }).waitFor();
  await box(page).fill("請求書 status:open");
  await typeSearch(page, "請求書 status:open");
  await box(page).press("Enter");
  await page.getByRole("heading", { level: 1, name: "検索" }).waitFor();
  await page.locator(".search-page .inbox-summary").filter({ hasText: /件のチケット/ }).waitFor();
  await page.getByText("検索のしかた").click();
  await page.getByText("日本語の語は文の途中にあっても見つかります。").waitFor();
  await assertAccessible(page, "search results (ja, dark)");
  await screenshot(page, "search-page-ja-dark");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a ticket made in another tab is found here", async () => {
  const context = await app.browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
  const first = await context.newPage();
  await first.goto(app.server.url);
  await createWorkspace(first);
  const second = await context.newPage();
  await second.goto(app.server.url);
  await second.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
  await createTicket(first, { name: "Tab Person", email: "tab@example.com", subject: "Walrus in the server room" });
  await typeSearch(second, "walrus");
  assert.match(await options(second).first().innerText(), /Walrus in the server room/);
  await context.close();
});

test("search works at phone width", async () => {
  const page = await openPage(app.browser, { viewport: { width: 375, height: 740 } });
  await page.goto(app.server.url);
  await createWorkspace(page, { sample: true });
  await typeSearch(page, "invoice", 2);
  const panel = await page.locator(".search-results").boundingBox();
  assert.ok(panel.width >= 340, `results use the screen's width (${panel.width}px)`);
  const subject = await options(page).first().locator(".search-subject").boundingBox();
  assert.ok(subject.width > 150, `subjects have room (${subject.width}px)`);
  await screenshot(page, "search-phone");
  await page.context().close();
});
