// The creator imports students from a spreadsheet on a desktop: upload a CSV with errors,
// read how it is understood, import what is right, download the rejected rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startWorker, launchBrowser, openSchoolWithCourse, watchConsole } from './harness.mjs';

let worker, browser;
before(async () => { worker = await startWorker(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); worker?.stop(); });

test('upload a CSV with errors, read the preview, import, download the rejects file', async () => {
  const { ctx, a, slug } = await openSchoolWithCourse(browser, worker, { prefix: 'import', school: 'Studio Import', course: 'Yoga', courseSlug: 'yoga' });
  const errors = [];
  watchConsole(a, errors);

  // Step 1: from the students page to the import, with the template at hand.
  await a.goto(worker.school(slug) + '/admin/students');
  await a.click('a[href="/admin/imports"]');
  const [template] = await Promise.all([a.waitForEvent('download'), a.click('a[href="/admin/imports/template.csv"]')]);
  assert.match(readFileSync(await template.path(), 'utf8'), /^\uFEFFemail;first_name;last_name;courses;access_start;access_end;language;note/);
  const csv = '\uFEFFcourriel;prénom;cours;fin\r\n'
    + `lea-${slug}@example.com;Léa;yoga;2027-06-30\r\n`
    + `marc-${slug}@example.com;Marc;yoga;\r\n`
    + 'pas-un-email;Zoé;yoga;\r\n'
    + `nina-${slug}@example.com;Nina;cuisine;2026-02-30\r\n`;
  await a.setInputFiles('input[name=file]', { name: 'eleves.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await a.click('form[action="/admin/imports/upload"] button');
  await a.waitForURL(/\/admin\/imports\/[0-9a-f]{32}$/);

  // Step 2: how the first row is read, and what is wrong.
  const reading = await a.locator('table.reading').innerText();
  assert.match(reading, /courriel\s+email\s+lea-/);
  assert.match(reading, /prénom\s+first_name\s+Léa/);
  assert.equal(await a.locator('[data-ok]').getAttribute('data-ok'), '2');
  assert.equal(await a.locator('[data-rejected]').getAttribute('data-rejected'), '2');
  const problems = await a.locator('table.problems').innerText();
  assert.match(problems, /pas-un-email/);
  assert.match(problems, /cuisine/);
  assert.match(problems, /2026-02-30/);

  // Step 3: import; the page follows the progress until the result.
  await a.click('form[action="/admin/api/run_import"] button');
  await a.waitForSelector('[data-created]', { timeout: 20_000 });
  assert.equal(await a.locator('[data-created]').getAttribute('data-created'), '2');

  // The rejected rows, to fix and import again.
  const [rejects] = await Promise.all([a.waitForEvent('download'), a.click('a[href$="/rejects.csv"]')]);
  const text = readFileSync(await rejects.path(), 'utf8');
  const lines = text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
  assert.equal(lines.length, 3);
  assert.equal(lines[0], 'courriel;prénom;cours;fin;error');
  assert.match(lines[1], /^pas-un-email;Zoé;yoga;;/);
  assert.match(lines[2], /cuisine/);
  assert.deepEqual(errors, []);
  await ctx.close();
});
