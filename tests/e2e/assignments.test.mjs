// Assignments and quizzes on a phone: the creator makes lesson 1 a reviewed checkpoint and invites a
// curator for the course; the student (phone) sees lesson 2 locked, sends an answer; the
// curator (desktop) approves it; the student's next lesson opens, and the email says so.
// Then the student takes the quiz of lesson 3 (a failed attempt, then a pass).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, PHONE, codeOf, openSchoolWithCourse, watchConsole } from './harness.mjs';

let worker, browser, made, lessonUrls = [], student, curator;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  made = await openSchoolWithCourse(browser, worker, { prefix: 'devoir', school: 'Atelier céramique', course: 'Céramique', courseSlug: 'ceramique' });
  const { a, courseUrl, slug } = made;
  student = `eleve-${slug}@example.com`;
  curator = `correctrice-${slug}@example.com`;
  for (const [title, text] of [['Modeler un bol', 'Façonnez un bol et montrez-le.'], ['Cuisson', 'La cuisson du bol.'], ['Quiz des émaux', 'Trois questions sur les émaux.']]) {
    await a.goto(courseUrl + '/lessons/new');
    await a.fill('input[name=title]', title);
    await a.fill('textarea[name=content_md]', text);
    await a.selectOption('select[name=status]', 'published');
    await a.click('form[action="/admin/api/save_lesson"] button');
    await a.waitForURL(/\/lessons\/\d+\?ok=saved/);
    lessonUrls.push(a.url().split('?')[0]);
  }
  // Lesson 1: an assignment, reviewed, a checkpoint (the creator's form).
  await a.goto(lessonUrls[0]);
  await a.click('details.add-task summary >> nth=0');
  const form = a.locator('form.task-form', { has: a.locator('input[name=kind][value=assignment]') });
  await form.locator('textarea[name=prompt]').fill('Envoyez la photo de votre bol.');
  await form.locator('input[name=checkpoint]').check();
  await form.locator('button').click();
  await a.waitForURL(/ok=saved/);
  assert.equal(await a.locator('form.task-form input[name=review_required]').isChecked(), true);
  // Lesson 3: a quiz typed in the editor, 2 attempts, pass mark 100 %.
  await a.goto(lessonUrls[2]);
  await a.click('details.add-task summary >> nth=1');
  const quiz = a.locator('form.task-form', { has: a.locator('input[name=kind][value=quiz]') });
  await quiz.locator('textarea[name=questions]').fill('Q: Température d’un grès ? | 2\n- 600 °C\n* 1280 °C\n\nQ+: Des émaux ?\n* Céladon\n* Tenmoku\n- Argile');
  await quiz.locator('input[name=pass_percent]').fill('100');
  await quiz.locator('input[name=max_attempts]').fill('2');
  await quiz.locator('button').click();
  await a.waitForURL(/ok=saved/);
  // The student, and a curator for this course.
  await a.goto(courseUrl);
  await a.fill('form[action="/admin/api/add_student"] input[name=email]', student);
  await a.uncheck('form[action="/admin/api/add_student"] input[name=invite]');
  await a.click('form[action="/admin/api/add_student"] button');
  await a.waitForURL(/ok=student_added/);
  await a.goto(worker.school(slug) + '/admin/team');
  await a.fill('form[action="/admin/api/invite_member"] input[name=email]', curator);
  await a.check('input[name=role][value=curator]');
  await a.click('form[action="/admin/api/invite_member"] button');
  await a.waitForURL(/ok=invitation_sent/);
  await a.locator('form.curator-courses input[type=checkbox]').first().check();
  await a.click('form.curator-courses button');
  await a.waitForURL(/ok=saved/);
});
after(async () => { await browser?.close(); worker?.stop(); });

async function logIn(ctx, email) {
  const page = await ctx.newPage();
  await page.goto(worker.school(made.slug) + '/login');
  await page.fill('form[action="/api/request_login"] input[name=email]', email);
  await page.click('form[action="/api/request_login"] button');
  await page.waitForSelector('input[name=code][data-live="1"]');
  await page.fill('input[name=code]', codeOf(await worker.latestMail(email)));
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

test('a student submits an assignment, the curator approves it, the next lesson opens', async () => {
  const phone = await browser.newContext(PHONE);
  const page = await logIn(phone, student);
  const errors = [];
  watchConsole(page, errors);
  const toStudent = (u) => u.replace(/\/admin\/courses\/\d+/, '/courses/ceramique');

  // Lesson 2 is locked behind the checkpoint.
  await page.goto(worker.school(made.slug) + '/courses/ceramique');
  assert.equal(await page.locator('a', { hasText: 'Cuisson' }).count(), 0, 'no link to lesson 2 yet');
  assert.match(await page.locator('li', { hasText: 'Cuisson' }).innerText(), /validée|approved/);

  // The student answers from the phone.
  await page.goto(toStudent(lessonUrls[0]));
  assert.match(await page.locator('#task').innerText(), /Envoyez la photo de votre bol/);
  await page.fill('#task textarea[name=text]', 'Voici mon bol, un peu penché.');
  await page.fill('#task input[name=link]', 'https://photos.example.com/bol.jpg');
  await page.click('#task form[action="/api/submit_assignment"] button[type=submit]');
  await page.waitForURL(/ok=answer_sent/);
  assert.equal(await page.locator('#task [data-status=pending]').count(), 1);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);

  // The curator approves it on a desktop.
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const c = await logIn(desk, curator);
  await c.goto(worker.school(made.slug) + '/admin/reviews');
  const item = c.locator('li.review', { hasText: 'Voici mon bol' });
  await item.locator('textarea[name=comment]').fill('Très joli bol.');
  await item.locator('button[value=approve]').click();
  await c.waitForURL(/ok=review_approved/);
  assert.equal(await c.locator('li.review', { hasText: 'Voici mon bol' }).count(), 0, 'no longer waiting');

  // The student is told, and the next lesson opens.
  const mail = await worker.latestMail(student);
  assert.match(mail.text, /Très joli bol/);
  assert.match(mail.text, /Cuisson/);
  await page.goto(worker.school(made.slug) + '/courses/ceramique');
  await page.click('a >> text=Cuisson');
  await page.waitForURL(/\/lessons\/\d+$/);
  assert.match(await page.locator('.content').innerText(), /La cuisson du bol/);
  await page.goto(toStudent(lessonUrls[0]));
  assert.equal(await page.locator('#task [data-status=approved]').count(), 1);
  assert.deepEqual(errors, []);
  await phone.close();
  await desk.close();
});

test('on a phone, the student takes the quiz: a failed attempt shows which questions were right, the second passes', async () => {
  const phone = await browser.newContext(PHONE);
  const page = await logIn(phone, student);
  const errors = [];
  watchConsole(page, errors);
  await page.goto(lessonUrls[2].replace(/\/admin\/courses\/\d+/, '/courses/ceramique'));
  // First attempt: the first question right (2 points), the second missing an answer (0).
  await page.locator('#task fieldset[data-question="0"] label', { hasText: '1280' }).tap();
  await page.locator('#task fieldset[data-question="1"] label', { hasText: 'Céladon' }).tap();
  await page.click('#task button[type=submit]');
  await page.waitForURL(/ok=quiz_failed/);
  assert.equal(await page.locator('#task [data-score="2/3"]').count(), 1);
  assert.deepEqual(await page.locator('.quiz-marks li').evaluateAll((l) => l.map((e) => e.className)), ['right', 'wrong']);
  assert.match(await page.locator('#task').innerText(), /1 tentative restante|1 attempt left/);
  // Second attempt: everything right.
  await page.locator('#task fieldset[data-question="0"] label', { hasText: '1280' }).tap();
  await page.locator('#task fieldset[data-question="1"] label', { hasText: 'Céladon' }).tap();
  await page.locator('#task fieldset[data-question="1"] label', { hasText: 'Tenmoku' }).tap();
  await page.click('#task button[type=submit]');
  await page.waitForURL(/ok=quiz_passed/);
  assert.equal(await page.locator('#task [data-score="3/3"]').count(), 1);
  assert.equal(await page.locator('#task form').count(), 0, 'a passed quiz is done');
  assert.deepEqual(errors, []);
  await phone.close();
});
