// Lesson blocks on a phone: the creator builds a lesson from blocks in the editor; the
// student taps a timecode (the video moves there, in place with JavaScript, by reloading at
// that time without) and reveals a spoiler (no script needed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, PHONE, codeOf, openSchoolWithCourse, watchConsole } from './harness.mjs';

let worker, browser, lessonUrl, slug, student;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  const made = await openSchoolWithCourse(browser, worker, { prefix: 'blocs', school: 'Cours de maths', course: 'Dérivées', courseSlug: 'derivees' });
  const { a, courseUrl } = made;
  slug = made.slug;
  student = `eleve-${slug}@example.com`;
  await a.goto(courseUrl + '/lessons/new');
  await a.fill('input[name=title]', 'La dérivée');
  await a.fill('textarea[name=content_md]', 'Une leçon en trois blocs.');
  await a.selectOption('select[name=status]', 'published');
  await a.click('form[action="/admin/api/save_lesson"] button');
  await a.waitForURL(/\/lessons\/\d+\?ok=saved/);
  const editor = a.url().split('?')[0];
  lessonUrl = editor.replace(/\/admin\/courses\/\d+/, '/courses/derivees');
  const addBlock = async (kind, fields) => {
    await a.goto(editor);
    await a.click('details.add-block summary');
    const form = a.locator('form.add-form', { has: a.locator(`input[name=kind][value=${kind}]`) });
    for (const [name, value] of Object.entries(fields)) await form.locator(`[name=${name}]`).fill(value);
    await form.locator('button').click();
    await a.waitForURL(/ok=saved/);
  };
  await addBlock('video', { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' });
  await addBlock('text', { text: 'La définition est à [1:23], l’exemple à [2:05].' });
  await addBlock('spoiler', { title: 'Voir la réponse', text: 'La dérivée de x² est 2x.' });
  assert.equal(await a.locator('li.block-editor').count(), 3);
  await a.goto(courseUrl);
  await a.fill('form[action="/admin/api/add_student"] input[name=email]', student);
  await a.uncheck('form[action="/admin/api/add_student"] input[name=invite]');
  await a.click('form[action="/admin/api/add_student"] button');
  await a.waitForURL(/ok=student_added/);
});
after(async () => { await browser?.close(); worker?.stop(); });

async function studentPhone(options = {}) {
  const ctx = await browser.newContext({ ...PHONE, ...options });
  const page = await ctx.newPage();
  await page.goto(worker.school(slug) + '/login');
  await page.fill('form[action="/api/request_login"] input[name=email]', student);
  await page.click('form[action="/api/request_login"] button');
  if (options.javaScriptEnabled === false) {
    await page.waitForURL(/\/login\/code/);
    await page.fill('input[name=code]', codeOf(await worker.latestMail(student)));
    await page.click('form[action="/api/verify_code"] button');
  } else {
    await page.waitForSelector('input[name=code][data-live="1"]');
    await page.fill('input[name=code]', codeOf(await worker.latestMail(student)));
  }
  await page.waitForURL(worker.school(slug) + '/');
  return { ctx, page };
}

test('a timecode moves the video there in place; the spoiler reveals on tap', async () => {
  const { ctx, page } = await studentPhone();
  const errors = [];
  watchConsole(page, errors);
  await page.goto(lessonUrl);
  await page.waitForSelector('.video-seek[data-live="1"]', { state: 'attached' });
  const frame = page.locator('#video iframe');
  assert.match(await frame.getAttribute('src'), /embed\/dQw4w9WgXcQ\?start=0/);
  await page.click('a.timecode >> text=1:23');
  await page.waitForFunction(() => document.querySelector('#video iframe').getAttribute('src').includes('start=83'));
  assert.equal(page.url(), lessonUrl, 'no page load: the player moved');
  await page.click('a.timecode >> text=2:05');
  await page.waitForFunction(() => document.querySelector('#video iframe').getAttribute('src').includes('start=125'));

  const answer = page.locator('details.spoiler div');
  assert.equal(await answer.isVisible(), false, 'hidden until tapped');
  await page.tap('details.spoiler summary');
  assert.equal(await answer.isVisible(), true);
  assert.match(await answer.innerText(), /2x/);
  assert.deepEqual(errors.filter((e) => !/youtube|ERR_NAME|net::/.test(e)), []);
  await ctx.close();
});

test('without JavaScript the timecode reloads the lesson with the video starting there, and the spoiler still opens', async () => {
  const { ctx, page } = await studentPhone({ javaScriptEnabled: false });
  await page.goto(lessonUrl);
  await page.click('a.timecode >> text=1:23');
  await page.waitForURL(/\?t=83#video$/);
  assert.match(await page.locator('#video iframe').getAttribute('src'), /start=83/);
  await page.tap('details.spoiler summary');
  assert.equal(await page.locator('details.spoiler div').isVisible(), true);
  await ctx.close();
});
