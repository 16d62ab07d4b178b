// axe-core on the screens an agent works in, in both languages and both colour schemes: no
// serious or critical violation (contrast, names of controls, roles, landmarks).

import { test } from "node:test";
import { assertAccessible, createWorkspace, openPage, serveAppInBrowser } from "./harness.mjs";

// The release bundle on a local server and one Chromium for all of this file's tests.
const app = serveAppInBrowser();

for (const [lang, locale, colorScheme] of [
  ["en", "en-US", "light"],
  ["ja", "ja-JP", "dark"],
]) {
  test(`inbox, ticket view, new ticket and settings pass axe (${lang}, ${colorScheme})`, async () => {
    const page = await openPage(app.browser, { locale, colorScheme, viewport: { width: 1280, height: 900 } });
    await page.goto(app.server.url);
    await assertAccessible(page, "first run");
    await createWorkspace(page, { lang, sample: true });
    await page.locator("[data-row='0'] input[type=checkbox]").check();
    await assertAccessible(page, "inbox with a selection");

    await page.locator("[data-row='1'] .cell-subject a").click();
    await page.getByRole("tab").first().waitFor();
    await assertAccessible(page, "ticket view");
    await page.getByRole("tab").nth(1).click();
    await assertAccessible(page, "ticket history");

    await page.goto(app.server.url + "/tickets/new");
    await page.getByRole("heading", { level: 1 }).waitFor();
    await assertAccessible(page, "new ticket");

    await page.goto(app.server.url + "/settings");
    await page.getByTestId("contents").waitFor();
    await assertAccessible(page, "settings");
    await page.context().close();
  });
}
