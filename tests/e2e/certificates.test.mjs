// Completion and certificates (issue 17): the creator signs the course's certificate on a
// desktop; a student on a phone completes the last lesson, is congratulated, and downloads
// the certificate as a PDF; anyone with its address verifies it on its public page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startWorker, launchBrowser, PHONE, openSchoolWithCourse, watchConsole, logInWithCode } from './harness.mjs';

const SHOTS = process.env.ATELIER_SHOTS || '/tmp';
let worker, browser, slug, student, courseUrl, creator;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  const made = await openSchoolWithCourse(browser, worker, { prefix: 'diplome', school: 'Atelier Aquarelle', course: 'Aquarelle 101', courseSlug: 'aquarelle' });
  ({ slug, courseUrl } = made);
  creator = made.a;
  student = `eleve-${slug}@example.com`;
  for (const [title, text] of [['Les pinceaux', 'Tenez le pinceau léger.'], ['Le lavis', 'Beaucoup d’eau, peu de pigment.']]) {
    await creator.goto(courseUrl + '/lessons/new');
    await creator.fill('input[name=title]', title);
    await creator.fill('textarea[name=content_md]', text);
    await creator.selectOption('select[name=status]', 'published');
    await creator.click('form[action="/admin/api/save_lesson"] button');
    await creator.waitForURL(/\/lessons\/\d+\?ok=saved/);
  }
  await creator.goto(courseUrl);
  await creator.fill('form[action="/admin/api/add_student"] input[name=email]', student);
  await creator.click('form[action="/admin/api/add_student"] button');
  await creator.waitForURL(/ok=/);
});
after(async () => { await browser?.close(); worker?.stop(); });

test('the creator signs the certificate and sees it as students will', async () => {
  await creator.goto(courseUrl);
  await creator.click('a[href$="/certificate"]');
  await creator.waitForURL(/\/certificate$/);
  await creator.fill('input[name=signer_name]', 'Claire Monet');
  await creator.fill('input[name=signer_role]', 'Artiste et formatrice');
  await creator.click('form[action="/admin/api/save_certificate_template"] button');
  await creator.waitForURL(/ok=certificate_template_saved/);
  assert.match(await creator.locator('figure.certificate svg').getAttribute('aria-label'), /Aperçu|Preview/);
  assert.match(await creator.locator('figure.certificate').innerHTML(), /Claire Monet/);
  await creator.screenshot({ path: `${SHOTS}/certificate-admin-desktop.png`, fullPage: true });
});

test('on a phone, the last lesson leads to congratulations and the PDF downloads', async () => {
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const page = await ctx.newPage();
  const errors = [];
  watchConsole(page, errors);
  await logInWithCode(page, worker, slug, student);
  await page.goto(worker.school(slug) + '/courses/aquarelle/continue');
  await page.waitForURL(/\/lessons\/\d+$/);
  const first = page.url();
  await page.locator('form[action="/api/mark_complete"] button').tap();
  await page.waitForURL((u) => u.href !== first && /\/lessons\/\d+$/.test(u.pathname));
  assert.match(await page.locator('h1').innerText(), /Le lavis/);
  await page.locator('form[action="/api/mark_complete"] button').tap();
  await page.waitForURL(/\/courses\/aquarelle\/completed$/);
  assert.match(await page.locator('h1').innerText(), /Félicitations/);
  assert.match(await page.locator('.completion .lead').innerText(), /Aquarelle 101/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling (${width}px)`);
  await page.screenshot({ path: `${SHOTS}/completion-phone.png`, fullPage: true });
  // Invited by email alone, the student has no name yet: the certificate sends them to give it.
  await page.locator('#name a').tap();
  await page.waitForURL(/\/account\?next=/);
  await page.fill('input[name=first_name]', 'Léa');
  await page.fill('input[name=last_name]', 'Moreau');
  await page.locator('form[action="/api/save_profile"] button').tap();
  await page.waitForURL(/\/certificates\/[0-9a-f]{32}$/);
  assert.match(await page.locator('figure.certificate').innerHTML(), /Léa Moreau/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[href$=".pdf"]').first().tap()]);
  assert.match(download.suggestedFilename(), /^certificate-aquarelle-101.*\.pdf$/);
  const pdf = readFileSync(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 1500, `a whole page (${pdf.length} bytes)`);
  assert.ok(pdf.includes('Claire Monet'), 'signed');
  // Its public page, as an employer opens the shared link.
  const url = await page.locator('#certificate-url').inputValue();
  const visitor = await browser.newContext(PHONE);
  const v = await visitor.newPage();
  await v.goto(url.replace(/^https?:\/\/[^/]+/, worker.school(slug)));
  assert.match(await v.locator('.certificate-statement').innerText(), /délivré à Léa Moreau pour « Aquarelle 101 »/);
  await v.screenshot({ path: `${SHOTS}/certificate-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await visitor.close();
  await ctx.close();
});
