import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const AXE = readFileSync(new URL('./node_modules/axe-core/axe.min.js', 'file:///work/main/tests/browser/'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run','--disable-sync','--disable-quic'] });
const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: {width:360,height:640}, locale: 'th-TH', bypassCSP: true });
const page = await ctx.newPage(); page.on('crash', () => console.log('CRASH')); page.on('close', () => console.log('CLOSE')); const t0=Date.now();
const r = await page.goto(process.env.U + '/');
console.log(r.status(), await page.locator('html').getAttribute('lang'));
try { console.log('eval', await page.evaluate(() => 1+1)); } catch (e) { console.log('eval failed', e.message); }
try { await page.evaluate(AXE); console.log('axe loaded', await page.evaluate(() => typeof window.axe)); } catch (e) { console.log('axe inject failed', e.message.slice(0,300)); }
try { const res = await page.evaluate(() => window.axe.run(document, {resultTypes:['violations']})); console.log(Date.now()-t0, 'axe ran', res.violations.length); } catch (e) { console.log(Date.now()-t0, 'axe run failed', e.message.slice(0,300)); }
console.log('noscript check', await page.evaluate(() => { const s = document.createElement('script'); s.textContent='window.__x=1'; document.head.appendChild(s); return window.__x; }));
await browser.close();
