// The creator's workspace (issue 18) on a desktop: every section is a click away in the
// admin's sidebar, the section you are in is marked, and on a phone the same links sit in a
// menu that opens without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, PHONE, openSchoolWithCourse, watchConsole } from './harness.mjs';

const SHOTS = process.env.ATELIER_SHOTS || '/tmp';
let worker, browser, made;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  made = await openSchoolWithCourse(browser, worker, { prefix: 'coquille', school: 'Atelier Coquille', course: 'Reliure', courseSlug: 'reliure' });
});
after(async () => { await browser?.close(); worker?.stop(); });

test('the creator reaches every section from the sidebar, and it says where they are', async () => {
  const page = made.a;
  const errors = [];
  watchConsole(page, errors);
  await page.goto(worker.school(made.slug) + '/admin');
  const sidebar = page.locator('nav.admin-sidebar');
  assert.equal(await sidebar.isVisible(), true);
  assert.equal(await page.locator('details.admin-menu').isVisible(), false, 'no phone menu on a desktop');
  await page.screenshot({ path: `${SHOTS}/admin-overview-desktop.png`, fullPage: true });
  const hrefs = await sidebar.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, ['/admin', '/admin/courses', '/admin/students', '/admin/sales', '/admin/reviews', '/admin/reports', '/admin/team', '/admin/settings']);
  for (const href of hrefs) {
    await sidebar.locator(`a[href="${href}"]`).click();
    await page.waitForURL(new RegExp(`${href.replace(/\//g, '\\/')}$`));
    assert.equal(await sidebar.locator('a[aria-current=page]').getAttribute('href'), href, `${href} is marked`);
    assert.ok((await page.title()).length > 0 && (await page.locator('h1').count()) === 1, `${href} has its title`);
  }
  // Deeper pages stay under their section: a course under Courses, its report under Reports.
  await sidebar.locator('a[href="/admin/courses"]').click();
  await page.locator('table.admin a', { hasText: 'Reliure' }).click();
  await page.waitForURL(/\/admin\/courses\/\d+$/);
  assert.equal(await sidebar.locator('a[aria-current=page]').getAttribute('href'), '/admin/courses');
  await page.goto(page.url() + '/report');
  assert.equal(await sidebar.locator('a[aria-current=page]').getAttribute('href'), '/admin/reports');
  assert.deepEqual(errors, []);
});

test('on a phone the sections are in a menu that opens without script', async () => {
  const ctx = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  await ctx.addCookies(await made.ctx.cookies());
  const page = await ctx.newPage();
  await page.goto(worker.school(made.slug) + '/admin/students');
  const menu = page.locator('details.admin-menu');
  assert.equal(await page.locator('nav.admin-sidebar').isVisible(), false);
  assert.match(await menu.locator('summary').innerText(), /Élèves|Students/);
  await menu.locator('summary').tap().catch(() => menu.locator('summary').click());
  await menu.locator('a[href="/admin/settings"]').click();
  await page.waitForURL(/\/admin\/settings$/);
  assert.equal(await page.locator('details.admin-menu a[aria-current=page]').getAttribute('href'), '/admin/settings');
  await page.screenshot({ path: `${SHOTS}/admin-menu-phone.png` });
  await ctx.close();
});
