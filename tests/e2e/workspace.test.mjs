// End-to-end journeys of the agent workspace: first run, a ticket from a phone call through its
// whole lifecycle, notes and mentions, drafts that survive a reload, bulk changes and keyboard
// navigation over the sample data, in English and Japanese.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createTicket, createWorkspace, openPage, screenshot, serveAppInBrowser } from "./harness.mjs";

// The release bundle on a local server and one Chromium for all of this file's tests.
const app = serveAppInBrowser();

const hostile = "<img src=x onerror=alert(1)> Printer on fire";

test("a phone call becomes a ticket that goes through its whole life and is still there after a reload", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 } });
  let alerted = false;
  page.on("dialog", async (dialog) => {
    alerted = true;
    await dialog.dismiss();
  });
  await page.goto(app.server.url);
  await createWorkspace(page);
  await page.getByText("No tickets here.").waitFor();

  // New ticket from a phone call, with a new requester.
  await page.getByRole("link", { name: "New ticket" }).click();
  await page.getByRole("heading", { level: 1, name: "New ticket" }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill("Dana Customer");
  await page.getByLabel("Email address").fill("dana@example.com");
  await page.getByLabel("Subject").fill(hostile);
  await page.getByLabel("Description").fill("Called at 9:05. The printer shows error E-42.");
  await screenshot(page, "new-ticket-en");
  await page.getByRole("button", { name: "Create ticket" }).click();

  // The subject is shown as the characters typed, never as HTML.
  await page.getByRole("heading", { level: 1, name: hostile }).waitFor();
  assert.equal(await page.locator("main img").count(), 0, "no element was injected");
  assert.match(new URL(page.url()).pathname, /^\/tickets\/\d+$/);
  const ticketUrl = page.url();

  // A public reply.
  const composer = page.getByRole("textbox", { name: "Message" });
  await composer.fill("Thanks Dana, we are looking into it.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await page.locator(".message-reply").filter({ hasText: "we are looking into it" }).waitFor();

  // An internal note with an @mention picked from the suggestions.
  await page.getByRole("button", { name: "Internal note" }).click();
  await composer.fill("Checking with @al");
  await page.getByRole("list", { name: "Agents to mention" }).getByRole("button", { name: /@alex/ }).click();
  assert.equal(await composer.inputValue(), "Checking with @alex ");
  await composer.pressSequentially("about the spare parts");
  await page.getByRole("button", { name: "Add note" }).click();
  await page.locator(".message-note").filter({ hasText: "@alex about the spare parts" }).waitFor();

  // Through the lifecycle: take it, start, wait for the customer, resolve, reopen, close.
  const status = () => page.locator(".ticket-meta .badge").first().innerText();
  const step = async (button, expected) => {
    await page.getByRole("button", { name: button }).click();
    await page.locator(".ticket-meta .badge").first().filter({ hasText: expected }).waitFor();
  };
  await step("Take it", "Assigned");
  assert.equal(await page.getByLabel("Assignee").locator("option:checked").innerText(), "Alex Agent");
  await step("Start work", "In progress");
  await step("Wait for customer", "Pending");
  await step("Resolve", "Resolved");
  await step("Start work", "In progress");
  await step("Resolve", "Resolved");
  // Only moves the lifecycle allows are offered: no way back to New from Resolved.
  assert.equal(await page.getByRole("button", { name: "Back to new" }).count(), 0);
  await step("Close", "Closed");
  assert.equal(await status(), "Closed");
  await page.getByText("This ticket is closed.").waitFor();
  await page.getByLabel("Priority").isDisabled();

  // The history tells the story.
  await page.getByRole("tab", { name: "History" }).click();
  const history = page.getByRole("tabpanel");
  await history.getByText("created the ticket").waitFor();
  assert.ok((await history.getByText("changed Status from Resolved to In progress").count()) >= 1);
  await history.getByText("added an internal note").waitFor();
  await history.getByText("added a public reply").waitFor();
  await screenshot(page, "ticket-history-en");

  // Reload: all still there.
  await page.reload();
  await page.getByRole("heading", { level: 1, name: hostile }).waitFor();
  await page.locator(".message-reply").filter({ hasText: "we are looking into it" }).waitFor();
  await page.locator(".message-note").filter({ hasText: "spare parts" }).waitFor();
  assert.equal(await status(), "Closed");
  await page.getByRole("link", { name: "Inbox" }).click();
  await page.getByRole("button", { name: /^All/ }).click();
  await page.getByRole("row").filter({ hasText: "Printer on fire" }).waitFor();
  assert.equal(page.url().startsWith(app.server.url), true);
  assert.equal(alerted, false, "no script from the subject ran");
  assert.deepEqual(page.errors, []);
  void ticketUrl;
  await page.context().close();
});

test("an unsent reply survives a reload as a draft", async () => {
  const page = await openPage(app.browser);
  await page.goto(app.server.url);
  await createWorkspace(page, { sample: true });
  await page.getByRole("button", { name: /^Open/ }).click();
  await page.locator("[data-row='0'] .cell-subject a").click();
  await page.getByRole("tab", { name: "Conversation" }).waitFor();
  const composer = page.getByRole("textbox", { name: "Message" });
  await composer.fill("Half-written answer, do not lose me");
  await page.getByText("Draft kept in this browser.").waitFor();
  await page.reload();
  await page.getByRole("textbox", { name: "Message" }).waitFor();
  assert.equal(await page.getByRole("textbox", { name: "Message" }).inputValue(), "Half-written answer, do not lose me");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the inbox over the sample data: queues, sorting, keyboard and a bulk change", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(app.server.url);
  await createWorkspace(page, { sample: true });
  const allTab = page.getByRole("button", { name: /^All/ });
  assert.match(await allTab.innerText(), /300/);
  await allTab.click();
  await page.getByText("300 tickets").waitFor();
  // Only the rows in view are rendered.
  const rendered = await page.locator(".ticket-rows [role=row]").count();
  assert.ok(rendered > 5 && rendered < 80, `virtualised: ${rendered} rows in the DOM`);
  await screenshot(page, "inbox-sample-en");
  // At a laptop width the Updated column shows its whole text ("23 hr. ago", not "23 hours …").
  const cutOff = await page
    .locator(".ticket-rows .cell-updated")
    .evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent));
  assert.deepEqual(cutOff, [], "Updated cells cut off at 1280 px");

  // Rows are re-used as the list scrolls: what each shows follows its position, and a
  // selection follows its ticket, not the row element it was made in.
  await page.getByRole("button", { name: "No." }).click();
  await page.locator("[data-row='0'] .cell-number").filter({ hasText: "#300" }).waitFor();
  await page.locator("[data-row='0'] input[type=checkbox]").check();
  const rowsShown = () =>
    page.evaluate(() =>
      [...document.querySelectorAll(".ticket-rows [role=row]")].map((row) => ({
        index: Number(row.dataset.row),
        number: row.querySelector(".cell-number").textContent.trim(),
        checked: row.querySelector("input").checked,
        subject: row.querySelector(".cell-subject a").textContent,
        subjectTitle: row.querySelector(".cell-subject a").title,
      })),
    );
  for (const firstRow of [100, 101, 140, 37, 0]) {
    await page.locator(".ticket-scroller").evaluate((scroller, top) => (scroller.scrollTop = top), firstRow * 44);
    await page.waitForFunction((index) => document.querySelector(`[data-row='${index}']`)?.getBoundingClientRect().top > 0, firstRow);
    const rows = await rowsShown();
    assert.ok(rows.some((row) => row.index === firstRow), `row ${firstRow} is rendered`);
    rows.forEach((row, at) => {
      assert.equal(row.number, `#${300 - row.index}`, `row ${row.index} shows its ticket`);
      assert.equal(row.checked, row.index === 0, `row ${row.index}: only #300 is selected`);
      // A subject cut off at this width can be read whole on hover, also in a recycled row.
      assert.equal(row.subjectTitle, row.subject, `row ${row.index}: the subject's title is its text`);
      if (at > 0) assert.equal(row.index, rows[at - 1].index + 1, "rows in order");
    });
  }
  // Opening a ticket from far down the list and coming back returns to the same place.
  await page.locator(".ticket-scroller").evaluate((scroller) => (scroller.scrollTop = 140 * 44));
  const far = page.locator("[data-row='141'] .cell-subject a");
  const farSubject = await far.innerText();
  await far.click();
  await page.getByRole("heading", { level: 1, name: farSubject }).waitFor();
  await page.goBack();
  await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
  assert.equal(await page.locator(".ticket-scroller").evaluate((scroller) => scroller.scrollTop), 140 * 44);
  assert.equal(await page.locator("[data-row='141'] .cell-subject").innerText(), farSubject);
  assert.ok(await page.locator("[data-row='141']").isVisible());
  await page.locator(".ticket-scroller").evaluate((scroller) => (scroller.scrollTop = 0));
  await page.locator("[data-row='0'] input[type=checkbox]").uncheck();

  // Sort by priority: critical first.
  await page.getByRole("button", { name: "Priority" }).click();
  assert.equal(await page.getByRole("columnheader", { name: "Priority" }).getAttribute("aria-sort"), "descending");
  assert.equal(await page.locator("[data-row='0'] .cell-priority").innerText(), "Critical");

  // Bulk: select two open tickets (closed ones are frozen), set their priority to Low.
  await page.getByRole("button", { name: /^Open/ }).click();
  await page.locator("[data-row='0'] input[type=checkbox]").check();
  await page.locator("[data-row='1'] input[type=checkbox]").check();
  await page.getByText("2 selected").waitFor();
  await page.getByLabel("Set priority…").selectOption("low");
  await page.locator(".bulk-message").filter({ hasText: "Updated" }).waitFor();
  assert.equal(await page.locator(".bulk-message").innerText(), "Updated 2 tickets.");

  // Keyboard: j moves down, Enter opens.
  await page.locator("[data-row='0']").focus();
  await page.keyboard.press("j");
  const second = await page.locator("[data-row='1'] .cell-subject").innerText();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: second }).waitFor();
  await page.keyboard.press("n");
  assert.equal(await page.getByRole("button", { name: "Internal note" }).getAttribute("aria-pressed"), "true");
  await screenshot(page, "ticket-view-en");

  // ? lists the shortcuts; Escape closes the list; c starts a new ticket; g i goes home.
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await help.waitFor();
  await help.getByText("Select the ticket").waitFor();
  await screenshot(page, "shortcuts-en");
  await page.keyboard.press("Escape");
  await help.waitFor({ state: "hidden" });
  await page.keyboard.press("c");
  await page.getByRole("heading", { level: 1, name: "New ticket" }).waitFor();
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("g");
  await page.keyboard.press("i");
  await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();

  // The inbox keeps the agent's place while a ticket is open: back in it, the cursor row (the
  // second) has the focus again, although j and Enter were pressed on other pages.
  const focusedRow = () => page.evaluate(() => document.activeElement?.dataset?.row);
  await page.waitForFunction(() => document.activeElement?.dataset?.row === "1");
  assert.equal(await page.locator("[data-row='1'] .cell-subject").innerText(), second);
  // A change made on the ticket shows on the way back: resolved, it leaves the Open queue.
  const openCount = async () => Number((await page.getByRole("button", { name: /^Open/ }).innerText()).match(/\d+/)[0]);
  const openBefore = await openCount();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: second }).waitFor();
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("j");
  await page.keyboard.press("e");
  await page.locator(".ticket-meta .badge").first().filter({ hasText: "Resolved" }).waitFor();
  await page.goBack();
  await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
  await page.waitForFunction((count) => document.querySelector("nav.queue-tabs button[aria-pressed=true] .queue-count")?.textContent === String(count), openBefore - 1);
  assert.notEqual(await page.locator("[data-row='1'] .cell-subject").innerText(), second);
  assert.equal(await focusedRow(), "1");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("in Japanese on a phone: set up, open a ticket, reply", async () => {
  const page = await openPage(app.browser, {
    locale: "ja-JP",
    viewport: { width: 375, height: 800 },
    isMobile: true,
    hasTouch: true,
  });
  await page.goto(app.server.url);
  await createWorkspace(page, { lang: "ja", sample: true, name: "サポートデスク" });
  await page.getByRole("button", { name: /^すべて/ }).click();
  await page.getByText("300件のチケット").waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  await screenshot(page, "inbox-sample-ja-phone");
  await page.locator("[data-row='0'] .cell-subject a").click();
  await page.getByRole("tab", { name: "会話" }).waitFor();
  await page.getByRole("textbox", { name: "メッセージ" }).fill("お問い合わせありがとうございます。確認いたします。");
  await page.getByRole("button", { name: "返信を送信" }).click();
  await page.locator(".message-reply").filter({ hasText: "確認いたします" }).waitFor();
  await screenshot(page, "ticket-view-ja-phone");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("customers: find one, see all their tickets; tickets: link and merge by number", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(app.server.url);
  await createWorkspace(page, { sample: true });
  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("heading", { level: 1, name: "Customers" }).waitFor();
  await page.getByText(/Showing 75 of 75 customers/).waitFor();
  await page.getByLabel("Find by name, organisation or email").fill("customer7");
  await page.getByText(/Showing \d+ of \d+ customers/).waitFor();
  await screenshot(page, "customers-en");
  // The first customer with tickets (the last column counts them).
  const row = page.locator(".data-table tbody tr").filter({ has: page.locator("td:last-child", { hasNotText: /^0$/ }) }).first();
  const name = await row.locator("a").innerText();
  const count = Number(await row.locator("td:last-child").innerText());
  await row.locator("a").click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await page.getByText(/customer7\d*@example/).first().waitFor();
  await page.locator(".other-tickets li").first().waitFor();
  assert.equal(await page.locator(".other-tickets li").count(), count, "all of their tickets are listed");

  // Open two tickets: link the first to the second, then merge it into the second.
  await page.getByRole("link", { name: "Inbox" }).click();
  await page.getByRole("button", { name: /^Open/ }).click();
  const second = (await page.locator("[data-row='1'] .cell-number").innerText()).trim();
  const first = (await page.locator("[data-row='0'] .cell-number").innerText()).trim();
  await page.locator("[data-row='0'] .cell-subject a").click();
  await page.getByRole("tab", { name: "Conversation" }).waitFor();
  await page.getByLabel("Ticket number").fill(second);
  await page.getByRole("button", { name: "Link", exact: true }).click();
  await page.getByRole("button", { name: `Unlink ${second}` }).waitFor();
  await page.getByLabel("Ticket number").fill("99999");
  await page.getByRole("button", { name: "Link", exact: true }).click();
  await page.getByText("There is no ticket 99999.").waitFor();

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByLabel("Ticket number").fill(second);
  await page.getByRole("button", { name: "Merge into it" }).click();
  await page.getByText("This ticket was merged into another one:").waitFor();
  await page.getByRole("link", { name: new RegExp(second) }).first().click();
  await page.getByText("Merged into this ticket:").waitFor();
  // The merged ticket's conversation shows in the target's thread, marked with where it came from.
  await page.locator(".thread .message .badge").filter({ hasText: first }).first().waitFor();
  await screenshot(page, "ticket-merged-en");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("settings: agents, teams, categories and a required custom field that tickets must fill before resolving", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 } });
  page.on("dialog", (dialog) => dialog.accept());
  await page.goto(app.server.url);
  await createWorkspace(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { level: 2, name: "Agents" }).waitFor();

  // A new agent, then their capacity and availability.
  const agents = page.getByRole("region", { name: "Agents" }).or(page.locator("section[aria-labelledby=agents-heading]"));
  await agents.getByRole("textbox", { name: "Name" }).fill("Sam Specialist");
  await agents.getByRole("textbox", { name: "Email address" }).fill("sam@example.com");
  await agents.getByRole("button", { name: "Add agent" }).click();
  await page.locator("td strong", { hasText: "Sam Specialist" }).waitFor();
  const capacity = page.getByLabel("Capacity (Sam Specialist)");
  await capacity.fill("0");
  await capacity.press("Tab");
  await page.getByText("Capacity must be at least 1.").waitFor();
  await capacity.fill("5");
  await capacity.press("Tab");
  await page.getByText("Capacity must be at least 1.").waitFor({ state: "hidden" });
  await page.getByLabel("Available (Sam Specialist)").uncheck();
  // (Checked after a reload at the end of the test, when these commits are long done.)

  // A team, a category, and a required choice field.
  await page.getByRole("textbox", { name: "Add team" }).fill("Hardware");
  await page.getByRole("button", { name: "Add team" }).click();
  await page.locator(".named-list li").filter({ hasText: "Hardware" }).waitFor();
  await page.getByRole("textbox", { name: "Add category" }).fill("Printers");
  await page.getByRole("button", { name: "Add category" }).click();
  await page.locator(".named-list li").filter({ hasText: "Printers" }).waitFor();
  await page.getByRole("textbox", { name: "Field name" }).fill("Model");
  await page.getByLabel("Type").selectOption("choice");
  await page.getByRole("textbox", { name: "Options, separated by commas" }).fill("LX-100, LX-200");
  await page.getByRole("checkbox", { name: "Required to resolve" }).check();
  await page.getByRole("button", { name: "Add field" }).click();
  await page.locator(".named-list li").filter({ hasText: "Model" }).waitFor();
  // The form starts over: the next field is not required unless asked for.
  assert.equal(await page.getByRole("checkbox", { name: "Required to resolve" }).isChecked(), false);
  await page.getByRole("textbox", { name: "Field name" }).fill("Units");
  await page.getByLabel("Type").selectOption("number");
  await page.getByRole("button", { name: "Add field" }).click();
  await page.locator(".named-list li").filter({ hasText: "Units" }).waitFor();
  assert.equal(await page.locator(".named-list li").filter({ hasText: "Units" }).locator(".badge").count(), 0);
  await screenshot(page, "settings-team-en");

  // A ticket cannot be resolved until the required field has a value.
  await page.goto(app.server.url + "/tickets/new");
  await createTicket(page, { name: "Pat Printer", subject: "Paper jam" });
  await page.getByLabel("Team").selectOption({ label: "Hardware" });
  await page.getByLabel("Category").selectOption({ label: "Printers" });
  await page.getByRole("button", { name: "Take it" }).click();
  // A number field keeps what the browser read from it (a decimal here), also after a reload.
  await page.getByLabel("Units").fill("12.5");
  await page.getByLabel("Units").press("Tab");
  // The change is committed once it is in the history; a reload before that may cut it off.
  await page.getByRole("tab", { name: "History" }).click();
  await page.getByText("changed Units from None to 12.5").waitFor();
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Paper jam" }).waitFor();
  assert.equal(await page.getByLabel("Units").inputValue(), "12.5");
  await page.getByRole("button", { name: "Resolve" }).click();
  await page.getByText("Fill in Model before resolving.").waitFor();
  await page.getByLabel("Model *").selectOption("LX-200");
  await page.getByRole("button", { name: "Resolve" }).click();
  await page.locator(".ticket-meta .badge").first().filter({ hasText: "Resolved" }).waitFor();
  assert.equal(await page.getByLabel("Model *").inputValue(), "LX-200");
  await page.getByRole("tab", { name: "History" }).click();
  await page.getByText("changed Team from None to Hardware").waitFor();

  await page.goto(app.server.url + "/settings");
  await page.getByRole("heading", { level: 2, name: "Agents" }).waitFor();
  assert.equal(await page.getByLabel("Capacity (Sam Specialist)").inputValue(), "5");
  assert.equal(await page.getByLabel("Available (Sam Specialist)").isChecked(), false);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("settings: an agent's row keeps your place while you edit it and while their tickets change", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(app.server.url);
  await createWorkspace(page);
  await createTicket(page, { name: "Lee Laptop", subject: "Battery drains" });
  const ticketUrl = page.url();
  await page.getByRole("link", { name: "Settings" }).click();
  const skills = page.getByLabel("Skills (Alex Agent)");
  const languages = page.getByLabel("Languages (Alex Agent)");
  const capacity = page.getByLabel("Capacity (Alex Agent)");
  const hasFocus = (locator) => locator.evaluate((element) => element === document.activeElement);

  // Typing on from one field of the row into the next, as fast as a person tabs: the first
  // field's commit does not replace the field being typed in.
  await skills.click();
  await page.keyboard.type("billing");
  await page.keyboard.press("Tab");
  await page.keyboard.type("ja, en");
  // The skills commit lands while the languages field has focus.
  await page.waitForTimeout(300);
  assert.equal(await hasFocus(languages), true);
  assert.equal(await languages.inputValue(), "ja, en");
  await page.keyboard.press("Tab");
  assert.equal(await hasFocus(capacity), true);

  // The agent takes a ticket in another tab while a field of their row is half-typed here: the
  // open count follows, the text and the focus stay.
  await skills.click();
  await skills.press("End");
  await page.keyboard.type(", hardware");
  const other = await page.context().newPage();
  await other.goto(ticketUrl);
  await other.getByRole("button", { name: "Take it" }).click();
  await page.getByText("1 open ticket").waitFor();
  assert.equal(await skills.inputValue(), "billing, hardware");
  assert.equal(await hasFocus(skills), true);
  await page.keyboard.press("Tab");
  await other.close();

  await page.waitForTimeout(300);
  await page.reload();
  await skills.waitFor();
  assert.equal(await skills.inputValue(), "billing, hardware");
  assert.equal(await languages.inputValue(), "en, ja");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a change to the ticket keeps your place: focus, the open tab, the note you are writing and half-typed fields", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(app.server.url);
  await createWorkspace(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("textbox", { name: "Field name" }).fill("Serial number");
  await page.getByRole("button", { name: "Add field" }).click();
  await page.locator(".named-list li").filter({ hasText: "Serial number" }).waitFor();
  await page.goto(app.server.url + "/tickets/new");
  await createTicket(page, { name: "Kim Keyboard", subject: "Screen flickers" });
  const priorityBadge = (name) => page.locator(".ticket-meta .badge").filter({ hasText: name }).waitFor();
  const priority = page.getByRole("combobox", { name: "Priority", exact: true });
  const hasFocus = (locator) => locator.evaluate((element) => element === document.activeElement);

  // Each arrow key on the priority list commits at once and rebuilds the view; focus stays on
  // the list, so the next arrow key goes on from there.
  await priority.focus();
  await page.keyboard.press("ArrowUp");
  await priorityBadge("High");
  assert.equal(await hasFocus(priority), true);
  await page.keyboard.press("ArrowUp");
  await priorityBadge("Critical");
  assert.equal(await hasFocus(priority), true);

  // A note being written stays a note, and the History tab stays open, when the ticket changes.
  await page.getByRole("button", { name: "Internal note" }).click();
  await page.getByRole("textbox", { name: "Message" }).fill("Checked the cable");
  await priority.selectOption("low");
  await priorityBadge("Low");
  assert.equal(await page.getByRole("button", { name: "Internal note" }).getAttribute("aria-pressed"), "true");
  assert.equal(await page.getByRole("textbox", { name: "Message" }).inputValue(), "Checked the cable");
  await page.getByRole("tab", { name: "History" }).click();
  await priority.selectOption("high");
  await page.getByText("changed Priority from Low to High").waitFor();

  // Half-typed text survives a change made in another tab, and is saved when the field is left.
  const other = await page.context().newPage();
  await other.goto(page.url());
  await other.getByRole("heading", { level: 1, name: "Screen flickers" }).waitFor();
  await page.getByRole("textbox", { name: "Add tag" }).fill("hardware");
  await page.getByLabel("Serial number").fill("SN-4411");
  await other.getByRole("combobox", { name: "Priority", exact: true }).selectOption("medium");
  await priorityBadge("Medium");
  assert.equal(await page.getByLabel("Serial number").inputValue(), "SN-4411");
  assert.equal(await hasFocus(page.getByLabel("Serial number")), true);
  assert.equal(await page.getByRole("textbox", { name: "Add tag" }).inputValue(), "hardware");
  await page.keyboard.press("Tab");
  await page.getByText("changed Serial number from None to SN-4411").waitFor();
  await page.getByRole("textbox", { name: "Add tag" }).press("Enter");
  await page.locator(".tag-list .tag").filter({ hasText: "hardware" }).waitFor();
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Screen flickers" }).waitFor();
  assert.equal(await page.getByLabel("Serial number").inputValue(), "SN-4411");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("in Japanese: a ticket through reply, note, assignment, the whole lifecycle with a reopen, a reload, and a bulk change", async () => {
  const page = await openPage(app.browser, { locale: "ja-JP", viewport: { width: 1280, height: 900 } });
  await page.goto(app.server.url);
  await createWorkspace(page, { lang: "ja", sample: true, name: "サポートデスク" });

  await page.getByRole("link", { name: "新規チケット" }).click();
  await page.getByRole("heading", { level: 1, name: "新規チケット" }).waitFor();
  await page.getByLabel("名前", { exact: true }).fill("高橋 一郎");
  await page.getByLabel("メールアドレス").fill("ichiro.takahashi@example.jp");
  await page.getByLabel("件名").fill("請求書の宛名を変更したい");
  await page.getByLabel("内容").fill("お電話にて受付。先月分の請求書の宛名を会社名に変更希望。");
  await page.getByRole("button", { name: "チケットを作成" }).click();
  await page.getByRole("heading", { level: 1, name: "請求書の宛名を変更したい" }).waitFor();

  const composer = page.getByRole("textbox", { name: "メッセージ" });
  await composer.fill("お問い合わせありがとうございます。宛名を変更した請求書を再発行いたします。");
  await page.getByRole("button", { name: "返信を送信" }).click();
  await page.locator(".message-reply").filter({ hasText: "再発行いたします" }).waitFor();
  await page.getByRole("button", { name: "社内メモ" }).click();
  await composer.fill("経理チームに確認済み");
  await page.getByRole("button", { name: "メモを追加" }).click();
  await page.locator(".message-note").filter({ hasText: "経理チームに確認済み" }).waitFor();

  const badge = page.locator(".ticket-meta .badge").first();
  await page.getByLabel("担当者").selectOption({ label: "山田 花子" });
  await badge.filter({ hasText: "割り当て済み" }).waitFor();
  for (const [button, status] of [
    ["対応を開始", "対応中"],
    ["顧客の返答待ちにする", "保留（顧客待ち）"],
    ["解決済みにする", "解決済み"],
    ["対応を開始", "対応中"],
    ["解決済みにする", "解決済み"],
    ["クローズする", "クローズ"],
  ]) {
    await page.getByRole("button", { name: button }).click();
    await badge.filter({ hasText: status }).waitFor();
  }
  await page.getByText("このチケットはクローズされています。").waitFor();
  await page.getByRole("tab", { name: "履歴" }).click();
  await page.getByText("ステータスを「解決済み」から「対応中」に変更").first().waitFor();
  await screenshot(page, "ticket-history-ja");

  await page.reload();
  await page.getByRole("heading", { level: 1, name: "請求書の宛名を変更したい" }).waitFor();
  await page.locator(".message-note").filter({ hasText: "経理チームに確認済み" }).waitFor();
  assert.equal(await badge.innerText(), "クローズ");

  await page.getByRole("link", { name: "受信箱" }).click();
  // All, newest change first: row 0 is the ticket just closed. A bulk change on it and an open
  // ticket changes the open one and says why the closed one was left as it was.
  await page.getByRole("button", { name: /^すべて/ }).click();
  await page.locator("[data-row='0'] .cell-subject").filter({ hasText: "請求書の宛名を変更したい" }).waitFor();
  const openRow = page.locator(".ticket-rows [role=row]").filter({ hasNot: page.locator(".status-closed") }).first();
  const openSubject = await openRow.locator(".cell-subject").innerText();
  await openRow.locator("input[type=checkbox]").check();
  assert.notEqual(openSubject, "");
  await page.locator("[data-row='0'] input[type=checkbox]").check();
  await page.getByText("2件を選択中").waitFor();
  await page.getByLabel("優先度を設定…").selectOption("high");
  await page.locator(".bulk-message").filter({ hasText: "更新しました" }).waitFor();
  assert.equal(
    await page.locator(".bulk-message").innerText(),
    "1件を更新しました。1件は変更されていません: このチケットはクローズされています。フォローアップのチケットを作成してください。",
  );
  void openSubject;
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
