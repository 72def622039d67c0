// Trial-lesson embeds in Chromium, framed by a creator's site served from another local origin
// (127.0.0.1 on its own port, so another site than {school}.localhost): the snippet the creator
// copies shows the lesson and grows the frame to it; the call to action opens a new top-level
// page; "not available" cases; a restricted school; app pages never framed; third-party
// cookies blocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startWorker, launchBrowser, PHONE, openSchoolWithCourse } from './harness.mjs';

let worker, browser, site, otherSite, school;
const LONG_TEXT = Array.from({ length: 40 }, (_, i) => `Paragraphe ${i + 1} : inspirez, expirez, lentement.`).join('\n\n');

/// A creator's website: serves whatever HTML a test puts at a path.
function startSite() {
  const pages = new Map();
  const server = createServer((req, res) => {
    const html = pages.get(req.url.split('?')[0]);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html || 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const origin = `http://127.0.0.1:${server.address().port}`;
    resolve({ origin, put: (path, html) => { pages.set(path, html); return origin + path; }, close: () => server.close() });
  }));
}

/// A page of the creator's site with these frames (and the events /embed.js re-dispatches).
function framingPage(body) {
  return `<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Mon site</title></head>
<body><h1>Mon site de yoga</h1>${body}
<script>window.atelierEvents = [];
document.querySelectorAll('iframe').forEach((f) => ['atelier:viewed', 'atelier:cta'].forEach((t) => f.addEventListener(t, (e) => window.atelierEvents.push(t + ' ' + e.detail.lesson))));</script>
</body></html>`;
}

async function adminPage() {
  const { a, slug, courseUrl } = await openSchoolWithCourse(browser, worker, { prefix: 'souffle', school: 'Studio Souffle', course: 'Yoga du souffle', courseSlug: 'souffle' });
  return { a, slug, courseUrl };
}

async function newLesson(a, courseUrl, title, text, status) {
  await a.goto(courseUrl + '/lessons/new');
  await a.fill('input[name=title]', title);
  await a.fill('textarea[name=content_md]', text);
  await a.selectOption('select[name=status]', status);
  await a.click('form[action="/admin/api/save_lesson"] button');
  await a.waitForURL(/\/lessons\/\d+\?ok=saved/);
  return a.url().split('?')[0];
}

/// Ticks "trial lesson" on the lesson's settings page; returns its embed URL and snippet.
async function makeTrial(a, lessonUrl) {
  await a.goto(lessonUrl);
  await a.check('form[action="/admin/api/set_trial"] input[name=trial]');
  await a.click('form[action="/admin/api/set_trial"] button');
  await a.waitForURL(/ok=trial_on/);
  return { url: await a.inputValue('input[data-embed-url]'), snippet: await a.inputValue('textarea.snippet') };
}

async function untick(a, lessonUrl) {
  await a.goto(lessonUrl);
  await a.uncheck('form[action="/admin/api/set_trial"] input[name=trial]');
  await a.click('form[action="/admin/api/set_trial"] button');
  await a.waitForURL(/ok=trial_off/);
}

/// The text of every frame of a page (a frame the browser refused to display has none).
async function frameTexts(page) {
  const texts = [];
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    texts.push(await f.evaluate(() => document.body ? document.body.innerText : '').catch(() => ''));
  }
  return texts;
}

before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  site = await startSite();
  otherSite = await startSite();
  const { a, slug, courseUrl } = await adminPage();
  const trialUrl = await newLesson(a, courseUrl, 'Respirer', LONG_TEXT, 'published');
  const trial = await makeTrial(a, trialUrl);
  // A lesson that was a trial and is not any more, a trial lesson still in draft.
  const plainUrl = await newLesson(a, courseUrl, 'Réservé aux élèves', 'RESERVE-AUX-ELEVES', 'published');
  const wasTrial = await makeTrial(a, plainUrl);
  await untick(a, plainUrl);
  const draftUrl = await newLesson(a, courseUrl, 'Brouillon', 'BROUILLON-SECRET', 'draft');
  const draft = await makeTrial(a, draftUrl);
  school = { a, slug, courseUrl, trialUrl, trial, wasTrial, draft };
});
after(async () => { await browser?.close(); worker?.stop(); site?.close(); otherSite?.close(); });

test('the snippet shows the trial lesson on another site and the frame grows to fit it', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(site.put('/lesson', framingPage(school.trial.snippet)));
  const iframe = page.locator('iframe[data-atelier-embed]');
  const frame = await (await iframe.elementHandle()).contentFrame();
  await frame.waitForSelector('text=Paragraphe 40');
  assert.match(await frame.locator('h1').innerText(), /Respirer/);
  await page.waitForFunction(() => parseInt(document.querySelector('iframe').style.height, 10) > 600);
  const frameHeight = Math.ceil(await frame.evaluate(() => document.documentElement.getBoundingClientRect().height));
  const shown = await iframe.evaluate((f) => f.getBoundingClientRect().height);
  assert.ok(Math.abs(shown - frameHeight) <= 2, `frame ${shown}px for content ${frameHeight}px`);
  await page.waitForFunction(() => window.atelierEvents.some((e) => e.startsWith('atelier:viewed')));
  assert.equal(await frame.evaluate(() => document.cookie), '', 'the embed sets no cookie');
  await ctx.close();
});

test('without the script the frame keeps its height and scrolls', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const iframeOnly = school.trial.snippet.split('<script')[0];
  await page.goto(site.put('/no-script', framingPage(iframeOnly)));
  const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
  await frame.waitForSelector('text=Paragraphe 1 ');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height), 600);
  assert.ok(await frame.evaluate(() => document.scrollingElement.scrollHeight > window.innerHeight), 'the lesson scrolls inside');
  await ctx.close();
});

test('the call to action opens the course on the school in a new top-level page', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(site.put('/cta', framingPage(school.trial.snippet)));
  const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
  await frame.waitForSelector('a.cta');
  const [course] = await Promise.all([ctx.waitForEvent('page'), frame.click('a.cta')]);
  await course.waitForLoadState();
  assert.match(course.url(), new RegExp(`^http://${school.slug}\\.localhost:\\d+/courses/souffle`));
  assert.match(await course.locator('h1').innerText(), /Yoga du souffle/);
  assert.equal(page.url(), site.origin + '/cta', 'the creator\'s page stays where it was');
  await page.waitForFunction(() => window.atelierEvents.some((e) => e.startsWith('atelier:cta')));
  await ctx.close();
});

test('a lesson that is no longer a trial, a draft and an old embed id show "not available" and no content', async () => {
  // Regenerate the trial lesson's id: the old one is revoked.
  const { a } = school;
  await a.goto(school.trialUrl);
  await a.check('form[action="/admin/api/regenerate_embed"] input[name=confirm]');
  await a.click('form[action="/admin/api/regenerate_embed"] button');
  await a.waitForURL(/ok=embed_regenerated/);
  const fresh = await a.inputValue('input[data-embed-url]');
  assert.notEqual(fresh, school.trial.url);

  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const frames = [school.wasTrial.url, school.draft.url, school.trial.url]
    .map((src) => `<iframe src="${src}" style="width:100%;height:300px;border:0"></iframe>`).join('');
  await page.goto(site.put('/gone', framingPage(frames)));
  await page.waitForLoadState('load');
  const texts = await frameTexts(page);
  assert.equal(texts.length, 3);
  for (const text of texts) {
    assert.match(text, /Non disponible|Not available/);
    assert.doesNotMatch(text, /RESERVE-AUX-ELEVES|BROUILLON-SECRET|Paragraphe/);
  }
  school.trial = { ...school.trial, url: fresh, snippet: await a.inputValue('textarea.snippet') };
  await ctx.close();
});

test('app pages cannot be framed by any site, embeds can', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const base = worker.school(school.slug);
  const lessonPath = new URL(school.trialUrl).pathname.replace(/^\/admin\/courses\/\d+/, '/courses/souffle');
  const frames = ['/admin', '/admin/settings', '/', '/courses/souffle', lessonPath, '/login']
    .map((p) => `<iframe src="${base}${p}" style="width:100%;height:200px"></iframe>`).join('');
  await page.goto(site.put('/app-pages', framingPage(frames + `<iframe src="${school.trial.url}" style="width:100%;height:200px"></iframe>`)));
  await page.waitForLoadState('load');
  const texts = await frameTexts(page);
  assert.equal(texts.length, 7);
  for (const text of texts.slice(0, 6)) assert.doesNotMatch(text, /Studio Souffle|Yoga du souffle|Respirer|Connexion/, 'refused by frame-ancestors');
  assert.match(texts[6], /Respirer/, 'the embed itself is shown');
  await ctx.close();
});

test('when the school lists its sites, a site not on the list cannot display the frame', async () => {
  const { a } = school;
  await a.goto(worker.school(school.slug) + '/admin/settings');
  await a.fill('textarea[name=embed_sites]', otherSite.origin);
  await a.click('form[action="/admin/api/save_embed_settings"] button');
  await a.waitForURL(/ok=saved/);

  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(site.put('/not-listed', framingPage(school.trial.snippet)));
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
  const [blocked] = await frameTexts(page);
  assert.doesNotMatch(blocked, /Respirer|Paragraphe/, 'not listed: nothing shown');

  await page.goto(otherSite.put('/listed', framingPage(school.trial.snippet)));
  const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
  await frame.waitForSelector('text=Paragraphe 40');

  // Back to any site for the other tests.
  await a.fill('textarea[name=embed_sites]', '');
  await a.click('form[action="/admin/api/save_embed_settings"] button');
  await a.waitForURL(/ok=saved/);
  await ctx.close();
});

test('the embed works with third-party cookies blocked', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCookieControls', { enableThirdPartyCookieRestriction: true, disableThirdPartyCookieMetadata: true, disableThirdPartyCookieHeuristics: true });
  await page.goto(site.put('/no-cookies', framingPage(school.trial.snippet)));
  const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
  await frame.waitForSelector('text=Paragraphe 40');
  // The restriction is in force: the same cookie the school's own page keeps, the frame cannot...
  const probe = () => { document.cookie = 'probe=1; SameSite=None; Secure; Path=/'; return document.cookie; };
  assert.doesNotMatch(await frame.evaluate(probe), /probe=1/, 'third-party cookies are blocked in this browser');
  const firstParty = await ctx.newPage();
  await firstParty.goto(worker.school(school.slug) + '/embed.js');
  assert.match(await firstParty.evaluate(probe), /probe=1/, 'while first-party cookies work');
  await firstParty.close();
  // ...and the lesson, the call to action and the resize all work without one.
  await page.waitForFunction(() => parseInt(document.querySelector('iframe').style.height, 10) > 600);
  const [course] = await Promise.all([ctx.waitForEvent('page'), frame.click('a.cta')]);
  await course.waitForLoadState();
  assert.match(course.url(), /\/courses\/souffle/);
  await ctx.close();
});
