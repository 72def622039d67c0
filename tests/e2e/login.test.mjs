// Login that never strands a student, in a real browser on a phone viewport: mail scanners
// that run JavaScript, links opened in another (cookie-less) browser, the waiting tab that
// follows only when asked to, an attacker's waiting tab, and "log out everywhere".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, PHONE, codeOf, uniqueSlug, watchConsole } from './harness.mjs';

let worker, browser;
before(async () => { worker = await startWorker(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); worker?.stop(); });

const DESKTOP = { viewport: { width: 1280, height: 800 }, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' };

/// A school with a course and one student, set up through the creator's own forms.
async function schoolWithStudent(prefix) {
  const slug = uniqueSlug(prefix);
  const owner = `prof-${slug}@example.com`;
  const student = `eleve-${slug}@example.com`;
  const ctx = await browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(worker.platform + '/');
  await page.fill('input[name=name]', 'École ' + slug);
  await page.fill('input[name=slug]', slug);
  await page.fill('input[name=email]', owner);
  await page.click('form[action="/api/create_school"] button');
  await page.waitForURL(/\/login\/code/);
  // The code field submits itself at 8 digits once its island is live.
  await page.waitForSelector('input[name=code][data-live="1"]');
  await page.fill('input[name=code]', codeOf(await worker.latestMail(owner)));
  await page.waitForURL(/\/admin$/);
  await page.click('a[href="/admin/courses/new"]');
  await page.fill('input[name=title]', 'Cours');
  await page.fill('input[name=slug]', 'cours');
  await page.click('form[action="/admin/api/save_course"] button');
  await page.waitForURL(/\/admin\/courses\/\d+\?ok=saved/);
  await page.fill('form[action="/admin/api/add_student"] input[name=email]', student);
  await page.uncheck('form[action="/admin/api/add_student"] input[name=invite]');
  await page.click('form[action="/admin/api/add_student"] button');
  await page.waitForURL(/ok=student_added/);
  return { slug, owner, student, admin: ctx };
}

async function askForCode(page, slug, email) {
  await page.goto(worker.school(slug) + '/login');
  await page.fill('form[action="/api/request_login"] input[name=email]', email);
  await page.click('form[action="/api/request_login"] button');
  await page.waitForURL(/\/login\/code/);
}

async function linkOf(email) {
  const mail = await worker.latestMail(email);
  return mail.text.split(/\s+/).find((w) => w.includes('/login/link/'));
}

async function isLoggedIn(page) {
  return page.locator('form[action="/api/logout"]').isVisible();
}

test('a scanner that runs JavaScript does not use the link up; the student’s tap logs in', async () => {
  const s = await schoolWithStudent('scan');
  const asking = await browser.newContext(PHONE);
  await askForCode(await asking.newPage(), s.slug, s.student);
  const link = await linkOf(s.student);

  // Safe Links-style: a fresh desktop browser loads the page, runs its scripts, waits.
  const scanner = await browser.newContext(DESKTOP);
  const scan = await scanner.newPage();
  await scan.goto(link);
  await scan.waitForLoadState('networkidle');
  assert.ok(!(await isLoggedIn(scan)), 'the scanner is not logged in');
  await scanner.close();

  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  const errors = [];
  watchConsole(page, errors);
  await page.goto(link);
  await page.click('form[action="/api/confirm_link"] button[value=here]');
  await page.waitForURL(worker.school(s.slug) + '/');
  assert.ok(await isLoggedIn(page), 'the student is logged in');
  assert.deepEqual(errors, []);
  await Promise.all([phone.close(), asking.close(), s.admin.close()]);
});

test('a link opened in a cookie-less browser logs it in, and the waiting tab too only when chosen', async () => {
  const s = await schoolWithStudent('wait');
  const laptop = await browser.newContext(DESKTOP);
  const waiting = await laptop.newPage();
  const errors = [];
  watchConsole(waiting, errors);
  await askForCode(waiting, s.slug, s.student);
  await waiting.waitForSelector('span.poller[data-live="1"]', { state: 'attached' });

  // The link, opened in an in-app browser that shares no cookies with the laptop.
  const inApp = await browser.newContext(PHONE);
  const page = await inApp.newPage();
  await page.goto(await linkOf(s.student));
  assert.match(await page.textContent('p.device'), /Windows · Chrome/, 'says which device asked');
  await page.click('button[value=both]');
  await page.waitForURL(/ok=also_logged_in_there/);
  assert.ok(await isLoggedIn(page), 'the context that opened the link is logged in');

  // The waiting tab notices by itself and finishes in its own browser.
  await waiting.waitForURL(worker.school(s.slug) + '/', { timeout: 15_000 });
  assert.ok(await isLoggedIn(waiting), 'the waiting tab is logged in');
  assert.deepEqual(errors, []);
  await Promise.all([laptop.close(), inApp.close(), s.admin.close()]);
});

test('an attacker’s waiting tab is not logged in when the victim confirms with the default button', async () => {
  const s = await schoolWithStudent('attaque');
  const attacker = await browser.newContext(DESKTOP);
  const tab = await attacker.newPage();
  await askForCode(tab, s.slug, s.student);
  await tab.waitForSelector('span.poller[data-live="1"]', { state: 'attached' });

  const victim = await browser.newContext(PHONE);
  const page = await victim.newPage();
  await page.goto(await linkOf(s.student));
  // The victim presses Enter: the default (first) button, "Log in here".
  await page.focus('form[action="/api/confirm_link"] button[value=here]');
  await page.keyboard.press('Enter');
  await page.waitForURL(worker.school(s.slug) + '/');
  assert.ok(await isLoggedIn(page));

  await tab.waitForTimeout(6_000);
  assert.match(tab.url(), /\/login\/code/, 'the attacker is still waiting');
  assert.ok(!(await isLoggedIn(tab)), 'and not logged in');
  await tab.click('form[action="/api/finish_login"] button');
  await tab.waitForURL(/error=wait_not_confirmed|error=wait_no_request/);
  assert.ok(!(await isLoggedIn(tab)), 'continuing by hand does not log in either');
  await Promise.all([attacker.close(), victim.close(), s.admin.close()]);
});

test('log out everywhere ends the session of the other browser', async () => {
  const s = await schoolWithStudent('partout');
  const logIn = async (options) => {
    const ctx = await browser.newContext(options);
    const page = await ctx.newPage();
    await askForCode(page, s.slug, s.student);
    await page.waitForSelector('input[name=code][data-live="1"]');
    await page.fill('form[action="/api/verify_code"] input[name=code]', codeOf(await worker.latestMail(s.student)));
    await page.waitForURL(worker.school(s.slug) + '/');
    return { ctx, page };
  };
  const phone = await logIn(PHONE);
  const laptop = await logIn(DESKTOP);
  await laptop.page.click('a.who');
  await laptop.page.waitForURL(/\/account$/);
  assert.equal(await laptop.page.locator('ul.sessions li').count(), 2, 'both sessions listed');
  await laptop.page.click('form[action="/api/logout_everywhere"] button');
  await laptop.page.waitForURL(/\/login\?ok=logged_out_everywhere/);

  await phone.page.reload();
  assert.ok(!(await isLoggedIn(phone.page)), 'the phone is logged out on its next request');
  await Promise.all([phone.ctx.close(), laptop.ctx.close(), s.admin.close()]);
});

// Every login path keeps `next` on the school: the code, the link's "Continue", the waiting
// tab that follows a login made in another tab, with each trick an open redirect uses.
test('no login path leaves the site, whatever next says', async () => {
  const s = await schoolWithStudent('next');
  const school = new URL(worker.school(s.slug)).host;
  const tricks = ['//evil.example', 'https://evil.example', '/\\evil.example', '/%5Cevil.example', '/%255Cevil.example', '/%09/evil.example', '%2F%2Fevil.example', 'javascript:alert(1)'];
  const admin = s.admin.pages()[0];
  const course = admin.url().split('?')[0];
  for (const [i, next] of tricks.entries()) {
    // A student per trick: each asks for two emails, and five per address is the limit.
    const student = `n${i}-${s.student}`;
    await admin.goto(course);
    await admin.fill('form[action="/admin/api/add_student"] input[name=email]', student);
    await admin.uncheck('form[action="/admin/api/add_student"] input[name=invite]');
    await admin.click('form[action="/admin/api/add_student"] button');
    await admin.waitForURL(/ok=student_added/);
    // Each phone on its own network (login requests are limited per IP).
    const ctx = await browser.newContext({ ...PHONE, extraHTTPHeaders: { 'cf-connecting-ip': `10.77.${i}.1` } });
    const waiting = await ctx.newPage();
    const dialogs = [];
    waiting.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    // The waiting tab, with the trick in its URL (as a link from elsewhere would put it).
    await waiting.goto(`${worker.school(s.slug)}/login?next=${encodeURIComponent(next)}`);
    await waiting.fill('form[action="/api/request_login"] input[name=email]', student);
    await waiting.click('form[action="/api/request_login"] button');
    await waiting.waitForURL(/\/login\/code/);
    await waiting.waitForSelector('.poller[data-live="1"]', { state: 'attached' });
    // Logged in from another tab of the same browser: the waiting tab follows next, if safe.
    const other = await ctx.newPage();
    const failed = [];
    other.on('response', async (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()} ${(await r.text().catch(() => '')).slice(0, 200)}`); });
    await other.goto(`${worker.school(s.slug)}/login/code?email=${encodeURIComponent(student)}&next=${encodeURIComponent(next)}`);
    await other.waitForSelector('input[name=code][data-live="1"]');
    await other.fill('input[name=code]', codeOf(await worker.latestMail(student)));
    await other.waitForURL((u) => !u.pathname.startsWith('/login')).catch((e) => { throw new Error(`next=${next}: ${e.message} ${failed.join(' | ')}`); });
    assert.equal(new URL(other.url()).host, school, `code path, next=${next}`);
    await waiting.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
    assert.equal(new URL(waiting.url()).host, school, `waiting tab, next=${next}`);
    // The link's "Continue", in a fresh browser.
    const fresh = await browser.newContext({ ...PHONE, extraHTTPHeaders: { 'cf-connecting-ip': `10.77.${i}.2` } });
    const p = await fresh.newPage();
    await p.goto(`${worker.school(s.slug)}/login?next=${encodeURIComponent(next)}`);
    await p.fill('form[action="/api/request_login"] input[name=email]', student);
    await p.click('form[action="/api/request_login"] button');
    await p.waitForURL(/\/login\/code/);
    const link = await linkOf(student);
    await p.goto(link);
    await p.click('form[action="/api/confirm_link"] button[type=submit]');
    await p.waitForURL((u) => !u.pathname.startsWith('/login'));
    assert.equal(new URL(p.url()).host, school, `link path, next=${next}`);
    assert.deepEqual(dialogs, []);
    await fresh.close();
    await ctx.close();
  }
  await s.admin.close();
});
