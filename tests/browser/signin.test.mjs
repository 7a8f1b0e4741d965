// A person in a real browser: headless Chromium (Debian's) opens the browser app (app/) that the
// offline stack serves on its own origin, signs in through the hosted UI as a reader, calls the
// API (200 with the caller echoed, 403 for POST and DELETE), signs out (401), and the same page
// from an origin the API does not allow fails on CORS. Any step that fails fails the test.
//
// Run by scripts/browser-test.sh (which installs Chromium and this folder's packages and builds
// the stack); OFFLINE_BIN names the offline binary, CHROMIUM the browser. The screenshot of the
// signed-in page goes to target/browser-test/signed-in.png, and to docs/images/signed-in.png when
// that is missing or UPDATE_SCREENSHOT=1.

import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { createUser, freePort, loopback, startStack } from "./stack.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const BINARY = process.env.OFFLINE_BIN ?? join(ROOT, "target/debug/offline");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOT = join(ROOT, "docs/images/signed-in.png");
const PASSWORD = "Corr3ct-Horse!";
// Chromium's own background connections would only be refused on a closed network.
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let stack;
let context;
let profile;

before(async () => {
  // The app's port must be named before the stack starts (the template's origin is set to it):
  // another process may take a free port in between, then a second one is tried.
  for (let attempt = 1; !stack; attempt += 1) {
    try {
      stack = await startStack({ binary: BINARY, root: ROOT, appPort: await freePort() });
    } catch (error) {
      if (attempt === 3 || !/Address already in use/.test(error.message)) throw error;
    }
  }
  profile = await mkdtemp(join(tmpdir(), "echo-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 900, height: 800 },
    deviceScaleFactor: 1,
  });
});

after(async () => {
  await context?.close();
  await stack?.stop();
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** The page's `#id` text, once it is `expected` (or the test fails naming what it shows). */
async function shown(page, id, expected, timeout = 15_000) {
  try {
    await page.waitForFunction(
      ([id, expected]) => document.getElementById(id)?.textContent === expected,
      [id, expected],
      { timeout },
    );
  } catch {
    const texts = await page.evaluate(() => ["who", "status", "verdict", "body"]
      .map((id) => `${id}: ${document.getElementById(id)?.textContent}`).join("\n"));
    assert.fail(`#${id} is not "${expected}" on ${page.url()}:\n${texts}\nstack log:\n${stack.log.slice(-15).join("\n")}`);
  }
}

/** Clicks `#button` and waits for the answer's status and verdict; the body, parsed if JSON. */
async function call(page, button, status, verdict) {
  await page.evaluate(() => { document.getElementById("status").textContent = "…"; });
  await page.click(`#${button}`);
  await shown(page, "status", status);
  assert.equal(await page.textContent("#verdict"), verdict);
  const body = await page.textContent("#body");
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

test("a person signs in, calls the API and signs out; another origin fails on CORS", async (t) => {
  assert.ok(!stack.banner.some((l) => l.includes("WARNING")), stack.banner.join("\n"));
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const config = await (await fetch(loopback(`${stack.page}config.json`))).json();
  const origin = new URL(stack.page).origin;

  await t.test("sign in as a reader through the hosted UI", async () => {
    await createUser({ endpoint: loopback(new URL("/", config.tokenUrl).href), poolId: stack.poolId,
      username: "reader", password: PASSWORD, groups: ["readers"] });
    await page.goto(stack.page);
    await shown(page, "who", "Not signed in: calls go without a token.");
    await page.click("#signin");
    await page.waitForURL((url) => url.pathname === "/login");
    assert.equal(new URL(page.url()).origin, new URL(config.authorizeUrl).origin);
    const request = new URL(page.url()).searchParams;
    assert.equal(request.get("code_challenge_method"), "S256");
    assert.match(request.get("code_challenge"), /^[A-Za-z0-9_-]{43}$/);
    assert.ok(request.get("state"));
    await page.fill("#username", "reader");
    await page.fill("#password", PASSWORD);
    await page.click("button[name=signInSubmitButton]");
    await shown(page, "who", "Signed in as reader (groups: readers)");
    assert.equal(page.url(), stack.page, "the code and state are gone from the address bar");
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.equal(stored, "{}{}", "no token (nor the PKCE verifier, once used) in web storage");
  });

  await t.test("GET /echo: 200 with the username and groups echoed", async () => {
    const body = await call(page, "get", "200", "allowed");
    assert.equal(body.caller.username, "reader");
    assert.deepEqual(body.caller.groups, ["readers"]);
    assert.equal(body.request.method, "GET");
    assert.equal(body.request.headers.origin, origin);
    assert.equal(body.request.headers.authorization, undefined, "the token is not echoed");
    await mkdir(join(ROOT, "target/browser-test"), { recursive: true });
    const shot = join(ROOT, "target/browser-test/signed-in.png");
    await page.screenshot({ path: shot });
    const missing = await stat(SCREENSHOT).then(() => false, () => true);
    if (missing || process.env.UPDATE_SCREENSHOT === "1") {
      await mkdir(dirname(SCREENSHOT), { recursive: true });
      await copyFile(shot, SCREENSHOT);
    }
  });

  await t.test("POST /echo and DELETE /echo: 403, shown as forbidden", async () => {
    for (const button of ["post", "delete"]) {
      const body = await call(page, button, "403", "forbidden");
      assert.deepEqual(body, { message: "Forbidden", error: "insufficient_scope" }, button);
    }
  });

  await t.test("sign out through /logout, back on the page", async () => {
    await page.click("#signout");
    await page.waitForURL((url) => url.href === stack.page);
    await shown(page, "who", "Not signed in: calls go without a token.");
    const cookies = await context.cookies(new URL(config.logoutUrl).origin);
    assert.ok(!cookies.some((c) => c.name === "cognito"), "the hosted UI's session is over");
  });

  await t.test("GET /echo without a token: 401, shown as unauthorized", async () => {
    const body = await call(page, "get", "401", "unauthorized");
    assert.deepEqual(body, { message: "Unauthorized" });
  });

  await t.test("the same page from a disallowed origin fails on CORS", async () => {
    const elsewhere = stack.page.replace("//localhost:", "//127.0.0.1:");
    const console = [];
    page.on("console", (message) => console.push(message.text()));
    await page.goto(elsewhere);
    await shown(page, "who", "Not signed in: calls go without a token.");
    for (const button of ["get", "post"]) {
      const body = await call(page, button, "CORS error", "failed");
      assert.match(body, /blocked/, button);
    }
    const refusals = console.filter((text) => /blocked by CORS policy/.test(text));
    assert.equal(refusals.length, 2, `the console: ${console.join("\n")}`);
    for (const text of refusals) {
      assert.ok(text.includes(`from origin '${new URL(elsewhere).origin}'`), text);
      assert.ok(text.includes(`'${origin}'`), `names the allowed origin: ${text}`);
    }
  });

  assert.deepEqual(errors, [], "no script error on the page");
});
