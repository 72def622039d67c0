// The XSS sweep: a corpus of hostile texts written into every field a creator, assistant,
// curator, student or CSV import fills, and into query values pages echo; then every page
// that shows them is rendered in Chromium with hooks that fail on any dialog or on any
// request a payload would make. Nothing may run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, openSchoolWithCourse, codeOf, PHONE } from './harness.mjs';

let worker, browser;
before(async () => { worker = await startWorker(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); worker?.stop(); });

// Each payload, if it ran, would open a dialog or request /xss-hit.
const PAYLOADS = [
  '<script>alert(1)</script>',
  '</textarea><script>alert(2)</script>',
  '</title><script>alert(3)</script>',
  '</style><script>alert(4)</script>',
  '</script><script>alert(5)</script>',
  '</noscript><img src=x onerror=alert(6)>',
  '<img src=x onerror=alert(7)>',
  '<svg onload=alert(8)>',
  '<body onload=alert(9)>',
  '"><script>alert(10)</script>',
  "'><img src=x onerror=alert(11)>",
  '" onmouseover="alert(12)" autofocus onfocus="alert(12)" x="',
  "' onfocus='alert(13)' autofocus='",
  'javascript:alert(14)',
  'data:text/html,<script>alert(15)</script>',
  '[click](javascript:alert(16))',
  '![img](x" onerror="alert(17))',
  '<a href="javascript:alert(18)">x</a>',
  '&lt;script&gt;alert(19)&lt;/script&gt;',
  '&#60;script&#62;alert(20)&#60;/script&#62;',
  '<iframe srcdoc="<script>alert(21)</script>"></iframe>',
  '<math><mtext></mtext><mglyph><svg><mtext><style><img src=x onerror=alert(22)></style></mtext></svg></mglyph></math>',
  '<details open ontoggle=alert(23)>',
  '<input autofocus onfocus=alert(24)>',
  '<img src=x onerror=fetch("/xss-hit?25")>',
  '{{constructor.constructor("alert(26)")()}}',
  '<!--<script>alert(27)</script>-->',
  '<object data="javascript:alert(28)"></object>',
];
const ALL = PAYLOADS.join(' ');

/// A page that fails the test on any dialog and on any request a payload would make.
function guard(page, hits) {
  page.on('dialog', async (d) => { hits.push(`dialog "${d.message()}" on ${page.url()}`); await d.dismiss().catch(() => {}); });
  page.on('request', (r) => { if (r.url().includes('xss-hit')) hits.push(`request ${r.url()} from ${page.url()}`); });
  page.on('pageerror', () => {});
}

/// Submits a real form built in the page (with the page's form token), for forms that are
/// one of several of the same action (a task editor per kind).
async function submitForm(page, action, fields) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.evaluate(({ action, fields }) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = action;
      const add = (name, value) => { const i = document.createElement('input'); i.type = 'hidden'; i.name = name; i.value = value; form.appendChild(i); };
      add('csrf', document.querySelector('input[name=csrf]').value);
      for (const [k, v] of Object.entries(fields)) add(k, v);
      document.body.appendChild(form);
      form.submit();
    }, { action, fields }),
  ]);
}

async function post(page, form, fields) {
  for (const [name, value] of Object.entries(fields)) {
    const field = page.locator(`${form} [name="${name}"]`);
    const tag = await field.evaluate((e) => e.tagName + ':' + (e.type || ''));
    if (tag.startsWith('SELECT')) await field.selectOption(value);
    else await field.fill(value);
  }
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(`${form} button[type=submit]`)]);
}

test('no stored or reflected payload runs on any page, for any role, nor in emails', async () => {
  const hits = [];
  const { ctx, a, slug, courseUrl } = await openSchoolWithCourse(browser, worker, { prefix: 'xss', school: 'École XSS', course: 'Cours XSS', courseSlug: 'xss' });
  guard(a, hits);
  const school = worker.school(slug);
  const courseId = courseUrl.split('/').pop();

  // Creator: school name (every page's <title>), course, lesson, blocks, task, settings.
  await a.goto(school + '/admin/settings');
  await post(a, 'form[action="/admin/api/save_settings"]', { name: PAYLOADS[2].slice(0, 70) });
  await a.goto(courseUrl);
  await post(a, 'form[action="/admin/api/save_course"]', { title: PAYLOADS[9], description: ALL.slice(0, 4900) });
  await a.goto(`${school}/admin/courses/${courseId}/lessons/new`);
  await post(a, 'form[action="/admin/api/save_lesson"]', { title: PAYLOADS[1], content_md: PAYLOADS.join('\n\n'), status: 'published' });
  assert.match(a.url(), /\/lessons\/\d+\?ok=saved/, 'lesson saved: ' + a.url() + ' ' + (await a.locator('main').innerText()).slice(0, 300));
  const lessonUrl = a.url().split('?')[0];
  const lessonId = lessonUrl.split('/').pop();
  await submitForm(a, '/admin/api/save_task', { course_id: courseId, lesson_id: lessonId, kind: 'assignment', prompt: ALL.slice(0, 4900), answer_kind: 'either', review_required: 'on' });
  await a.waitForURL(/ok=saved/);
  // Blocks: a spoiler (title and text), a button (label and link), a math block.
  for (const block of [{ kind: 'spoiler', title: PAYLOADS[7].slice(0, 190), text: ALL.slice(0, 4000) }, { kind: 'button', label: PAYLOADS[11].slice(0, 90), url: 'https://example.com/?q=' + encodeURIComponent(PAYLOADS[0]) }, { kind: 'math', text: '\\text{' + PAYLOADS[1] + '}' }]) {
    await a.goto(lessonUrl);
    await submitForm(a, '/admin/api/save_block', { course_id: courseId, lesson_id: lessonId, block_id: '', text: '', url: '', label: '', title: '', ...block });
  }
  await a.goto(lessonUrl);
  await post(a, 'form[action="/admin/api/save_lesson_program"]', { module: PAYLOADS[3].slice(0, 60) });
  await a.goto(`${school}/admin/courses/${courseId}`);
  await post(a, 'form[action="/admin/api/save_course_presentation"]', { author_name: PAYLOADS[10].slice(0, 80), author_bio: ALL.slice(0, 1900), banner_md: PAYLOADS.join('\n') });

  // Students: one invited with hostile names, others imported from a CSV full of payloads.
  const student = `eleve-${slug}@example.com`;
  await a.goto(school + '/admin/students');
  await a.check('form[action="/admin/api/invite_student"] input[name="courses[xss]"]');
  await post(a, 'form[action="/admin/api/invite_student"]', { email: student, first_name: PAYLOADS[6].slice(0, 90), last_name: PAYLOADS[12].slice(0, 90) });
  assert.match(a.url(), /ok=/, 'invited: ' + a.url());
  const csv = 'email;first_name;last_name;note\n'
    + PAYLOADS.slice(0, 10).map((p, i) => `csv${i}-${slug}@example.com;"${p.replaceAll('"', '""').slice(0, 90)}";X;"${ALL.replaceAll('"', '""').slice(0, 1900)}"`).join('\n') + '\n';
  await a.goto(school + '/admin/imports');
  await a.setInputFiles('input[name=file]', { name: 'xss.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await Promise.all([a.waitForURL(/\/admin\/imports\/[0-9a-f]{32}$/), a.click('form[action="/admin/imports/upload"] button')]);
  const importPage = a.url();
  await Promise.all([a.waitForNavigation({ waitUntil: 'load' }), a.click('form[action="/admin/api/run_import"] button')]);
  await a.waitForSelector('[data-created]', { timeout: 30_000 });
  // A note on the invited student.
  await a.goto(school + `/admin/students?q=${encodeURIComponent(student)}`);
  const studentHref = await a.locator(`a[href^="/admin/students/"]`).filter({ hasText: student }).first().getAttribute('href');
  await a.goto(school + studentHref);
  await post(a, 'form[action="/admin/api/save_student_profile"]', { note: ALL.slice(0, 1990) });

  // The student answers the assignment with payloads, from a phone.
  const phone = await browser.newContext(PHONE);
  const s = await phone.newPage();
  guard(s, hits);
  await s.goto(school + '/login');
  await s.fill('input[name=email]', student);
  await Promise.all([s.waitForURL(/\/login\/code/), s.click('form[action="/api/request_login"] button')]);
  await s.fill('input[name=code]', codeOf(await worker.latestMail(student)));
  await s.waitForURL((u) => !u.pathname.startsWith('/login'));
  await s.goto(`${school}/courses/xss/lessons/${lessonId}`);
  await post(s, 'form[action="/api/submit_assignment"]', { text: ALL.slice(0, 19000) });
  assert.match(s.url(), /ok=answer_sent/, 'the answer was sent: ' + s.url());

  // The owner returns the answer with a hostile comment; the student reads it.
  await a.goto(school + '/admin/reviews');
  const review = a.locator('form[action="/admin/api/review_submission"]').first();
  assert.ok(await review.count(), 'the answer waits for review');
  {
    await review.locator('textarea[name=comment]').fill(ALL.slice(0, 4900));
    await Promise.all([a.waitForNavigation({ waitUntil: 'load' }), review.locator('button[value=return]').click()]);
  }
  await s.goto(`${school}/courses/xss/lessons/${lessonId}`);

  // Every page that shows them, as the owner.
  for (const path of ['/', '/admin', '/admin/courses', '/admin/reports', `/admin/courses/${courseId}/certificate`, '/admin/students', studentHref, `/admin/courses/${courseId}`, `/admin/courses/${courseId}/lessons/${lessonId}`,
    `/admin/courses/${courseId}/report`, `/admin/courses/${courseId}/schedule`, '/admin/reviews', '/admin/settings', '/admin/team', importPage.replace(school, ''),
    `/admin/explain?email=${encodeURIComponent(student)}&course=xss`, '/courses/xss', `/courses/xss/lessons/${lessonId}`]) {
    await a.goto(school + path);
  }
  // Reflected: query values pages echo after an error.
  const q = encodeURIComponent(PAYLOADS[1] + PAYLOADS[9] + PAYLOADS[11]);
  for (const path of [`/admin/settings?error=hosts_invalid&hosts=${q}`, `/admin/settings?embed_sites=${q}`, `/admin/settings?error=time_zone_invalid&time_zone=${q}`,
    `/admin/courses/${courseId}/lessons/${lessonId}?error=quiz_needs_right_answer&task_kind=quiz&questions=${q}`, `/admin/courses/new?error=title_required&title=${q}&slug=${q}`,
    `/admin/students?q=${q}`, `/login?email=${q}&next=${q}`, `/login/code?email=${q}&next=${q}`, `/?error=${q}&ok=${q}&line=${q}&column=${q}`]) {
    await a.goto(school + path);
  }
  for (const path of [`/courses/xss/lessons/${lessonId}?error=answer_link_invalid&answer=${q}&link=${q}`, '/', '/courses/xss', '/account']) {
    await s.goto(school + path);
  }
  // The platform home echoes what was typed.
  await a.goto(worker.platform + `/?error=slug_taken&name=${q}&slug=${q}&email=${q}`);

  // Trial embed of the hostile lesson.
  await a.goto(`${school}/admin/courses/${courseId}/lessons/${lessonId}`);
  const trial = a.locator('form[action="/admin/api/set_trial"]');
  {
    await trial.locator('input[name=trial]').check();
    await Promise.all([a.waitForNavigation({ waitUntil: 'load' }), trial.locator('button[type=submit]').click()]);
    const embedId = (await a.content()).match(/\/embed\/([0-9a-f]{32})/)?.[1];
    assert.ok(embedId, 'the lesson has an embed');
    await s.goto(`${school}/embed/${embedId}`);
  }

  // The emails' HTML (invitation, import, review request) as a mail client would show it.
  const mails = [...await worker.mails(student), ...await worker.mails(`csv0-${slug}@example.com`)];
  assert.ok(mails.length > 0, 'emails were sent');
  for (const mail of mails) {
    await s.setContent(mail.html);
    await s.waitForTimeout(50);
  }

  // Give any timer-based payload a moment, then judge.
  await a.waitForTimeout(300);
  assert.deepEqual(hits, [], 'no payload ran');
  // The payloads are there, as text: the sweep tested something.
  await a.goto(school + studentHref);
  assert.match(await a.locator('textarea[name=note]').inputValue(), /<\/textarea><script>alert\(2\)<\/script>/);
  assert.match(await a.title(), /<\/title><script>alert\(3\)<\/script>/, 'the school name shows as text in the title');
  await phone.close();
  await ctx.close();
});
