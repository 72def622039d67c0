// Merging two accounts and importing statistics (issue 18, items 7 and 8) as a creator does
// them on a desktop: from a student's page to the merge, what will move, confirm; a
// statistics file through the import's steps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, openSchoolWithCourse, watchConsole } from './harness.mjs';

const SHOTS = process.env.ATELIER_SHOTS || '/tmp';
let worker, browser, made;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  made = await openSchoolWithCourse(browser, worker, { prefix: 'fusion', school: 'Atelier Fusion', course: 'Céramique', courseSlug: 'ceramique' });
});
after(async () => { await browser?.close(); worker?.stop(); });

async function addStudent(page, email) {
  await page.goto(made.courseUrl);
  await page.fill('form[action="/admin/api/add_student"] input[name=email]', email);
  await page.uncheck('form[action="/admin/api/add_student"] input[name=invite]');
  await page.click('form[action="/admin/api/add_student"] button');
  await page.waitForURL(/ok=/);
}

test('the creator merges a student’s two accounts after seeing what moves', async () => {
  const page = made.a;
  const errors = [];
  watchConsole(page, errors);
  const kept = `lea-${made.slug}@example.com`;
  const merged = `lea.martin-${made.slug}@example.com`;
  await addStudent(page, kept);
  await addStudent(page, merged);
  await page.goto(worker.school(made.slug) + '/admin/students?q=' + encodeURIComponent(`lea-${made.slug}`));
  await page.locator('a', { hasText: kept }).first().click();
  await page.waitForURL(/\/admin\/students\/\d+$/);
  await page.click('a[href^="/admin/students/merge?keep="]');
  await page.fill('input[name=merge]', merged);
  await page.click('form.merge-pick button');
  await page.waitForSelector('.merge-plan');
  const plan = await page.locator('.merge-plan').innerText();
  assert.match(plan, new RegExp(`(Ce qui passe sur|What moves to) ${kept.replace(/\./g, '\\.')}`));
  assert.match(plan, /Céramique/);
  assert.match(plan, new RegExp(`${merged.replace(/\./g, '\\.')} (se connecte toujours|still logs in)`));
  await page.screenshot({ path: `${SHOTS}/merge-confirm-desktop.png`, fullPage: true });
  await page.click('form[action="/admin/api/merge_accounts"] button');
  await page.waitForURL(/ok=accounts_merged/);
  assert.match(await page.locator('.aliases').innerText(), new RegExp(merged.replace(/\./g, '\\.')));
  assert.deepEqual(errors, []);
});

test('the creator imports statistics: preview, options, result', async () => {
  const page = made.a;
  const errors = [];
  watchConsole(page, errors);
  // A lesson to have progress in, and a student to have it.
  await page.goto(made.courseUrl);
  const student = `paul-${made.slug}@example.com`;
  await addStudent(page, student);
  await page.goto(made.courseUrl + '/lessons/new');
  await page.fill('input[name=title]', 'Tourner');
  await page.fill('textarea[name=content_md]', 'Centrer la terre.');
  await page.selectOption('select[name=status]', 'published');
  await page.click('form[action="/admin/api/save_lesson"] button');
  await page.waitForURL(/\/lessons\/\d+\?ok=saved/);
  await page.goto(worker.school(made.slug) + '/admin/imports');
  const csv = 'email;cours;leçon;statut;date\r\n'
    + `${student};ceramique;Tourner;C;2026-03-01\r\n`
    + `${student};ceramique;Émailler;C;2026-03-02\r\n`;
  await page.setInputFiles('#statistics input[name=file]', { name: 'stats.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.click('#statistics form button');
  await page.waitForURL(/\/admin\/imports\/[0-9a-f]{32}$/);
  assert.equal(await page.locator('[data-ok]').getAttribute('data-ok'), '1');
  assert.equal(await page.locator('[data-rejected]').getAttribute('data-rejected'), '1');
  assert.match(await page.locator('table.problems').innerText(), /Émailler/);
  await page.screenshot({ path: `${SHOTS}/statistics-preview-desktop.png`, fullPage: true });
  await page.click('form[action="/admin/api/run_import"] button');
  await page.waitForSelector('[data-created]', { timeout: 20_000 });
  assert.equal(await page.locator('[data-created]').getAttribute('data-created'), '1');
  assert.deepEqual(errors, []);
});
