// End-to-end journey of rules with the browser's clock injected: an admin sets up a business
// calendar, a one-hour first-reply policy, an escalation tier (the Specialists team) and a
// time-based rule "escalate breaches". A ticket opened on a Friday evening breaches on Monday
// morning in business time; the background job in this tab escalates it to the Specialists and
// assigns it to their agent, which the inbox, the ticket and its history show. The rule editor's
// test against a ticket, and the editor in Japanese, pass axe.

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertAccessible, createTicket, createWorkspace, openPage, screenshot, serveAppInBrowser } from "./harness.mjs";

// The release bundle on a local server and one Chromium for all of this file's tests.
const app = serveAppInBrowser();

/** Office hours (Mon–Fri 09:00–18:00 in the workspace's zone) and a one-hour first reply. */
async function setUpPolicy(page) {
  await page.getByRole("button", { name: "New calendar" }).click();
  await page.getByLabel("Calendar name").fill("Tokyo office");
  await page.getByRole("button", { name: "Save calendar" }).click();
  await page.locator("[data-calendar]").first().waitFor();
  await page.getByRole("button", { name: "New policy" }).click();
  await page.getByLabel("Policy name").fill("Standard");
  await page.getByLabel("First reply: hours").fill("1");
  await page.getByRole("button", { name: "Save policy" }).click();
  await page.locator("[data-policy]").first().waitFor();
}

async function createTicketFromInbox(page, subject) {
  await page.getByRole("link", { name: "Inbox" }).first().click();
  await createTicket(page, { name: "Dana Customer", email: "dana@example.com", subject });
}

const hours = (h, m = 0) => (h * 60 + m) * 60_000;

/** Moves the injected clock and lets the background jobs tick (every 30 seconds). */
async function advance(page, duration) {
  await page.clock.fastForward(duration);
  await page.clock.runFor(31_000);
}

test("a breach in business time escalates the ticket to the specialists and assigns it, by a rule", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 }, timezoneId: "Asia/Tokyo" });
  page.on("dialog", (dialog) => dialog.accept());
  // Friday 9 January 2026, 17:30 in Tokyo.
  await page.clock.install({ time: new Date("2026-01-09T17:30:00+09:00") });
  await page.goto(app.server.url);
  await createWorkspace(page);
  await page.getByRole("link", { name: "Settings" }).click();

  // The Specialists team and its agent.
  await page.getByRole("textbox", { name: "Add team" }).fill("Specialists");
  await page.getByRole("button", { name: "Add team" }).click();
  await page.locator(".named-list li").filter({ hasText: "Specialists" }).waitFor();
  const agents = page.locator("section[aria-labelledby=agents-heading]");
  await agents.getByRole("textbox", { name: "Name" }).fill("Sam Specialist");
  await agents.getByRole("textbox", { name: "Email address" }).fill("sam@example.com");
  await agents.getByRole("button", { name: "Add agent" }).click();
  await page.locator("td strong", { hasText: "Sam Specialist" }).waitFor();
  await page.getByLabel("Team (Sam Specialist)").selectOption({ label: "Specialists" });

  await setUpPolicy(page);

  // One escalation tier: the Specialists, whoever of them is least loaded.
  const escalation = page.locator("section[aria-labelledby=escalation-heading]");
  await escalation.getByRole("button", { name: "Add tier" }).click();
  await escalation.getByLabel("Tier name 1").fill("Specialists");
  await escalation.getByLabel("Team 1").selectOption({ label: "Specialists" });
  await escalation.getByRole("button", { name: "Save tiers" }).click();
  await escalation.getByText("Escalation tiers saved.").waitFor();

  // The rule: on an SLA breach, escalate one tier and tag the ticket.
  const rules = page.locator("section[aria-labelledby=rules-heading]");
  await rules.getByRole("button", { name: "New rule" }).click();
  await rules.getByLabel("Rule name").fill("Escalate breaches");
  await rules.getByLabel("When").selectOption({ label: "An SLA target is breached" });
  await rules.getByLabel("Action 1").selectOption({ label: "Escalate one tier" });
  await rules.getByRole("button", { name: "Add action" }).click();
  await rules.getByLabel("Action 2").selectOption({ label: "Add tag" });
  await rules.getByLabel("Value 2").fill("sla-breached");
  await assertAccessible(page, "rule editor");
  await screenshot(page, "rules-editor-en");
  await rules.getByRole("button", { name: "Save rule" }).click();
  const saved = rules.locator("[data-rule]");
  await saved.first().waitFor();
  assert.match(await saved.first().innerText(), /Escalate breaches[\s\S]*An SLA target is breached[\s\S]*Escalate one tier · Add tag/);

  // A rule that cannot be saved says why, next to it.
  await rules.getByRole("button", { name: "New rule" }).click();
  await rules.getByLabel("Rule name").fill("Broken");
  await rules.getByLabel("When").selectOption({ label: "Hours pending" });
  await rules.getByRole("spinbutton", { name: "Hours" }).fill("0");
  await rules.getByRole("button", { name: "Save rule" }).click();
  await rules.getByText("The hours must be between 1 and 8784.").waitFor();
  await rules.getByRole("button", { name: "Cancel" }).click();

  // The ticket, opened Friday 17:30: due Monday 09:30 in business time.
  await createTicketFromInbox(page, "Invoice PDF is blank");

  // Testing the rule against the ticket shows what it would do.
  await page.getByRole("link", { name: "Settings" }).click();
  await rules.getByRole("button", { name: "Edit “Escalate breaches”" }).click();
  await rules.getByLabel("Ticket number").fill("1");
  await rules.getByRole("button", { name: "Test", exact: true }).click();
  const preview = rules.locator(".preview-result");
  await preview.getByText("The rule would act on this ticket.").waitFor();
  assert.match(await preview.innerText(), /Escalate one tier — would change the ticket/);
  await screenshot(page, "rules-preview-en");
  await rules.getByRole("button", { name: "Cancel" }).click();

  // Monday 09:45: breached. The next tick of the background job escalates and reassigns.
  await page.getByRole("link", { name: "Inbox" }).first().click();
  await page.locator(".ticket-rows .cell-sla .sla").first().waitFor();
  await advance(page, hours(64, 15));
  await page.locator('.ticket-rows .sla[data-sla="breached"]').waitFor();
  await page.locator(".ticket-rows .cell-assignee", { hasText: "Sam Specialist" }).waitFor();
  await screenshot(page, "rules-inbox-escalated-en");

  await page.locator(".ticket-rows .cell-subject a").first().click();
  await page.locator("[data-escalation='1']", { hasText: "Escalated: Specialists" }).waitFor();
  assert.equal(await page.getByLabel("Assignee").locator("option:checked").innerText(), "Sam Specialist");
  assert.equal(await page.getByRole("combobox", { name: /^Team/ }).locator("option:checked").innerText(), "Specialists");
  await page.getByRole("tab", { name: "History" }).click();
  const history = page.getByRole("tabpanel");
  await history.getByText("escalated to Specialists").waitFor();
  const byRule = history.locator("li", { hasText: "Rule “Escalate breaches”" });
  const lines = await byRule.allInnerTexts();
  assert.ok(lines.some((line) => /Assignee/.test(line) && /Sam Specialist/.test(line)), lines.join("\n"));
  assert.ok(lines.some((line) => /sla-breached/.test(line)), "the tag, by the rule");
  await screenshot(page, "rules-history-en");
  await assertAccessible(page, "ticket history with rule entries");

  // It happened once: another hour of ticks does not escalate again.
  await advance(page, hours(1));
  await page.reload();
  await page.getByRole("tab", { name: "History" }).click();
  await page.getByRole("tabpanel").getByText("escalated to Specialists").waitFor();
  assert.equal(await page.getByRole("tabpanel").getByText("escalated to Specialists").count(), 1);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the rule editor in Japanese, at phone width", async () => {
  const page = await openPage(app.browser, { viewport: { width: 375, height: 800 }, locale: "ja-JP" });
  await page.goto(app.server.url);
  await createWorkspace(page, { lang: "ja" });
  await page.getByRole("link", { name: "設定" }).click();
  const rules = page.locator("section[aria-labelledby=rules-heading]");
  await rules.getByRole("button", { name: "新しいルール" }).click();
  await rules.getByLabel("ルール名").fill("至急は高優先度");
  await rules.getByRole("button", { name: "条件を追加 (次のすべての条件を満たす)" }).click();
  await rules.getByLabel("項目 1").selectOption({ label: "件名" });
  await rules.getByLabel("値 1").fill("至急");
  await rules.getByLabel("アクション 2").selectOption({ label: "優先度を設定" });
  await rules.getByLabel("値 2").selectOption({ label: "高" });
  await assertAccessible(page, "rule editor (ja)");
  await screenshot(page, "rules-editor-ja-phone");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the editor fits the phone's width (${overflow}px too wide)`);
  await rules.getByRole("button", { name: "ルールを保存" }).click();
  await rules.locator("[data-rule]").first().waitFor();

  // The rule acts on a new ticket whose subject has the word.
  await page.getByRole("link", { name: "受信箱" }).first().click();
  await page.getByRole("link", { name: "新規チケット" }).click();
  await page.getByLabel("名前", { exact: true }).fill("鈴木 一郎");
  await page.getByLabel("件名").fill("【至急】ログインできません");
  await page.getByRole("button", { name: "チケットを作成" }).click();
  await page.getByRole("heading", { level: 1, name: "【至急】ログインできません" }).waitFor();
  assert.equal(await page.getByLabel("優先度").locator("option:checked").innerText(), "高");
  await page.getByRole("tab", { name: "履歴" }).click();
  await page.getByRole("tabpanel").locator("li", { hasText: "ルール「至急は高優先度」" }).first().waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("notifications: a rule assigns me a ticket, its SLA warns, the bell lists both and remembers what I read", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 }, timezoneId: "Asia/Tokyo" });
  // Monday 12 January 2026, 10:00 in Tokyo.
  await page.clock.install({ time: new Date("2026-01-12T10:00:00+09:00") });
  await page.goto(app.server.url);
  await createWorkspace(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await setUpPolicy(page);
  const rules = page.locator("section[aria-labelledby=rules-heading]");
  await rules.getByRole("button", { name: "New rule" }).click();
  await rules.getByLabel("Rule name").fill("Give me phone calls");
  await rules.getByLabel("Action 1").selectOption({ label: "Set assignee" });
  await rules.getByLabel("Value 1").selectOption({ label: "Alex Agent" });
  await rules.getByRole("button", { name: "Save rule" }).click();
  await rules.locator("[data-rule]").first().waitFor();

  const bell = page.locator("button.bell");
  assert.equal(await bell.getAttribute("aria-label"), "Notifications");
  await createTicketFromInbox(page, "Printer jam");
  await page.locator('button.bell[aria-label="Notifications (1 unread)"]').waitFor();
  // 45 of the 60 minutes gone: the first reply is due soon.
  await advance(page, hours(0, 46));
  await page.locator('button.bell[aria-label="Notifications (2 unread)"]').waitFor();

  await bell.click();
  const panel = page.locator("#notification-panel");
  const items = panel.locator(".notification-list li");
  await items.nth(1).waitFor();
  const texts = await items.allInnerTexts();
  assert.match(texts[0], /First reply due soon: #1 Printer jam/);
  assert.match(texts[1], /Rule “Give me phone calls” assigned you #1 Printer jam/);
  await assertAccessible(page, "notification panel");
  await screenshot(page, "notifications-en");
  // Opening one marks it read; "mark all as read" does the rest.
  await items.first().getByRole("link").click();
  await page.getByRole("heading", { level: 1, name: "Printer jam" }).waitFor();
  await page.locator('button.bell[aria-label="Notifications (1 unread)"]').waitFor();
  await bell.click();
  await panel.getByRole("button", { name: "Mark all as read" }).click();
  await page.locator('button.bell[aria-label="Notifications"]').waitFor();
  await bell.click();

  // Remembered: after a reload nothing is unread and the list is still there; no alert twice.
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Printer jam" }).waitFor();
  await advance(page, hours(0, 5));
  assert.equal(await bell.getAttribute("aria-label"), "Notifications");
  await bell.click();
  assert.equal(await page.locator("#notification-panel .notification-list li").count(), 2);
  // 11:00 passes: the breach is new, whatever was read before.
  await advance(page, hours(0, 10));
  await page.locator('button.bell[aria-label="Notifications (1 unread)"]').waitFor();
  await page.locator("#notification-panel li.unread", { hasText: "First reply breached: #1 Printer jam" }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
