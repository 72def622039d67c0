// Uploaded video on a phone (issue 16). The creator sends a video with the lesson page's
// uploader (a real WebM, recorded by the browser from a canvas: no fixture file); the
// student, on a phone, plays it in the watermarked player, starts it at a timecode, taps a
// timecode in the text, and the creator sees the view on the student's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, PHONE, openSchoolWithCourse, watchConsole, logInWithCode } from './harness.mjs';

let worker, browser, creator, lessonUrl, editorUrl, slug, student;

/// A few seconds of video, recorded in the browser: a counter drawn on a canvas.
async function recordVideo(page, seconds) {
  const base64 = await page.evaluate(async (seconds) => {
    const canvas = document.createElement('canvas');
    canvas.width = 320; canvas.height = 180;
    const g = canvas.getContext('2d');
    const stream = canvas.captureStream(15);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8' });
    const chunks = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const started = performance.now();
    const draw = () => {
      const t = (performance.now() - started) / 1000;
      g.fillStyle = `hsl(${(t * 60) % 360} 60% 40%)`;
      g.fillRect(0, 0, 320, 180);
      g.fillStyle = '#fff'; g.font = '48px sans-serif';
      g.fillText(t.toFixed(1) + ' s', 80, 110);
    };
    const timer = setInterval(draw, 1000 / 15);
    draw();
    recorder.start(250);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    recorder.stop();
    await new Promise((r) => (recorder.onstop = r));
    clearInterval(timer);
    const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, seconds);
  return Buffer.from(base64, 'base64');
}

before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  const made = await openSchoolWithCourse(browser, worker, { prefix: 'video', school: 'Atelier d’aquarelle', course: 'Lavis', courseSlug: 'lavis' });
  creator = made.a;
  slug = made.slug;
  student = `eleve-${slug}@example.com`;
  await creator.goto(made.courseUrl + '/lessons/new');
  await creator.fill('input[name=title]', 'Le lavis en vidéo');
  await creator.fill('textarea[name=content_md]', 'Regardez le début, puis revenez à [0:01] pour le geste.');
  await creator.selectOption('select[name=status]', 'published');
  await creator.click('form[action="/admin/api/save_lesson"] button');
  await creator.waitForURL(/\/lessons\/\d+\?ok=saved/);
  editorUrl = creator.url().split('?')[0];
  lessonUrl = editorUrl.replace(/\/admin\/courses\/\d+/, '/courses/lavis');
  await creator.goto(made.courseUrl);
  await creator.fill('form[action="/admin/api/add_student"] input[name=email]', student);
  await creator.uncheck('form[action="/admin/api/add_student"] input[name=invite]');
  await creator.click('form[action="/admin/api/add_student"] button');
  await creator.waitForURL(/ok=student_added/);
});
after(async () => { await browser?.close(); worker?.stop(); });

test('the creator uploads a video with the uploader: a progress bar, then a video block', async () => {
  const video = await recordVideo(creator, 4);
  assert.ok(video.length > 10_000, `a real recording (${video.length} bytes)`);
  assert.equal(video.subarray(0, 4).toString('hex'), '1a45dfa3', 'a WebM file');
  await creator.goto(editorUrl);
  await creator.click('#video-upload summary');
  await creator.waitForSelector('#video-upload form.uploader[data-live="1"]');
  await creator.setInputFiles('#video-upload input[type=file]', { name: 'démonstration.webm', mimeType: 'video/webm', buffer: video });
  await creator.click('#video-upload button[type=submit]');
  await creator.waitForURL(/ok=video_saved#blocks$/);
  assert.match(await creator.locator('.notice').first().innerText(), /Video added at the end of the lesson|Vidéo ajoutée à la fin de la leçon/);
  assert.match(await creator.locator('li.block-editor.kind-video input[name=url]').inputValue(), /^\/media\/[0-9a-f]{32}$/);
});

test('on a phone the student plays it under a watermark, from a timecode, and the creator sees the view', async () => {
  const ctx = await browser.newContext({ ...PHONE });
  const page = await ctx.newPage();
  const errors = [];
  watchConsole(page, errors);
  await logInWithCode(page, worker, slug, student);

  // Opened at a timecode (a link with ?t=2): the video starts there.
  await page.goto(lessonUrl + '?t=2');
  await page.waitForSelector('.video-player[data-live="1"]', { state: 'attached' });
  await page.waitForSelector('.player.live');
  const mark = page.locator('.player .watermark');
  assert.match(await mark.innerText(), new RegExp(`${student.replace(/[.]/g, '\\.')} · `), 'the student’s email and the date');
  assert.equal(await page.locator('.player video').getAttribute('controlslist'), 'nodownload nofullscreen');
  assert.ok(await page.locator('button.player-full-screen').isVisible(), 'full screen keeps the watermark');
  assert.match(await page.locator('.player-note').innerText(), /décourage la copie, sans la rendre impossible/);
  await page.evaluate(() => { const v = document.querySelector('.player video'); v.muted = true; return v.play(); });
  await page.waitForFunction(() => document.querySelector('.player video').currentTime >= 2.2, null, { timeout: 15_000 });
  const src = await page.locator('.player video').getAttribute('src');
  assert.match(src, /^\/media\/[0-9a-f]{32}\?v=\d+&s=[0-9a-f]+#t=2$/, 'signed for this student, starting at 2 s');

  // A timecode in the text moves the player in place.
  await page.click('a.timecode >> text=0:01');
  await page.waitForFunction(() => { const t = document.querySelector('.player video').currentTime; return t >= 1 && t < 2; }, null, { timeout: 10_000 });
  assert.ok(page.url().startsWith(lessonUrl), 'no page load');

  // The watermark moves by itself.
  const before = await mark.getAttribute('style');
  await page.waitForFunction((b) => document.querySelector('.player .watermark').getAttribute('style') !== b, before, { timeout: 10_000 });
  assert.deepEqual(errors, []);
  await page.screenshot({ path: `${process.env.ATELIER_SHOTS || '/tmp'}/video-phone.png` });
  await creator.screenshot({ path: `${process.env.ATELIER_SHOTS || '/tmp'}/video-editor.png`, fullPage: true });
  await ctx.close();

  // The creator sees who watched.
  await creator.goto(worker.school(slug) + '/admin/students?q=' + encodeURIComponent(student));
  await creator.click(`a:has-text("${student}")`);
  const views = creator.locator('#video-views');
  await views.waitFor();
  assert.match(await views.innerText(), /démonstration\.webm\s+1/);
});
