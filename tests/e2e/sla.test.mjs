// End-to-end journeys of SLAs with the browser's clock injected: an admin sets up a Tokyo business
// calendar (holidays imported from an .ics file) and a policy; a ticket opened on a Friday evening
// counts its first-reply target in business hours only, across the weekend and the imported
// holiday, goes from on track to due soon to breached in the inbox and on the ticket, and a reply
// settles it. In English and Japanese; axe runs on the settings editors and the ticket.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertAccessible, createWorkspace, openPage, repoRoot, screenshot, serveAppInBrowser } from "./harness.mjs";

// The release bundle on a local server and one Chromium for all of this file's tests.
const app = serveAppInBrowser();

const holidays = join(repoRoot, "tests/fixtures/holidays-ja.ics");

const labels = {
  en: {
    settings: "Settings",
    newCalendar: "New calendar",
    calendarName: "Calendar name",
    importIcs: "Import holidays from an .ics file",
    imported: /\d+ holidays imported; 1 event could not be used/,
    saveCalendar: "Save calendar",
    newPolicy: "New policy",
    policyName: "Policy name",
    firstReplyHours: "First reply: hours",
    resolutionHours: "Resolution: hours",
    savePolicy: "Save policy",
    newTicket: "New ticket",
    name: "Name",
    email: "Email address",
    subject: "Subject",
    description: "Description",
    create: "Create ticket",
    inbox: "Inbox",
    message: "Message",
    sendReply: "Send reply",
    firstReply: "First reply",
  },
  ja: {
    settings: "設定",
    newCalendar: "新しいカレンダー",
    calendarName: "カレンダー名",
    importIcs: ".ics ファイルから休日を取り込む",
    imported: /\d+日の休日を取り込みました。1件の予定は使えませんでした/,
    saveCalendar: "カレンダーを保存",
    newPolicy: "新しいポリシー",
    policyName: "ポリシー名",
    firstReplyHours: "初回返信: 時間",
    resolutionHours: "解決: 時間",
    savePolicy: "ポリシーを保存",
    newTicket: "新規チケット",
    name: "名前",
    email: "メールアドレス",
    subject: "件名",
    description: "内容",
    create: "チケットを作成",
    inbox: "受信箱",
    message: "メッセージ",
    sendReply: "返信を送信",
    firstReply: "初回返信",
  },
};

/** Sets up the Tokyo office calendar with imported holidays, and a policy with a one-hour first reply. */
async function setUpSla(page, l) {
  await page.getByRole("link", { name: l.settings }).click();
  await page.getByRole("button", { name: l.newCalendar }).click();
  await page.getByLabel(l.calendarName).fill(l === labels.ja ? "東京オフィス" : "Tokyo office");
  await page.getByLabel(l.importIcs).setInputFiles(holidays);
  await page.getByRole("status").filter({ hasText: l.imported }).waitFor();
  const list = page.locator(".holiday-list");
  // The folded summary, joined inside a character, and the yearly rule expanded.
  await list.getByText("成人の日").first().waitFor();
  assert.ok((await list.innerText()).includes("2026-01-12"), "Coming of Age Day 2026 (second Monday)");
  await screenshot(page, `sla-calendar-editor-${l === labels.ja ? "ja" : "en"}`);
  await assertAccessible(page, "calendar editor");
  await page.getByRole("button", { name: l.saveCalendar }).click();
  const saved = page.locator("[data-calendar]").first();
  await saved.waitFor();
  assert.match(await saved.innerText(), /(Holidays|休日): 9/, "the imported holidays were saved");

  await page.getByRole("button", { name: l.newPolicy }).click();
  await page.getByLabel(l.policyName).fill(l === labels.ja ? "標準" : "Standard");
  await page.getByLabel(l.firstReplyHours).fill("1");
  await page.getByLabel(l.resolutionHours).fill("16");
  await assertAccessible(page, "policy editor");
  await screenshot(page, `sla-policy-editor-${l === labels.ja ? "ja" : "en"}`);
  await page.getByRole("button", { name: l.savePolicy }).click();
  await page.locator("[data-policy]").first().waitFor();
}

async function createTicket(page, l, subject) {
  await page.getByRole("link", { name: l.inbox }).first().click();
  await page.getByRole("link", { name: l.newTicket }).click();
  await page.getByLabel(l.name, { exact: true }).fill("Dana Customer");
  await page.getByLabel(l.email).fill("dana@example.com");
  await page.getByLabel(l.subject).fill(subject);
  await page.getByLabel(l.description).fill("The invoice PDF is blank.");
  await page.getByRole("button", { name: l.create }).click();
  await page.getByRole("heading", { level: 1, name: subject }).waitFor();
}

const badge = (page) => page.locator(".ticket-rows .cell-sla .sla");
const firstReply = (page) => page.locator('.sla-metric[data-metric="first_reply"]');

const hours = (h, m = 0) => (h * 60 + m) * 60_000;

/** Moves the injected clock and lets the countdown tick (it moves every 30 seconds). */
async function advance(page, duration) {
  await page.clock.fastForward(duration);
  await page.clock.runFor(31_000);
}

for (const lang of ["en", "ja"]) {
  test(`a first reply breaches in business hours, across a weekend and an imported holiday (${lang})`, async () => {
    const l = labels[lang];
    const page = await openPage(app.browser, {
      viewport: { width: 1280, height: 900 },
      timezoneId: "Asia/Tokyo",
      locale: lang === "ja" ? "ja-JP" : "en-US",
    });
    page.on("dialog", (dialog) => dialog.accept());
    // Friday 9 January 2026, 17:30 in Tokyo.
    await page.clock.install({ time: new Date("2026-01-09T17:30:00+09:00") });
    await page.goto(app.server.url);
    await createWorkspace(page, { lang });
    await setUpSla(page, l);

    await createTicket(page, l, "Invoice PDF is blank");
    // Half an hour today; Monday 12 January is a holiday: due Tuesday 09:30, which is 3 days and
    // 16 hours away in real time.
    const metric = firstReply(page);
    await metric.locator(".sla-running").waitFor();
    const shown = await metric.innerText();
    assert.match(shown, lang === "ja" ? /残り3日16時間/ : /due in 3d 16h/);
    assert.match(shown, /13.*9:30/, "the due time, in the reader's locale");

    await page.getByRole("link", { name: l.inbox }).first().click();
    await badge(page).first().waitFor();
    assert.equal(await badge(page).first().getAttribute("data-sla"), "running");

    // Monday 12:00 (the holiday): still half an hour left, and a weekend plus a holiday in the
    // countdown's real time.
    await advance(page, hours(66, 30));
    assert.equal(await badge(page).first().getAttribute("data-sla"), "running");
    assert.match(await badge(page).first().getAttribute("aria-label"), new RegExp(`${l.firstReply}`));
    // Tuesday 09:20: due soon (75% of the hour, 45 minutes, was gone at 09:15).
    await advance(page, hours(21, 20));
    await page.locator('.ticket-rows .sla[data-sla="warning"]').waitFor();
    await screenshot(page, `sla-inbox-warning-${lang}`);
    // Tuesday 09:45: breached, and the badge says by how much.
    await advance(page, hours(0, 25));
    await page.locator('.ticket-rows .sla[data-sla="breached"]').waitFor();
    assert.match(await badge(page).first().innerText(), lang === "ja" ? /超過/ : /over/);
    await screenshot(page, `sla-inbox-breached-${lang}`);

    // The ticket shows the breach; a reply completes the target, which stays breached.
    await page.locator(".ticket-rows .cell-subject a").first().click();
    await metric.locator(".sla-breached").waitFor();
    await page.getByRole("textbox", { name: l.message }).fill("Sorry for the wait: a new PDF is attached.");
    await page.getByRole("button", { name: l.sendReply }).click();
    await page.locator(".message-reply").first().waitFor();
    await metric.locator(".sla-breached").waitFor();
    assert.match(await metric.innerText(), lang === "ja" ? /に完了/ : /Done/);
    await screenshot(page, `sla-ticket-${lang}`);
    await assertAccessible(page, "ticket with SLA");

    // Everything is stored: after a reload the policy and the state are the same.
    await page.reload();
    await metric.locator(".sla-breached").waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test("SLA badges fit the phone layout", async () => {
  const page = await openPage(app.browser, { viewport: { width: 375, height: 800 }, timezoneId: "Asia/Tokyo" });
  // The same week as the other tests, so the imported window (a year back, five ahead) is the same.
  await page.clock.install({ time: new Date("2026-01-09T10:00:00+09:00") });
  await page.goto(app.server.url);
  await createWorkspace(page);
  const l = labels.en;
  await setUpSla(page, l);
  await createTicket(page, l, "Phone layout ticket");
  await page.getByRole("link", { name: l.inbox }).first().click();
  const shown = badge(page).first();
  await shown.waitFor();
  const box = await shown.boundingBox();
  assert.ok(box && box.x + box.width <= 375, "the badge is on screen");
  await screenshot(page, "sla-inbox-phone");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a policy's channel and priority conditions are kept and pick the tickets it applies to", async () => {
  const page = await openPage(app.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(app.server.url);
  await createWorkspace(page);
  const l = labels.en;
  await page.getByRole("link", { name: l.settings }).click();
  await page.getByRole("button", { name: l.newPolicy }).click();
  await page.getByLabel(l.policyName).fill("Urgent email");
  await page.getByLabel(l.firstReplyHours).fill("1");
  const choice = (key) => page.locator(`.choice[data-choice="${key}"] input`);
  await choice("email").check();
  await choice("critical").check();
  await choice("high").check();
  await choice("high").uncheck();
  await page.getByRole("button", { name: l.savePolicy }).click();
  const saved = page.locator("[data-policy]").first();
  await saved.waitFor();

  // Stored as chosen: after a reload the editor shows exactly those conditions.
  await page.reload();
  await page.getByRole("button", { name: "Edit “Urgent email”" }).click();
  const checked = await page
    .locator(".choice")
    .evaluateAll((choices) => choices.filter((c) => c.querySelector("input").checked).map((c) => c.dataset.choice));
  assert.deepEqual(checked.sort(), ["critical", "email"]);
  await page.getByRole("button", { name: "Cancel" }).click();

  // A phone ticket is outside the policy; an email one of critical priority is inside it.
  await createTicket(page, l, "Phone call about an invoice");
  assert.equal(await firstReply(page).count(), 0, "no SLA for a phone ticket");
  await page.getByRole("link", { name: l.inbox }).first().click();
  await page.getByRole("link", { name: l.newTicket }).click();
  await page.getByLabel("Channel").selectOption("email");
  await page.getByLabel(l.name, { exact: true }).fill("Erin Customer");
  await page.getByLabel(l.subject).fill("Email about an outage");
  await page.getByRole("button", { name: l.create }).click();
  await page.getByRole("heading", { level: 1, name: "Email about an outage" }).waitFor();
  assert.equal(await firstReply(page).count(), 0, "no SLA while the priority is not critical");
  await page.getByLabel("Priority").selectOption("critical");
  await firstReply(page).locator(".sla-running").waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
