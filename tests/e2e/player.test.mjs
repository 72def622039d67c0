// The student's course on a phone (issue 17): from the invitation email to the first lesson
// in two taps (the link, then "continue"), the lesson list in its drawer jumps to another
// lesson, previous / next skip a locked lesson, the dashboard offers to continue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, PHONE, openSchoolWithCourse, watchConsole, logInWithCode } from './harness.mjs';

let worker, browser, slug, student, courseUrl, creator;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  const made = await openSchoolWithCourse(browser, worker, { prefix: 'lecteur', school: 'Atelier de poterie', course: 'Tournage', courseSlug: 'tournage' });
  slug = made.slug;
  courseUrl = made.courseUrl;
  student = `eleve-${slug}@example.com`;
  const a = made.a;
  creator = a;
  const lesson = async (title, text, schedule = {}) => {
    await a.goto(courseUrl + '/lessons/new');
    await a.fill('input[name=title]', title);
    await a.fill('textarea[name=content_md]', text);
    await a.selectOption('select[name=status]', 'published');
    for (const [name, value] of Object.entries(schedule)) {
      if (name === 'open_rule') await a.selectOption('select[name=open_rule]', value);
      else await a.fill(`input[name=${name}]`, value);
    }
    await a.click('form[action="/admin/api/save_lesson"] button');
    await a.waitForURL(/\/lessons\/\d+\?ok=saved/);
  };
  await lesson('Centrer la terre', 'Mouillez vos mains.');
  await lesson('Ouvrir la forme', 'Le pouce au centre.');
  await lesson('Tournasser', 'Le lendemain.', { open_rule: 'days', open_days: '10' });
  await lesson('Émailler', 'Enfin la couleur.');
  await a.goto(courseUrl);
  await a.fill('form[action="/admin/api/add_student"] input[name=email]', student);
  await a.click('form[action="/admin/api/add_student"] button');
  await a.waitForURL(/ok=invitation_sent/);
});
after(async () => { await browser?.close(); worker?.stop(); });

test('from the invitation email to the first lesson in two taps, then around the course from the drawer', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const errors = [];
  watchConsole(page, errors);
  const mail = await worker.latestMail(student);
  const link = mail.text.split(/\s+/).find((w) => w.includes('/login/link/'));
  // Tap 1: the email's link. Tap 2: "continue". Then the lesson, logged in.
  await page.goto(link.replace(/^https?:\/\/[^/]+/, worker.school(slug)));
  await page.locator('form[action="/api/confirm_link"] button').first().tap();
  await page.waitForURL(/\/courses\/tournage\/lessons\/\d+$/);
  assert.match(await page.locator('h1').innerText(), /Centrer la terre/);
  assert.match(await page.locator('.content').innerText(), /Mouillez vos mains/);
  assert.match(await page.locator('.course-progress').innerText(), /0/);

  // The drawer: closed, then open; the dated lesson is locked, the others a tap away.
  const drawer = page.locator('details.lesson-drawer');
  assert.equal(await drawer.locator('ol').isVisible(), false);
  assert.equal(await page.locator('.lesson-sidebar').isVisible(), false, 'no sidebar on a phone');
  await drawer.locator('summary').tap();
  const locked = drawer.locator('li.program-item.locked', { hasText: 'Tournasser' });
  assert.equal(await locked.locator('a').count(), 0);
  assert.match(await locked.innerText(), /Ouvre le/);
  await drawer.locator('a', { hasText: 'Ouvrir la forme' }).tap();
  await page.waitForURL(/\/lessons\/\d+$/);
  assert.match(await page.locator('h1').innerText(), /Ouvrir la forme/);
  // Next skips the locked lesson and says when it opens.
  assert.match(await page.locator('.next-locked').innerText(), /Tournasser/);
  assert.match(await page.locator('a[rel=next]').innerText(), /Émailler/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling (${width}px)`);
  await page.screenshot({ path: `${process.env.ATELIER_SHOTS || '/tmp'}/player-phone.png`, fullPage: true });
  await drawer.locator('summary').tap();
  await page.screenshot({ path: `${process.env.ATELIER_SHOTS || '/tmp'}/player-drawer-phone.png`, fullPage: true });

  // The dashboard: the course in progress, and "continue" back to this lesson.
  await page.goto(worker.school(slug) + '/');
  const card = page.locator('li.course-card', { hasText: 'Tournage' });
  assert.match(await card.innerText(), /Ouvrir la forme/);
  await card.locator('a[data-continue="1"]').tap();
  await page.waitForURL(/\/lessons\/\d+$/);
  assert.match(await page.locator('h1').innerText(), /Ouvrir la forme/);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: `${process.env.ATELIER_SHOTS || '/tmp'}/dashboard-phone.png` });
  await ctx.close();
});

test('on a desktop the lesson list is a sidebar', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await logInWithCode(page, worker, slug, student);
  await page.goto(worker.school(slug) + '/courses/tournage/continue');
  await page.waitForURL(/\/lessons\/\d+$/);
  assert.equal(await page.locator('.lesson-sidebar').isVisible(), true);
  assert.equal(await page.locator('details.lesson-drawer').isVisible(), false);
  assert.equal(await page.locator('.lesson-sidebar [aria-current=page]').count(), 1);
  await page.screenshot({ path: `${process.env.ATELIER_SHOTS || '/tmp'}/player-desktop.png` });
  await ctx.close();
});

test('a message from the school lights the bell on the phone; reading it turns it off', async () => {
  // The creator writes to the course's students (the bulk email, which also posts in the app).
  await creator.goto(worker.school(slug) + '/admin/students?q=' + encodeURIComponent(student));
  const id = await creator.locator(`a:has-text("${student}")`).first().getAttribute('href').then((h) => h.split('/').pop());
  const status = await creator.evaluate(async (id) => {
    const query = `selection=ids&ids=${id}&action=email&course=tournage&subject=Atelier%20ouvert%20samedi&body=Bonjour%2C%20l%E2%80%99atelier%20est%20ouvert%20samedi.`;
    const r = await fetch('/admin/api/bulk_run', { method: 'POST', body: new URLSearchParams({ query }), redirect: 'manual' });
    return r.status;
  }, id);
  assert.ok([0, 200, 303].includes(status), `bulk run answered ${status}`);
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await logInWithCode(page, worker, slug, student);
  const bell = page.locator('a.bell');
  assert.equal(await bell.locator('.count').innerText(), '1');
  assert.match(await bell.getAttribute('aria-label'), /1 non lue/);
  await bell.tap();
  await page.waitForURL(/\/notifications$/);
  assert.match(await page.locator('li.notification.unread').innerText(), /Atelier ouvert samedi/);
  await page.screenshot({ path: `${process.env.ATELIER_SHOTS || '/tmp'}/notifications-phone.png` });
  await page.locator('li.notification.unread button').tap();
  await page.waitForURL(/\/courses\/tournage\/lessons\/\d+$/);
  assert.equal(await page.locator('a.bell .count').count(), 0, 'the bell count dropped');
  await ctx.close();
});
