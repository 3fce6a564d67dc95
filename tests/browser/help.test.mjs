// Browser test of the worker's journey, in Thai, on a 360x640 phone screen
// with JavaScript switched off: home page → "ask for help" form (Thai text,
// a photo with GPS data) → receipt with reference and PIN → "check my case"
// → reply.  And the form sent with an empty description: the error is shown
// next to the field and nothing typed is lost.  Every page is checked with
// axe-core, for sideways scrolling and for the height of its touch targets.
//
// Run through tests/browser/run.sh, which starts a server on a demo database
// and sets ATIS_URL (e.g. http://127.0.0.1:PORT).
//
// How axe runs when the page has no JavaScript: page.evaluate() still works
// in a context made with javaScriptEnabled: false (that is how the layout
// is measured below), but timers never fire there, so axe.run() never
// finishes.  Each page is therefore captured as the worker's browser got it
// (status, headers, the exact bytes) and replayed into a second, JS-enabled
// context at the same address, where the style sheet comes from the real
// server and axe can run.  This also covers the receipt page, which is the
// answer to a POST and cannot be fetched a second time (its PIN is shown
// once), and the form as it comes back with errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.env.ATIS_URL || '').replace(/\/+$/, '');
const AXE = fileURLToPath(
  new URL('./node_modules/axe-core/axe.min.js', import.meta.url));
const PHOTO = fileURLToPath(
  new URL('../data/exif-gps.jpg', import.meta.url));
const VIEWPORT = { width: 360, height: 640 };
const LOCALE = 'th-TH'; // Chromium then sends Accept-Language: th-TH

const DESCRIPTION = 'นายจ้างไม่จ่ายค่าจ้างสามเดือน ทำงานวันละ 16 ชั่วโมง';
const EMPLOYER = 'บริษัท สมหวังการเกษตร จำกัด';
const PHONE = '+66 81 234 5678';
const REPLY = 'นายจ้างบอกว่าจะจ่ายเดือนหน้า แต่ยังไม่ได้รับเงิน';
const ENGLISH_HOME_HEADING = 'Help for migrant workers';

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

// A worker's phone: Thai, small screen, no JavaScript.  `last()` gives the
// last page the main frame loaded (the final answer after redirects), with
// its body, to replay for axe.
async function newWorkerPage(t) {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: VIEWPORT,
    locale: LOCALE,
  });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  let lastDoc = null;
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
      problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    const req = r.request();
    const u = new URL(r.url());
    if (req.isNavigationRequest() && r.frame() === page.mainFrame()) {
      // Pages are checked one by one (the form with errors answers 400).
      if (r.status() < 300 || r.status() >= 400) lastDoc = r;
      return;
    }
    // The browser asks for /favicon.ico by itself; the site has none.
    if (r.status() >= 400 && u.pathname !== '/favicon.ico')
      problems.push(`HTTP ${r.status()} for ${u.pathname}`);
  });
  page.on('requestfailed', (r) =>
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  const last = async (expectStatus, where) => {
    assert.ok(lastDoc, `no page loaded for ${where}`);
    assert.equal(lastDoc.status(), expectStatus,
      `${where}: HTTP ${lastDoc.status()} (${lastDoc.url()})`);
    return {
      url: lastDoc.url(),
      status: lastDoc.status(),
      headers: lastDoc.headers(),
      body: await lastDoc.body(),
    };
  };
  return { context, page, problems, last };
}

// Follows a link or presses a button and waits until the new page it leads
// to (at `path`, after any redirect) has loaded.  Not waitForURL: the form
// at /help answers at /help, and waitForURL would return at once.
async function go(page, path, action) {
  const navigated = page.waitForEvent('framenavigated', (f) =>
    f === page.mainFrame() && new URL(f.url()).pathname === path);
  await action();
  await navigated;
  await page.waitForLoadState('load');
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

// Replays a captured page in a JS-enabled context (see the top of the
// file) and runs axe-core on it; fails with every violation listed.
async function assertAccessible(snap, where) {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: LOCALE,
    // The site's CSP (script-src 'self') blocks the <script> that
    // addScriptTag adds; only this test's own axe script needs the bypass.
    bypassCSP: true,
  });
  try {
    const headers = { ...snap.headers };
    for (const h of ['content-length', 'content-encoding',
      'transfer-encoding', 'set-cookie'])
      delete headers[h];
    let replayed = false;
    await context.route(snap.url, (route) => {
      replayed = true;
      return route.fulfill({ status: snap.status, headers, body: snap.body });
    }, { times: 1 });
    const page = await context.newPage();
    const resp = await page.goto(snap.url, { waitUntil: 'load' });
    assert.ok(replayed && resp.status() === snap.status,
      `${where} was replayed for axe`);
    assert.equal(await page.locator('link[rel=stylesheet]').evaluate(
      (l) => l.sheet?.cssRules.length > 0), true,
    `${where}: the style sheet loaded for axe's colour checks`);
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(() =>
      window.axe.run(document, { resultTypes: ['violations'] }));
    const violations = result.violations;
    if (violations.length) console.log(formatViolations(where, violations));
    assert.equal(violations.length, 0, formatViolations(where, violations));
  } finally {
    await context.close();
  }
}

async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

// No sideways scrolling at 360 px.  (Debian's test machine may have no
// Thai font; the Thai text is then laid out with the fallback glyphs.)
async function assertFitsScreen(page, where) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= VIEWPORT.width && scrollWidth <= innerWidth,
    `${where} is ${scrollWidth}px wide on a ${VIEWPORT.width}px screen`);
}

// Touch targets the style sheet promises 44 px for: every button, input
// (but check boxes, which it sizes 1.3rem and whose label is the target),
// select and textarea (`input,select,textarea,button{min-height:44px}`), and
// each radio choice's label (`.form label.choice{min-height:44px}`).
// Returns the targets lower than 44 px that the style sheet does not
// promise anything for (labels of check boxes, links drawn as buttons),
// for the test's diagnostics.
async function assertTouchTargets(page, where, { submit = true } = {}) {
  const found = await page.evaluate(() => {
    const describe = (el) => {
      const name = el.getAttribute('name') || el.id || '';
      const value = el.getAttribute('value');
      const text = (el.textContent || '').trim().replace(/\s+/g, ' ');
      return `<${el.tagName.toLowerCase()}` +
        (el.type && el.tagName !== 'LABEL' ? ` type=${el.type}` : '') +
        (name ? ` name=${name}` : '') + (value ? ` value=${value}` : '') +
        `>${text.slice(0, 40)}`;
    };
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      // The robots' trap (.hp) sits off the screen on purpose.
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' &&
        s.display !== 'none' && !el.closest('.hp');
    };
    const promised = [...document.querySelectorAll(
      'main button, main input:not([type=hidden]):not([type=checkbox]), ' +
      'main select, main textarea, main label.choice')].filter(visible);
    const unpromised = [...document.querySelectorAll(
      'main label.check:not(.choice), main a.button')].filter(visible);
    const measure = (el) => ({
      what: describe(el),
      height: Math.round(el.getBoundingClientRect().height * 10) / 10,
    });
    return {
      promised: promised.map(measure),
      unpromised: unpromised.map(measure),
      submits: document.querySelectorAll('main button[type=submit]').length,
    };
  });
  if (submit) assert.ok(found.submits > 0, `${where} has a submit button`);
  const small = found.promised.filter((x) => x.height < 44);
  assert.deepEqual(small, [],
    `${where}: touch targets lower than 44 px:\n` +
    small.map((x) => `  ${x.height}px ${x.what}`).join('\n'));
  return found.unpromised.filter((x) => x.height < 44)
    .map((x) => ({ ...x, where }));
}

// Fills in what every test sends; `description` may be empty.
async function fillForm(page, description) {
  // The kind of case: "Report a problem" (complaint) is already chosen.
  assert.ok(await page.locator('input[name=kind][value=complaint]')
    .isChecked(), '"report a problem" is chosen at first');
  await page.locator('input[name=category][value=wages]').check();
  await page.locator('#description').fill(description);
  // A Thai reader most likely works in Thailand: already chosen.
  assert.equal(await page.locator('#country_work').inputValue(), 'TH');
  await page.locator('#country_work').selectOption('TH');
  await page.locator('#employer').fill(EMPLOYER);
  await page.locator('#evidence').setInputFiles(PHOTO);
  await page.locator('input[name=contact_method][value=phone]').check();
  await page.locator('#contact').fill(PHONE);
  // The answer comes in the worker's language unless they choose another.
  assert.equal(await page.locator('#language').inputValue(), 'th');
  await page.locator('input[name=consent_contact]').check();
  assert.ok(await page.locator('input[name=category][value=wages]')
    .isChecked());
  assert.ok(await page.locator('input[name=contact_method][value=phone]')
    .isChecked());
}

const helpSubmit = (page) =>
  page.locator('main form[action="/help"] button[type=submit]');

async function openForm(t, page, last) {
  await page.goto(BASE + '/', { waitUntil: 'load' });
  await last(200, 'the home page');
  assert.equal(await htmlLang(page), 'th', 'the home page is in Thai');
  const h = (await page.locator('main h1').first().textContent()).trim();
  assert.notEqual(h, ENGLISH_HOME_HEADING, 'the home heading is translated');
  assert.equal(await page.locator('nav.langs a[hreflang=th]')
    .getAttribute('aria-current'), 'true',
  'the language switcher marks Thai as the current language');

  const link = page.locator('main a[href="/help"]').first();
  assert.ok(await link.isVisible(), 'the home page links to the help form');
  await go(page, '/help', () => link.click());
  assert.equal(await htmlLang(page), 'th', 'the help form is in Thai');
  const formHeading = (await page.locator('main h1').textContent()).trim();
  if (!/[\u0E00-\u0E7F]/.test(formHeading))
    t.diagnostic(`the help form's heading is not in Thai: "${formHeading}"`);
  return last(200, 'the help form');
}

test('a worker asks for help in Thai without JavaScript, follows the case ' +
  'and writes back', async (t) => {
  const { context, page, problems, last } = await newWorkerPage(t);
  // Reported at once, so that they show even if a later step fails.
  const notPromised = { push: (...xs) => xs.forEach((x) => t.diagnostic(
    `lower than 44 px (the style sheet promises nothing here): ` +
    `${x.where}: ${x.height}px ${x.what}`)) };

  // 1. Home page in Thai → the help form.
  const formSnap = await openForm(t, page, last);
  await assertFitsScreen(page, 'the help form');
  notPromised.push(...await assertTouchTargets(page, 'the help form'));
  await assertAccessible(formSnap, 'the help form');

  // 2. Fill it in and send.
  await fillForm(page, DESCRIPTION);
  await go(page, '/help', () => helpSubmit(page).click());

  // 3. The receipt: reference and PIN, read from the page.
  const receiptSnap = await last(201, 'the receipt');
  assert.equal(await htmlLang(page), 'th', 'the receipt is in Thai');
  const secrets = page.locator('main .slip dd.secret');
  assert.equal(await secrets.count(), 2, 'the receipt shows two secrets');
  const reference = (await secrets.nth(0).textContent()).trim();
  const pin = (await secrets.nth(1).textContent()).trim();
  assert.match(reference, /^\d{3}-\d{3}-\d{4}$/, 'a reference ddd-ddd-dddd');
  assert.match(pin, /^\d{4} \d{4}$/, 'a PIN dddd dddd');
  assert.equal(await page.locator('main .notice[role=alert]').count(), 0,
    'the photo was added (no list of files left out)');
  assert.equal(receiptSnap.headers['cache-control']?.includes('no-store'),
    true, 'the receipt with the PIN is not cached');
  await assertFitsScreen(page, 'the receipt');
  // The receipt has no form of its own: only links.
  notPromised.push(...await assertTouchTargets(page, 'the receipt',
    { submit: false }));
  await assertAccessible(receiptSnap, 'the receipt');

  // 4. "Check my case": reference and PIN as they were written down.
  const check = page.locator('main a[href="/track"]');
  assert.equal(await check.count(), 1, 'the receipt links to "check my case"');
  await go(page, '/track', () => check.click());
  const trackSnap = await last(200, '"check my case"');
  assert.equal(await htmlLang(page), 'th');
  await assertFitsScreen(page, '"check my case"');
  notPromised.push(...await assertTouchTargets(page, '"check my case"'));
  await assertAccessible(trackSnap, '"check my case"');
  await page.locator('#reference').fill(reference);
  await page.locator('#pin').fill(pin);
  await go(page, '/track/case', () =>
    page.locator('main form[action="/track"] button[type=submit]').click());

  const caseSnap = await last(200, 'the case page');
  assert.equal(await htmlLang(page), 'th', 'the case page is in Thai');
  assert.ok((await page.locator('main h1').textContent()).includes(reference),
    'the case page names the reference');
  assert.equal((await page.locator('main p.pre').first().textContent()),
    DESCRIPTION, 'the case page shows the description as typed, in Thai');
  const status = page.locator('main .status-box');
  const label = (await status.locator('strong').textContent()).trim();
  const plain = (await status.textContent()).replace(label, '')
    .replace(/^\s*—\s*/, '').trim();
  assert.ok(label.length > 0, 'the status has a name');
  assert.doesNotMatch(label, /^[a-z_]+$/, 'not the internal status code');
  assert.ok(plain.length >= 15 && /\s/.test(plain),
    `the status is explained in plain words, not "${plain}"`);
  const file = page.locator('main a[href^="/track/files/"]');
  assert.equal(await file.count(), 1, 'the case page lists the photo');
  assert.equal((await file.textContent()).trim(), 'exif-gps.jpg');
  // The photo kept is the cleaned one: no place, no camera.
  const photo = await context.request.get(
    BASE + await file.getAttribute('href'));
  assert.equal(photo.status(), 200);
  const bytes = await photo.body();
  assert.equal(bytes.readUInt16BE(0), 0xffd8, 'still a JPEG');
  for (const marker of ['GPSLatitude', 'CANARY', 'Exif'])
    assert.equal(bytes.includes(marker), false, `${marker} was removed`);
  await assertFitsScreen(page, 'the case page');
  notPromised.push(...await assertTouchTargets(page, 'the case page'));
  await assertAccessible(caseSnap, 'the case page');

  // 5. A reply: the page says it was sent and shows it.
  await page.locator('#body').fill(REPLY);
  await go(page, '/track/case', () =>
    page.locator('main form[action="/track/reply"] button[type=submit]')
      .click());
  const repliedSnap = await last(200, 'the case page after the reply');
  const flash = page.locator('main .flash[role=status]');
  assert.equal(await flash.count(), 1, 'a message says the reply was sent');
  assert.ok((await flash.textContent()).trim().length > 0);
  const mine = page.locator('main ol.messages li.mine p.pre');
  assert.equal(await mine.count(), 1, 'one message from the worker');
  assert.equal(await mine.textContent(), REPLY, 'the reply, in Thai');
  assert.equal(await page.locator('#body').inputValue(), '',
    'the message box is empty again');
  await assertFitsScreen(page, 'the case page after the reply');
  await assertAccessible(repliedSnap, 'the case page after the reply');

  assert.deepEqual(problems, [], 'no errors on the pages');
});

test('the help form sent without a description comes back filled in, ' +
  'with the error next to the field', async (t) => {
  const { page, problems, last } = await newWorkerPage(t);
  await openForm(t, page, last);
  await fillForm(page, '');

  // The browser itself refuses first: the description is required.
  const form = page.locator('main form[action="/help"]');
  assert.equal(await form.evaluate((f) => f.checkValidity()), false,
    'the browser does not send the form without a description');
  assert.equal(await page.locator('#description')
    .evaluate((el) => el.validity.valueMissing), true);

  // A browser that does not check (or a description of only spaces) goes
  // to the server, which must say the same.
  await form.evaluate((f) => { f.noValidate = true; });
  await go(page, '/help', () => helpSubmit(page).click());
  const snap = await last(400, 'the form with an error');
  assert.equal(await htmlLang(page), 'th');

  const summary = page.locator('main p.error[role=alert]');
  assert.equal(await summary.count(), 1, 'a summary says what to do');
  const error = page.locator('#description-error');
  assert.ok(await error.isVisible(), 'the description error is shown');
  assert.ok((await error.textContent()).trim().length > 0);
  const desc = page.locator('#description');
  assert.equal(await desc.getAttribute('aria-invalid'), 'true');
  assert.equal(await desc.getAttribute('aria-describedby'),
    'description-error', 'the error is tied to the field');
  // Next to the field: right between its label and the box, on screen.
  assert.equal(await desc.evaluate((el) => el.previousElementSibling?.id),
    'description-error', 'the error sits just above the text box');
  assert.equal(await error.evaluate(
    (el) => el.previousElementSibling?.getAttribute('for')), 'description',
  'the error sits just below the label of the field');
  const eBox = await error.boundingBox();
  const dBox = await desc.boundingBox();
  assert.ok(dBox.y - (eBox.y + eBox.height) < 40,
    'the error is drawn close to the text box');
  // Only the description is wrong.
  assert.equal(await page.locator('main .field-error').count(), 1,
    'no other field is marked');

  // Nothing typed is lost (files must be chosen again, and it says so).
  assert.equal(await page.locator('#employer').inputValue(), EMPLOYER);
  assert.equal(await page.locator('#contact').inputValue(), PHONE);
  assert.equal(await page.locator('#country_work').inputValue(), 'TH');
  assert.equal(await page.locator('#language').inputValue(), 'th');
  for (const sel of ['input[name=kind][value=complaint]',
    'input[name=category][value=wages]',
    'input[name=contact_method][value=phone]',
    'input[name=consent_contact]'])
    assert.ok(await page.locator(sel).isChecked(), `${sel} is still chosen`);
  assert.equal(await page.locator('main p.notice[role=alert]').count(), 1,
    'a notice says the files must be chosen again');
  assert.equal(await desc.inputValue(), '');

  await assertFitsScreen(page, 'the form with an error');
  await assertTouchTargets(page, 'the form with an error');
  await assertAccessible(snap, 'the form with an error');
  assert.deepEqual(problems, [], 'no errors on the pages');
});
