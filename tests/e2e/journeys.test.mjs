// A creator opens a school, writes and publishes a course, adds a student; the student logs
// in from the email (link, then code), reads, completes, leaves, and comes back logged in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, PHONE, codeOf, uniqueSlug, watchConsole, openSchoolWithCourse } from './harness.mjs';

let worker, browser;
before(async () => { worker = await startWorker(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); worker?.stop(); });

async function creatorBuildsACourse(slug, ownerEmail, studentEmail) {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const errors = [];
  watchConsole(page, errors);
  await page.goto(worker.platform + '/');
  await page.fill('input[name=name]', 'Atelier de poterie');
  await page.fill('input[name=slug]', slug);
  await page.fill('input[name=email]', ownerEmail);
  await page.click('button[type=submit]:not(.link)');
  await page.waitForURL(new RegExp(`${slug}\\.localhost:\\d+/login/code`));
  // The code field is an island: once live, 8 digits submit the form by themselves.
  await page.waitForSelector('input[name=code][data-live="1"]');
  await page.fill('input[name=code]', codeOf(await worker.latestMail(ownerEmail)));
  await page.waitForURL(/\/admin$/);

  await page.click('a[href="/admin/courses/new"]');
  await page.fill('input[name=title]', 'Tourner un bol');
  await page.fill('input[name=slug]', 'bol');
  await page.selectOption('select[name=status]', 'published');
  await page.click('form[action="/admin/api/save_course"] button');
  await page.waitForURL(/\/admin\/courses\/\d+\?ok=saved/);

  await page.click('a[href$="/lessons/new"]');
  await page.fill('input[name=title]', 'Centrer la terre');
  await page.fill('textarea[name=content_md]', '# Centrer\n\nGardez les **coudes** fixes.');
  await page.selectOption('select[name=status]', 'published');
  await page.click('form[action="/admin/api/save_lesson"] button');
  await page.waitForURL(/\/lessons\/\d+\?ok=saved/);

  // Back to the course by the breadcrumbs (Cours › the course › the lesson).
  await page.locator('nav.crumbs a').last().click();
  await page.fill('form[action="/admin/api/add_student"] input[name=email]', studentEmail);
  await page.click('form[action="/admin/api/add_student"] button');
  await page.waitForURL(/ok=invitation_sent/);
  assert.ok((await page.textContent('main')).includes(studentEmail));
  assert.deepEqual(errors, [], 'no console errors while hydrated');
  await ctx.close();
}

async function studentReadsAndCompletes(page) {
  await page.click('a[href="/courses/bol"]');
  await page.click('ol.lessons a');
  assert.ok((await page.textContent('.content')).includes('coudes'));
  await page.click('form[action="/api/mark_complete"] button');
  // Its only lesson: the course is finished, the student congratulated.
  await page.waitForURL(/\/courses\/bol\/completed$/);
  assert.match(await page.locator('h1').innerText(), /Félicitations|Congratulations/);
  await page.click('a[href="/courses/bol"]');
  assert.ok(await page.isVisible('li.done'), 'lesson marked complete');
}

async function comesBackStillLoggedIn(ctx, slug, studentEmail) {
  const state = await ctx.storageState();
  await ctx.close();
  const again = await browser.newContext({ ...PHONE, storageState: state });
  const page = await again.newPage();
  await page.goto(worker.school(slug) + '/');
  assert.ok((await page.textContent('main')).includes('Tourner un bol'), 'dashboard lists the course');
  assert.ok(await page.isVisible('form[action="/api/logout"]'), 'still logged in');
  assert.ok((await page.textContent('main')).includes('1/1'), 'progress kept');
  await again.close();
  void studentEmail;
}

test('creator builds a course; student logs in with the emailed link on a phone', async () => {
  const slug = uniqueSlug('poterie');
  const student = `eleve-${slug}@example.com`;
  await creatorBuildsACourse(slug, `camille-${slug}@example.com`, student);

  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${worker.platform}/_dev/mail?to=${encodeURIComponent(student)}`);
  await page.click(`article[data-to="${student}"] a.mail-link`);
  await page.waitForURL(/\/login\/link\//);
  assert.ok((await page.textContent('h1')).includes('e•••@example.com'));
  await page.click('form[action="/api/confirm_link"] button');
  // The invitation leads to the course's first open lesson (issue 17), then the dashboard.
  await page.waitForURL(/\/courses\/[a-z0-9-]+\/lessons\/\d+$/);
  await page.goto(worker.school(slug) + '/');
  await studentReadsAndCompletes(page);
  await comesBackStillLoggedIn(ctx, slug, student);
});

test('the same journey with the code typed instead of the link', async () => {
  const slug = uniqueSlug('ceramique');
  const student = `eleve-${slug}@example.com`;
  await creatorBuildsACourse(slug, `camille-${slug}@example.com`, student);

  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(worker.school(slug) + '/login');
  await page.fill('input[name=email]', student);
  await page.click('form[action="/api/request_login"] button');
  await page.waitForURL(/\/login\/code/);
  const input = page.locator('input[name=code]');
  assert.equal(await input.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await input.getAttribute('inputmode'), 'numeric');
  // The code field is an island: once live, 8 digits submit the form without a tap.
  await page.waitForSelector('input[name=code][data-live="1"]');
  await input.fill(codeOf(await worker.latestMail(student)));
  await page.waitForURL(worker.school(slug) + '/');
  await studentReadsAndCompletes(page);
  await comesBackStillLoggedIn(ctx, slug, student);
});

test('without JavaScript: a form error is explained, and a student logs in and completes a lesson', async () => {
  const slug = uniqueSlug('sansjs');
  const student = `eleve-${slug}@example.com`;
  await creatorBuildsACourse(slug, `camille-${slug}@example.com`, student);

  const ctx = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(worker.platform + '/');
  await page.fill('input[name=name]', 'Sans JS');
  await page.fill('input[name=slug]', 'www');
  await page.fill('input[name=email]', 'x@example.com');
  await page.click('form[action="/api/create_school"] button');
  await page.waitForURL(/error=slug_reserved/);
  assert.match(await page.textContent('.notice.error'), /réservé/);
  assert.equal(await page.inputValue('input[name=name]'), 'Sans JS', 'typed values kept');

  await page.goto(worker.school(slug) + '/login');
  await page.fill('input[name=email]', student);
  await page.click('form[action="/api/request_login"] button');
  await page.waitForURL(/\/login\/code/);
  await page.fill('input[name=code]', codeOf(await worker.latestMail(student)));
  await page.click('form[action="/api/verify_code"] button');
  await page.waitForURL(worker.school(slug) + '/');
  await studentReadsAndCompletes(page);
  await ctx.close();
});

test('a visitor on a phone joins a free offer from the course page: email, code, first lesson', async () => {
  // The creator adds a free offer to a published course with one lesson.
  const { ctx: admin, a, slug, courseUrl } = await openSchoolWithCourse(browser, worker, { prefix: 'offre', school: 'Atelier ouvert', course: 'Croquis', courseSlug: 'croquis' });
  await a.goto(courseUrl + '/lessons/new');
  await a.fill('input[name=title]', 'Tenir le crayon');
  await a.fill('textarea[name=content_md]', 'Le poignet reste souple.');
  await a.selectOption('select[name=status]', 'published');
  await a.click('form[action="/admin/api/save_lesson"] button');
  await a.waitForURL(/\/lessons\/\d+\?ok=saved/);
  await a.goto(courseUrl);
  await a.click('#offers details:last-of-type summary');
  const form = a.locator('#offers details:last-of-type form');
  await form.locator('input[name=name]').fill('Découverte');
  await form.locator('input[name=summary]').fill('Toutes les leçons, à votre rythme.');
  await form.locator('input[name=access_kind][value=days]').check();
  await form.locator('input[name=access_days]').fill('60');
  await form.locator('input[name=seats]').fill('25');
  await form.locator('button[type=submit]').click();
  await a.waitForURL(/ok=offer_saved/);
  // The creator's browser reads English: prices, lengths and plurals in its language.
  assert.match(await a.textContent('#offers'), /Découverte · Free · Access for 60 days · All lessons · 0 students/);
  if (process.env.ATELIER_SHOTS) await a.screenshot({ path: `${process.env.ATELIER_SHOTS}/offers-admin.png`, fullPage: true });
  await admin.close();

  // A visitor on a phone.
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  const errors = [];
  watchConsole(page, errors);
  const visitor = `visiteur-${slug}@example.com`;
  await page.goto(worker.school(slug) + '/courses/croquis');
  const offer = page.locator('.offer', { hasText: 'Découverte' });
  assert.match(await offer.textContent(), /Gratuit.*Accès pendant 60 jours.*Plus que 25 places/s);
  if (process.env.ATELIER_SHOTS) await page.screenshot({ path: `${process.env.ATELIER_SHOTS}/offer-phone.png`, fullPage: true });
  await offer.locator('input[name=email]').fill(visitor);
  await offer.locator('button[type=submit]').click();
  await page.waitForSelector('input[name=code][data-live="1"]');
  await page.fill('input[name=code]', codeOf(await worker.latestMail(visitor)));
  await page.waitForURL(/\/courses\/croquis\/lessons\/\d+$/);
  assert.match(await page.textContent('.content'), /Le poignet reste souple/);
  if (process.env.ATELIER_SHOTS) await page.screenshot({ path: `${process.env.ATELIER_SHOTS}/offer-joined-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await phone.close();
});

test('a visitor on a phone reads the trial lesson, taps its call to action, pays on the checkout page and reads lesson 2', async () => {
  // The creator: lesson 1 is a free trial, lesson 2 is for buyers; Stripe (the stand-in's
  // test account) connected; a paid offer.
  const { ctx: admin, a, slug, courseUrl } = await openSchoolWithCourse(browser, worker, { prefix: 'vente', school: 'Atelier payant', course: 'Gouache', courseSlug: 'gouache' });
  const lessons = [];
  for (const [title, text] of [['La palette', 'Trois couleurs suffisent.'], ['Le premier lavis', 'Mouillez le papier avant tout.']]) {
    await a.goto(courseUrl + '/lessons/new');
    await a.fill('input[name=title]', title);
    await a.fill('textarea[name=content_md]', text);
    await a.selectOption('select[name=status]', 'published');
    await a.click('form[action="/admin/api/save_lesson"] button');
    await a.waitForURL(/\/lessons\/\d+\?ok=saved/);
    lessons.push(a.url().split('?')[0]);
  }
  await a.goto(lessons[0]);
  await a.check('form[action="/admin/api/set_trial"] input[name=trial]');
  await a.click('form[action="/admin/api/set_trial"] button');
  await a.waitForURL(/ok=trial_on/);
  await a.goto(worker.school(slug) + '/admin/settings');
  await a.fill('#stripe-secret', 'sk_test_51AtelierJourneyKey');
  await a.fill('#stripe-webhook', 'whsec_atelier_standin_0123456789abcdef');
  await a.click('form[action="/admin/api/save_payment_settings"] button');
  await a.waitForURL(/ok=payments_saved/);
  assert.match(await a.textContent('#payments'), /hooks\/stripe/);
  if (process.env.ATELIER_SHOTS) await a.screenshot({ path: `${process.env.ATELIER_SHOTS}/payments-settings.png`, fullPage: true });
  await a.goto(courseUrl);
  await a.click('#offers details:last-of-type summary');
  const form = a.locator('#offers details:last-of-type form');
  await form.locator('input[name=name]').fill('Complet');
  await form.locator('input[name=price]').fill('39');
  await form.locator('button[type=submit]').click();
  await a.waitForURL(/ok=offer_saved/);
  await admin.close();
  const [trialPath, secondPath] = lessons.map((u) => new URL(u).pathname.replace(/^\/admin\/courses\/\d+/, '/courses/gouache'));

  // The visitor, on a phone: the trial lesson, its call to action, the offer, checkout.
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  const errors = [];
  watchConsole(page, errors);
  const buyer = `acheteuse-${slug}@example.com`;
  await page.goto(worker.school(slug) + trialPath);
  assert.match(await page.textContent('.content'), /Trois couleurs suffisent/);
  await page.click('.trial-cta a.button');
  await page.waitForURL(/\/courses\/gouache#offers$/);
  const offer = page.locator('.offer', { hasText: 'Complet' });
  assert.match(await offer.textContent(), /39,00\s€/);
  await offer.locator('input[name=email]').fill(buyer);
  await offer.locator('button[type=submit]').click();
  await page.waitForURL(new RegExp(`^${worker.stripe}/pay/cs_test_`));
  assert.match(await page.textContent('body'), /39\.00 EUR/);
  await page.click('button[value=pay]');
  await page.waitForURL(/\/checkout\/[0-9a-f]{32}$/);
  await page.waitForSelector('[data-order-status=paid]', { timeout: 15_000 });
  if (process.env.ATELIER_SHOTS) await page.screenshot({ path: `${process.env.ATELIER_SHOTS}/checkout-paid-phone.png`, fullPage: true });
  await page.click('form[action="/api/order_login"] button');
  await page.waitForSelector('input[name=code][data-live="1"]');
  await page.fill('input[name=code]', codeOf(await worker.latestMail(buyer)));
  await page.waitForURL(/\/courses\/gouache\/lessons\/\d+$/);
  // Lesson 2, which the trial never showed, is now open.
  await page.goto(worker.school(slug) + secondPath);
  assert.match(await page.textContent('.content'), /Mouillez le papier avant tout/);
  assert.deepEqual(errors, []);
  await phone.close();
});
