// Browser checks of the Sluice portal and console, run by PortalBrowserTest against a live server.
// Environment: SLUICE_URL, SLUICE_TOKEN (an operator token), PUBLISHED_RELEASE, BLOCKED_RELEASE,
// SCREENSHOTS (a directory), and optionally DOCS_IMG (a directory for the README's screenshots).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import path from "node:path";

const base = process.env.SLUICE_URL;
const token = process.env.SLUICE_TOKEN;
const published = process.env.PUBLISHED_RELEASE;
const blocked = process.env.BLOCKED_RELEASE;
const shots = process.env.SCREENSHOTS;
const docs = process.env.DOCS_IMG;

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, name + ".png"), fullPage: true });
  if (docs) await page.screenshot({ path: path.join(docs, name + ".png") });
}

function step(text) {
  console.log("- " + text);
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const page = await context.newPage();
  const cspViolations = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });

  step("the portal lists the releases, the blocked one with its reason and note");
  let res = await page.goto(base + "/");
  assert.equal(res.status(), 200);
  assert.ok(res.headers()["etag"], "the portal sends an ETag");
  assert.match(res.headers()["cache-control"], /public/);
  assert.match(res.headers()["content-security-policy"], /script-src 'self'/);
  const blockedItem = page.locator(`li[data-release="${blocked}"]`);
  await assert.doesNotReject(blockedItem.waitFor());
  assert.match(await blockedItem.innerText(), /blocked/);
  assert.match(await blockedItem.locator(".failed").innerText(), /\S/);
  assert.match(await blockedItem.locator(".note").innerText(), /Expected by 2027-01-15/);
  const body = await page.locator("body").innerText();
  assert.ok(!/phone-\d/.test(body), "no device is ever shown publicly");
  await shot(page, "portal");

  step("following the blocked release's reason");
  await blockedItem.locator("a").first().click();
  await page.waitForURL(`**/releases/${blocked}`);
  const why = await page.locator("section.blocked").innerText();
  assert.match(why, /Why it is blocked/);
  assert.match(why, /telemetry\.example\.net|network|endpoint/i);

  step("a published release's page shows its capability diff and the verify commands");
  res = await page.goto(base + "/releases/" + published);
  assert.equal(res.status(), 200);
  const added = await page.locator("section.diff ul.added").innerText();
  assert.match(added, /maps\.example\.org:443/);
  assert.match(added, /Downloads offline map updates/);
  const cli = await page.locator("#verify-cli").innerText();
  assert.ok(cli.includes(`sluice verify --server ${base} --root root.json --log-key `), cli);
  assert.ok(cli.trim().endsWith(published), cli);
  const curl = await page.locator("#verify-curl").innerText();
  assert.match(curl, /\/log\/checkpoint/);
  assert.match(curl, /\/log\/v1\/inclusion\?index=\d+&tree_size=\d+/);
  await shot(page, "release");

  step("usable by keyboard and on a phone-wide screen");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to content");
  await page.setViewportSize({ width: 360, height: 740 });
  for (const url of [base + "/", base + "/releases/" + published, base + "/log"]) {
    await page.goto(url);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, url + " is " + width + "px wide at a 360px viewport");
  }
  await page.setViewportSize({ width: 1000, height: 760 });

  step("the log page and the Atom feed");
  res = await page.goto(base + "/log");
  assert.equal(res.status(), 200);
  assert.match(await page.locator("#log-key").innerText(), /\+/);
  const feed = await page.request.get(base + "/feeds/acme-phone.atom");
  assert.equal(feed.status(), 200);
  assert.match(await feed.text(), /acme-phone 1\.1\.0 published/);

  step("the console refuses without a login");
  const anonymous = await browser.newContext();
  const anon = await anonymous.newPage();
  await anon.goto(base + "/console/rollouts");
  assert.ok(anon.url().endsWith("/console/login"), anon.url());
  const anonApi = await anon.request.post(base + "/console/api/v1/rollouts", { data: "{}" });
  assert.equal(anonApi.status(), 401);
  await anonymous.close();

  step("signing in to the console");
  await page.goto(base + "/console/login");
  await page.fill("#token", token);
  await page.click("form.stack button[type=submit]");
  await page.waitForURL("**/console/releases");
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "sluice_session");
  assert.ok(session && session.httpOnly && session.sameSite === "Strict", JSON.stringify(session));

  step("creating a rollout with a live count of matching devices");
  await page.goto(base + "/console/rollouts");
  await page.selectOption("#ro-release", published);
  await page.fill("#ro-filter", "tag==beta");
  await page.locator("#ro-count", { hasText: "Matching devices: 10" }).waitFor();
  await page.fill("#ro-stages", "20, 100");
  await page.fill("#ro-error", "20");
  await page.selectOption("#ro-confirm", "ddi-success");
  await page.click("#new-rollout button[type=submit]");
  await page.waitForURL(/\/console\/rollouts\/[^/]+$/);
  const rolloutUrl = page.url();
  const rolloutId = rolloutUrl.split("/").pop();

  step("a state change without the CSRF token is refused");
  const forged = await page.evaluate(async (id) => {
    const r = await fetch("/console/api/v1/rollouts/" + id + "/pause", { method: "POST" });
    return r.status;
  }, rolloutId);
  assert.equal(forged, 403);

  step("watching the rollout progress and halt, without reloading");
  await page.locator("#live tbody tr").first().locator("td.ok", { hasText: "2" }).waitFor({ timeout: 60000 });
  await page.locator("#halt").waitFor({ timeout: 90000 });
  assert.equal(page.url(), rolloutUrl);
  const halt = await page.locator("#halt").innerText();
  assert.match(halt, /Halted: error threshold/i);
  assert.match(halt, /failed/);
  assert.match(await page.locator("#rollout-state").innerText(), /halted/);
  assert.equal(await page.locator("#live svg.chart").count(), 1);
  await shot(page, "console-rollout");

  step("the fleet and one device's history");
  await page.goto(base + "/console/fleet?product=acme-phone");
  assert.equal(await page.locator("svg.chart").count(), 1);
  await page.locator("a", { hasText: "phone-0" }).click();
  await page.locator("h1", { hasText: "phone-0" }).waitFor();

  step("signing out ends the session");
  await page.goto(base + "/console/releases");
  await page.click("form.logout button");
  await page.waitForURL("**/console/login");
  const after = await page.request.get(base + "/console/api/v1/rollouts");
  assert.equal(after.status(), 401);

  assert.deepEqual(cspViolations, []);
  console.log("all browser checks passed");
} finally {
  await browser.close();
}
