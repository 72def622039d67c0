// The school's look (issue 18, item 5): the creator picks two colours and a welcome text on
// a desktop, an unreadable colour is refused with its reason, and a visitor on a phone sees
// the school in those colours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, PHONE, openSchoolWithCourse, watchConsole, auditA11y, standinUrl } from './harness.mjs';

const SHOTS = process.env.ATELIER_SHOTS || '/tmp';
let worker, browser, made;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  made = await openSchoolWithCourse(browser, worker, { prefix: 'couleurs', school: 'Atelier Couleurs', course: 'Aquarelle', courseSlug: 'aquarelle' });
});
after(async () => { await browser?.close(); worker?.stop(); });

test('the creator changes the school colours and a visitor sees them on a phone', async () => {
  const page = made.a;
  const errors = [];
  watchConsole(page, errors);
  await page.goto(worker.school(made.slug) + '/admin/settings#look');
  const form = page.locator('form[action="/admin/api/save_look"]');
  // Too light for white text: refused, with the contrast it has.
  await form.locator('input[name=brand_color]').fill('#ffcc00');
  await form.locator('button').click();
  await page.waitForURL(/error=color_unreadable/);
  assert.match(await page.locator('#look .notice.error').innerText(), /1[.,]5:1/);
  assert.equal(await form.locator('input[name=brand_color]').inputValue(), '#ffcc00', 'what was typed stays');
  // Readable colours and a welcome.
  await form.locator('input[name=brand_color]').fill('#8a3b12');
  await form.locator('input[name=header_color]').fill('#1f2a44');
  await form.locator('textarea[name=welcome_md]').fill('Bienvenue **chez nous** : des cours pour peindre.');
  await form.locator('button').click();
  await page.waitForURL(/ok=look_saved/);
  await page.locator('#look').screenshot({ path: `${SHOTS}/look-settings-desktop.png` });

  const phone = await browser.newContext({ ...PHONE });
  const visitor = await phone.newPage();
  await visitor.goto(worker.school(made.slug) + '/');
  const band = await visitor.locator('header.top').evaluate((h) => getComputedStyle(h).backgroundColor);
  assert.equal(band, 'rgb(31, 42, 68)', 'the header band');
  assert.equal(await visitor.locator('header.top .brand').evaluate((a) => getComputedStyle(a).color), 'rgb(255, 255, 255)');
  assert.match(await visitor.locator('section.welcome').innerText(), /Bienvenue chez nous/);
  assert.equal(await visitor.locator('section.welcome strong').innerText(), 'chez nous');
  const accent = await visitor.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
  assert.equal(accent, '#8a3b12', 'buttons and links');
  await visitor.screenshot({ path: `${SHOTS}/look-home-phone.png`, fullPage: true });
  await phone.close();
  assert.deepEqual(errors, []);
});

test('the creator connects their own domain: the records to add, then live', async () => {
  const page = made.a;
  const errors = [];
  watchConsole(page, errors);
  await page.goto(worker.school(made.slug) + '/admin/settings#domain');
  const domain = `cours-${made.slug}.example.com`;
  await page.locator('form[action="/admin/api/save_domain"] input[name=custom_domain]').fill(domain);
  await page.locator('form[action="/admin/api/save_domain"] button').click();
  await page.waitForURL(/ok=domain_saved/);
  const card = page.locator('#domain');
  assert.match(await card.innerText(), /Waiting for DNS|En attente du DNS/);
  assert.match(await card.locator('table.dns').innerText(), new RegExp(`_cf-custom-hostname\\.${domain.replace(/\./g, '\\.')}`));
  await card.screenshot({ path: `${SHOTS}/domain-waiting-desktop.png` });
  assert.deepEqual(await auditA11y(page), []);
  // The records are in place (the stand-in plays Cloudflare seeing them): checked, live.
  await fetch(`${await standinUrl()}/_standin/hostnames/${domain}/activate`, { method: 'POST' });
  await card.locator('button[data-check-domain]').click();
  await page.waitForURL(/ok=domain_live/);
  assert.match(await page.locator("#domain").innerText(), /Live|En ligne/);
  await page.locator('#domain').screenshot({ path: `${SHOTS}/domain-live-desktop.png` });
  assert.deepEqual(errors, []);
});
