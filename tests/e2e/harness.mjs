// Chromium journeys against the real worker: wrangler dev (workerd) on a free port with a
// fresh local D1/KV, Debian's chromium driven by playwright-core, phone viewport.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = process.env.ATELIER_ROOT || new URL('../..', import.meta.url).pathname;
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const QUIET = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };

export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  locale: 'fr-FR',
  timezoneId: 'Europe/Paris',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startWorker() {
  // A free port can be taken between the check and wrangler's bind (another worker of the
  // run starting or stopping): a wrangler that exits at start is started again on new ports.
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce();
    if (started.ok) return started.worker;
    if (attempt >= 3) throw new Error(started.error);
  }
}

/** `wrangler dev --var` sets the first Worker's variables only: the admin Worker gets the
 * same ones through its own config, written for this run (paths made absolute). */
function adminConfig(state, vars) {
  const config = readFileSync(join(ROOT, 'wrangler.admin.toml'), 'utf8');
  const [before, after] = config.split('[vars]');
  const i = after.indexOf('\n[');
  const rest = i >= 0 ? after.slice(i) : '';
  const lines = Object.entries(vars).map(([k, v]) => `${k} = ${JSON.stringify(v)}\n`).join('');
  const text = `${before}[vars]\n${lines}${rest}`
    .replace('main = "', `main = "${ROOT}/`)
    .replace('migrations_dir = "', `migrations_dir = "${ROOT}/`);
  const path = join(state, 'wrangler.admin.toml');
  writeFileSync(path, text);
  return path;
}

/** The payment-provider stand-in, one per test process (its server runs in this process). */
let standin;
export async function standinUrl() {
  standin ??= (await import('../stripe/standin.mjs')).start(0);
  const { port } = await standin;
  return `http://127.0.0.1:${port}`;
}

async function startOnce() {
  const port = await freePort();
  const stripe = await standinUrl();
  const state = join(ROOT, 'target/e2e-state', String(port));
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  execFileSync(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { cwd: ROOT, env: { ...QUIET, CI: 'true' }, stdio: 'ignore' });
  const log = openSync(join(state, 'wrangler.log'), 'w');
  // Cloudflare for SaaS (schools' own domains): the same stand-in, under /client/v4.
  const vars = { ENVIRONMENT: 'dev', BASE_SCHEME: 'http', BASE_DOMAIN: `localhost:${port}`, STRIPE_API_BASE: stripe, CLOUDFLARE_API_BASE: `${stripe}/client/v4`, SAAS_ZONE_ID: '023e105f4ecef8ad9ca31a8372d0c353', CLOUDFLARE_API_TOKEN: 'standin-cloudflare-token-0123456789' };
  const child = spawn(WRANGLER, [
    'dev', '--config', 'wrangler.toml', '--config', adminConfig(state, vars), '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort()), '--persist-to', state,
    '--show-interactive-dev-session=false', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ], { cwd: ROOT, env: QUIET, stdio: ['ignore', log, log], detached: true });
  let exited = false;
  child.on('exit', () => { exited = true; });
  // Never keeps the test process alive, and goes with it whatever happens.
  child.unref();
  process.on('exit', () => { try { process.kill(-child.pid, 'SIGTERM'); } catch {} });
  mkdirSync(join(ROOT, 'target/test-pids'), { recursive: true });
  writeFileSync(join(ROOT, 'target/test-pids', String(child.pid)), String(child.pid));
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if ((await r.text()) === 'ok') break;
    } catch {}
    if (exited || Date.now() > deadline) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch {}
      return { ok: false, error: `wrangler dev did not start (see ${state}/wrangler.log)` };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const worker = {
    port,
    stripe,
    platform: `http://localhost:${port}`,
    school: (slug) => `http://${slug}.localhost:${port}`,
    async mails(to) {
      const r = await fetch(`http://127.0.0.1:${port}/_dev/mail.json?to=${encodeURIComponent(to)}`, { headers: { host: `localhost:${port}` } });
      return r.json();
    },
    async latestMail(to) {
      const mails = await this.mails(to);
      if (!mails.length) throw new Error(`no email for ${to}`);
      return mails[0];
    },
    stop() {
      try { process.kill(-child.pid, 'SIGTERM'); } catch {}
      try { child.kill('SIGTERM'); } catch {}
    },
  };
  return { ok: true, worker };
}

export function codeOf(mail) {
  const m = mail.text.match(/\b(\d{4}) (\d{4})\b/);
  if (!m) throw new Error('no code in email');
  return m[1] + m[2];
}

// axe-core on every page a journey visits: each page is audited when it has loaded, and
// closing the browser fails if any page had a serious or critical violation.
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const audited = new Set();
const pending = new Set();
export const a11yViolations = [];

/// Runs axe on the page as it is now; returns its serious/critical violations.
export async function auditA11y(page) {
  // Pages only: a script or CSV opened in a tab is shown as text, not a document to audit.
  if ((await page.evaluate(() => document.contentType)) !== 'text/html') return [];
  // Evaluated through the debugger protocol: the page's CSP (trial embeds) does not apply.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      // axe's own words for each node (a contrast ratio and its colours, say) make a failure readable.
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} (${(n.any[0] || n.all[0] || {}).message || ''})`) }));
  });
}

function watchA11y(page) {
  page.on('load', () => {
    const url = page.url();
    const key = url.replace(/[?#].*$/, '') + ' ' + (url.includes('error=') ? 'error' : '');
    // Our pages only (test fixtures, such as an embed's parent page, are on 127.0.0.1).
    if (!/^http:\/\/([a-z0-9-]+\.)?localhost:/.test(url) || url.includes('/_dev/') || audited.has(key)) return;
    audited.add(key);
    const run = auditA11y(page)
      .then((found) => { for (const v of found) a11yViolations.push({ url, ...v }); })
      .catch(() => audited.delete(key)) // navigated away mid-audit: audit it next time
      .finally(() => pending.delete(run));
    pending.add(run);
  });
}

export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const ctx = await newContext(options);
    ctx.on('page', watchA11y);
    return ctx;
  };
  const close = browser.close.bind(browser);
  browser.close = async () => {
    await Promise.allSettled([...pending]);
    await close();
    console.log(`axe-core: ${audited.size} pages audited, ${a11yViolations.length} serious/critical violations`);
    if (a11yViolations.length) {
      // The file fails (non-zero exit) without throwing here: the caller still stops its
      // worker after closing the browser.
      const report = a11yViolations.map((v) => `${v.impact} ${v.id} (${v.help}) on ${v.url}: ${v.nodes.join(', ')}`).join('\n');
      a11yViolations.length = 0;
      console.error(`not ok - axe-core: serious/critical violations\n${report}`);
      process.exitCode = 1;
    }
  };
  return browser;
}

export function uniqueSlug(prefix) {
  return `${prefix}${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;
}

/// Fails the test on any error the page's hydration logs.
export function watchConsole(page, errors) {
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('favicon')) errors.push(m.text()); });
}

/// A creator on a desktop opens a school through the platform home (the emailed code) and
/// creates a published course. Returns the page (logged in on /admin/courses/{id}) and ids.
export async function openSchoolWithCourse(browser, worker, { prefix, school, course, courseSlug }) {
  const slug = uniqueSlug(prefix);
  const owner = `prof-${slug}@example.com`;
  // A creator in Paris: the new school takes the browser's time zone.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, timezoneId: 'Europe/Paris' });
  const a = await ctx.newPage();
  await a.goto(worker.platform + '/');
  await a.fill('input[name=name]', school);
  await a.fill('input[name=slug]', slug);
  await a.fill('input[name=email]', owner);
  await a.click('form[action="/api/create_school"] button');
  await a.waitForSelector('input[name=code][data-live="1"]');
  await a.fill('input[name=code]', codeOf(await worker.latestMail(owner)));
  await a.waitForURL(/\/admin$/);
  await a.click('a[href="/admin/courses/new"]');
  await a.fill('input[name=title]', course);
  await a.fill('input[name=slug]', courseSlug);
  await a.selectOption('select[name=status]', 'published');
  await a.click('form[action="/admin/api/save_course"] button');
  await a.waitForURL(/\/admin\/courses\/\d+\?ok=saved/);
  return { ctx, a, slug, owner, courseUrl: a.url().split('?')[0] };
}

/// A student logs in on the school's login page with the emailed code (the code island
/// submits it), in `page`; they land on the school's home.
export async function logInWithCode(page, worker, slug, email) {
  await page.goto(worker.school(slug) + '/login');
  await page.fill('form[action="/api/request_login"] input[name=email]', email);
  await page.click('form[action="/api/request_login"] button');
  await page.waitForSelector('input[name=code][data-live="1"]');
  await page.fill('input[name=code]', codeOf(await worker.latestMail(email)));
  await page.waitForURL(worker.school(slug) + '/');
}
