// Browser test of the public home page, the sign-in page and the staff home,
// in headless Debian Chromium on a small phone-sized screen, with axe-core
// accessibility checks on every page.
//
// Run through tests/browser/run.sh, which starts a server on a demo database
// and sets ATIS_URL (e.g. http://127.0.0.1:PORT).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.env.ATIS_URL || '').replace(/\/+$/, '');
const AXE = fileURLToPath(
  new URL('./node_modules/axe-core/axe.min.js', import.meta.url));
const VIEWPORT = { width: 360, height: 640 };
const FOCAL = {
  email: 'focal@ph.demo.atis.invalid',
  password: 'demo-password-123',
};

let browser;

before(async () => {
  assert.ok(BASE, 'ATIS_URL must be set (run tests/browser/run.sh)');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
});

// A fresh context: English is asked for, so the default language shows.
async function newPage(t) {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'en-US',
    // The site's CSP (script-src 'self') blocks the <script> that
    // addScriptTag adds; only this test's own axe script needs the bypass.
    bypassCSP: true,
  });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Failed loads are reported with their address by 'response' below.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
      problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    const u = new URL(r.url());
    // The browser asks for /favicon.ico by itself; the site has none.
    if (r.status() >= 400 && u.pathname !== '/favicon.ico')
      problems.push(`HTTP ${r.status()} for ${u.pathname}`);
  });
  page.on('requestfailed', (r) =>
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  return { page, problems };
}

async function goto(page, path) {
  const resp = await page.goto(BASE + path, { waitUntil: 'load' });
  assert.ok(resp, `no response for ${path}`);
  assert.equal(resp.status(), 200, `GET ${path}: HTTP ${resp.status()}`);
  return resp;
}

function formatViolations(where, violations) {
  const lines = [`axe found ${violations.length} violation(s) on ${where}:`];
  for (const v of violations) {
    lines.push('');
    lines.push(`- ${v.id} (${v.impact}): ${v.help}`);
    lines.push(`  ${v.helpUrl}`);
    for (const n of v.nodes) {
      lines.push(`  * element: ${n.target.join(' ')}`);
      lines.push(`    html:    ${n.html.replace(/\s+/g, ' ').slice(0, 300)}`);
      const summary = (n.failureSummary || '').split('\n')
        .map((s) => s.trim()).filter(Boolean);
      for (const s of summary) lines.push(`    ${s}`);
    }
  }
  return lines.join('\n');
}

// Runs axe-core on the page as it is and fails with a readable list of
// every violation (rule, element, how to fix).
async function assertAccessible(page, where) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }));
  const violations = result.violations;
  if (violations.length) console.log(formatViolations(where, violations));
  assert.equal(violations.length, 0, formatViolations(where, violations));
}

async function heading(page) {
  return (await page.locator('main h1').first().textContent()).trim();
}

async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

// Follows the language switcher's link for tag and checks the page came
// back in that language with a translated heading.
async function switchTo(page, tag, englishHeading) {
  const link = page.locator(`nav.langs a[hreflang=${tag}]`);
  assert.equal(await link.count(), 1, `one switcher link for ${tag}`);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/lang'),
      { waitUntil: 'load' }),
    link.click(),
  ]);
  assert.equal(new URL(page.url()).pathname, '/',
    `the switcher leads back to the home page, not ${page.url()}`);
  assert.equal(await htmlLang(page), tag);
  const h = await heading(page);
  assert.ok(h.length > 0, `a heading in ${tag}`);
  assert.notEqual(h, englishHeading, `the heading is translated into ${tag}`);
  const current = page.locator(`nav.langs a[hreflang=${tag}]`);
  assert.equal(await current.getAttribute('aria-current'), 'true',
    `the switcher marks ${tag} as the current language`);
  return h;
}

test('home page in English, Thai and Burmese on a 360x640 screen',
  async (t) => {
    const { page, problems } = await newPage(t);

    await goto(page, '/');
    assert.equal(await htmlLang(page), 'en');
    const english = await heading(page);
    assert.equal(english, 'Help for migrant workers');
    // Nothing wider than the screen: no sideways scrolling on a phone.
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await assertAccessible(page, 'the home page in English');

    const thai = await switchTo(page, 'th', english);
    await assertAccessible(page, 'the home page in Thai');

    const burmese = await switchTo(page, 'my', english);
    assert.notEqual(burmese, thai, 'the Burmese heading is not the Thai one');
    await assertAccessible(page, 'the home page in Burmese');

    // The choice sticks: a plain reload keeps Burmese.
    await goto(page, '/');
    assert.equal(await htmlLang(page), 'my');

    assert.deepEqual(problems, [], 'no script errors on the page');
  });

test('sign-in page is accessible', async (t) => {
  const { page, problems } = await newPage(t);
  await goto(page, '/login');
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await heading(page), 'Staff sign in');
  await assertAccessible(page, '/login');
  assert.deepEqual(problems, [], 'no script errors on the page');
});

test('focal point signs in, sees an accessible staff home, signs out',
  async (t) => {
    const { page, problems } = await newPage(t);
    await goto(page, '/login');
    await page.locator('#email').fill(FOCAL.email);
    await page.locator('#password').fill(FOCAL.password);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff', { waitUntil: 'load' }),
      page.locator('main form button[type=submit]').click(),
    ]);
    assert.equal(await htmlLang(page), 'en');
    assert.equal(await heading(page), 'Staff home');
    assert.match(await page.locator('main').textContent(),
      /Signed in as /);
    await assertAccessible(page, '/staff (focal point)');

    const signOut = page.locator('header form[action="/logout"] button');
    assert.equal(await signOut.count(), 1, 'one sign-out button');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/', { waitUntil: 'load' }),
      signOut.click(),
    ]);
    assert.match(await page.locator('main .flash').textContent(),
      /signed out/i);
    assert.equal(await page.locator('header a[href="/login"]').count(), 1,
      'the sign-in link is back');

    // The session is gone: the staff home now asks to sign in again.
    await page.goto(BASE + '/staff', { waitUntil: 'load' });
    assert.notEqual(new URL(page.url()).pathname, '/staff',
      'the staff home is no longer reachable');
    assert.equal(await page.locator('#password').count(), 1,
      'the sign-in form is shown instead');

    assert.deepEqual(problems, [], 'no script errors on the page');
  });
