// Drip on a phone: a locked lesson shows when it opens; time moves (the dev-only test clock);
// the digest email's link logs the student in on the lesson that just opened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, PHONE, openSchoolWithCourse, watchConsole, logInWithCode } from './harness.mjs';

let worker, browser;
before(async () => { worker = await startWorker(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); worker?.stop(); });

test('a locked lesson shows its date; once it opens, the digest link opens it', async () => {
  // The creator: a course whose second lesson opens the next day at 09:00.
  const { ctx: admin, a, slug, courseUrl } = await openSchoolWithCourse(browser, worker, { prefix: 'goutte', school: 'Goutte à goutte', course: 'Aquarelle', courseSlug: 'aquarelle' });
  const student = `eleve-${slug}@example.com`;
  for (const [title, text, days] of [['Le matériel', 'Pinceaux et papier.', null], ['Premier lavis', 'Mouillez le papier.', '1']]) {
    await a.goto(courseUrl + '/lessons/new');
    await a.fill('input[name=title]', title);
    await a.fill('textarea[name=content_md]', text);
    await a.selectOption('select[name=status]', 'published');
    if (days) {
      await a.selectOption('select[name=open_rule]', 'days');
      await a.fill('input[name=open_days]', days);
      await a.fill('input[name=open_time]', '09:00');
    }
    await a.click('form[action="/admin/api/save_lesson"] button');
    await a.waitForURL(/\/lessons\/\d+\?ok=saved/);
  }
  await a.goto(courseUrl);
  await a.fill('form[action="/admin/api/add_student"] input[name=email]', student);
  await a.click('form[action="/admin/api/add_student"] button');
  await a.waitForURL(/ok=invitation_sent/);
  await admin.close();

  // The student, on a phone: lesson 2 is locked, with its opening date in the school's time.
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  const errors = [];
  watchConsole(page, errors);
  await logInWithCode(page, worker, slug, student);
  await page.click('a[href="/courses/aquarelle"]');
  const locked = page.locator('ol.lessons li', { hasText: 'Premier lavis' });
  assert.match(await locked.textContent(), /Ouvre le .* à 09:00, heure de Paris/);
  assert.equal(await locked.locator('a').count(), 0, 'no link to a locked lesson');
  assert.ok(!(await page.content()).includes('Mouillez le papier'), 'its text is not in the page');

  // Two days later: the cron's digest, then the email's link on the phone.
  const later = Date.now() + 2 * 86_400_000;
  const run = await fetch(`http://127.0.0.1:${worker.port}/_dev/digest?now=${later}`, { method: 'POST', headers: { host: `localhost:${worker.port}` } });
  const report = await run.text();
  assert.equal(run.status, 200, report);
  await phone.setExtraHTTPHeaders({ 'x-atelier-now': String(later) });
  const digest = (await worker.mails(student)).find((m) => /nouvelles leçons|New lessons/.test(m.subject));
  assert.ok(digest, 'a digest email was sent: ' + report + ' ' + JSON.stringify((await worker.mails(student)).map((m) => m.subject)));
  assert.match(digest.text, /Premier lavis/);
  const link = digest.text.split(/\s+/).find((w) => w.includes('/login/link/'));
  await page.goto(link);
  await page.click('form[action="/api/confirm_link"] button[value=here]');
  await page.waitForURL(/\/courses\/aquarelle\/lessons\/\d+$/);
  assert.match(await page.textContent('.content'), /Mouillez le papier/);
  assert.deepEqual(errors, []);
  await phone.close();
});
