// Writing lessons and the school's emails (issue 18, items 4 and 6), on a desktop: the
// creator formats a lesson with the toolbar and sees the live preview, opens the server's
// preview in a tab, reads the schedule as a sentence; builds the program with modules (a
// lesson moved by the list, another dragged); rewrites the invitation and previews it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, openSchoolWithCourse, watchConsole } from './harness.mjs';

const SHOTS = process.env.ATELIER_SHOTS || '/tmp';
let worker, browser, made;
before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  made = await openSchoolWithCourse(browser, worker, { prefix: 'ecrire', school: 'Atelier Écriture', course: 'Aquarelle', courseSlug: 'aquarelle' });
});
after(async () => { await browser?.close(); worker?.stop(); });

async function newLesson(page, title, text) {
  await page.goto(made.courseUrl + '/lessons/new');
  await page.fill('input[name=title]', title);
  await page.fill('textarea[name=content_md]', text);
  await page.selectOption('select[name=status]', 'published');
  await page.click('form[action="/admin/api/save_lesson"] button[type=submit]:not([formaction])');
  await page.waitForURL(/ok=/);
}

test('the creator writes a lesson with the toolbar and sees the preview', async () => {
  const page = made.a;
  const errors = [];
  watchConsole(page, errors);
  await page.goto(made.courseUrl + '/lessons/new');
  await page.fill('input[name=title]', 'Les pinceaux');
  const area = page.locator('textarea[name=content_md]');
  await area.fill('Trois pinceaux suffisent');
  // The toolbar shows once the island runs; Bold wraps the selected word.
  const bold = page.locator('.md-toolbar button[data-format=bold]');
  await bold.waitFor({ state: 'visible' });
  await area.evaluate((t) => t.setSelectionRange(0, 5));
  await bold.click();
  assert.equal(await area.inputValue(), '**Trois** pinceaux suffisent');
  // A heading on a new line, then the live preview renders both (the server's rendering).
  await area.press('End');
  await area.type('\nLe matériel');
  await page.locator('.md-toolbar button[data-format=heading]').click();
  assert.equal(await area.inputValue(), '**Trois** pinceaux suffisent\n## Le matériel');
  await page.locator('.md-preview h2', { hasText: 'Le matériel' }).waitFor();
  assert.equal(await page.locator('.md-preview strong').innerText(), 'Trois');
  // The schedule reads as a sentence (a new lesson shows its fields at once).
  const rule = page.locator('details.drip-rule');
  assert.match(await rule.locator('summary').innerText(), /Opens as soon as access starts/);
  await rule.locator('select[name=open_rule]').selectOption('days');
  await rule.locator('input[name=open_days]').fill('3');
  await page.locator('.editor').screenshot({ path: `${SHOTS}/lesson-editor-desktop.png` });
  // The server's preview, in a tab of its own; the form keeps what was typed.
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.click('button[formaction="/admin/preview/lesson"]'),
  ]);
  await tab.waitForLoadState();
  assert.equal(await tab.locator('.content h2').innerText(), 'Le matériel');
  assert.match(await tab.locator('.notice').innerText(), /not saved yet/);
  await tab.close();
  await page.selectOption('select[name=status]', 'published');
  await page.click('form[action="/admin/api/save_lesson"] button[type=submit]:not([formaction])');
  await page.waitForURL(/ok=/);
  // Saved, the rule is a sentence; its fields open on demand.
  assert.match(await page.locator('details.drip-rule summary').innerText(), /Opens 3 days after the student’s start, at 09:00/);
  assert.equal(await page.locator('details.drip-rule').getAttribute('open'), null);
  await page.locator('details.drip-rule summary').click();
  assert.equal(await page.locator('select[name=open_rule]').isVisible(), true);
  assert.deepEqual(errors, []);
});

test('the creator builds modules and moves lessons between them', async () => {
  const page = made.a;
  // Every change reloads the page at the same address: wait for the navigation itself.
  const reloads = (act) => Promise.all([page.waitForNavigation(), act()]);
  await newLesson(page, 'Le papier', 'Du papier épais.');
  await newLesson(page, 'Les couleurs', 'Trois couleurs primaires.');
  await page.goto(made.courseUrl);
  for (const title of ['Le matériel', 'La peinture']) {
    await page.fill('.new-module input[name=title]', title);
    await reloads(() => page.click('.new-module button'));
  }
  // Without dragging: the list and its button.
  const row = (title) => page.locator('.program li', { hasText: title });
  await row('Les pinceaux').locator('select[name=to]').selectOption('Le matériel');
  await reloads(() => row('Les pinceaux').locator('.move-to button').click());
  assert.equal(await page.locator('.module[data-module="Le matériel"] li').count(), 1);
  // Dragged onto a module's empty space: into that module.
  await reloads(() => row('Les couleurs').dragTo(page.locator('.module[data-module="La peinture"] .empty-module')));
  assert.equal(await page.locator('.module[data-module="La peinture"] li').innerText().then((t) => t.includes('Les couleurs')), true);
  // Dragged before another lesson: into its module, just before it.
  await reloads(() => row('Le papier').dragTo(row('Les pinceaux')));
  const materiel = await page.locator('.module[data-module="Le matériel"] li a').allInnerTexts();
  assert.deepEqual(materiel, ['Le papier', 'Les pinceaux']);
  // A module moved up takes its lessons with it.
  await reloads(() => page.locator('.module[data-module="La peinture"] form:has(input[value=module_up]) button').click());
  const order = await page.locator('.program .module h3').allInnerTexts();
  assert.deepEqual(order, ['La peinture', 'Le matériel']);
  await page.locator('.program').screenshot({ path: `${SHOTS}/program-desktop.png` });
});

test('the creator rewrites the invitation and previews it with a real student', async () => {
  const page = made.a;
  await page.goto(worker.school(made.slug) + '/admin/settings');
  await page.click('a[href="/admin/settings/emails"]');
  await page.click('a[href="/admin/settings/emails/invitation"]');
  await page.fill('input[name=subject]', 'Bienvenue {{first_name}} !');
  await page.fill('textarea[name=body]', 'Bonjour {{prenom}}');
  await page.click('button[value=save]');
  await page.waitForURL(/error=email_unknown_fields/);
  assert.match(await page.locator('.notice').first().innerText(), /\{\{prenom\}\}/);
  await page.fill('textarea[name=body]', 'Bonjour {{first_name}},\n\nVotre cours « {{course_title}} » vous attend :\n{{login_link}}');
  await page.click('button[value=preview]');
  await page.waitForURL(/preview=1/);
  const frame = page.frameLocator('iframe.email-preview');
  await frame.locator('a').first().waitFor();
  assert.match(await frame.locator('body').innerText(), /Votre cours « Aquarelle » vous attend/);
  await page.click('button[value=save]');
  await page.waitForURL(/ok=saved/);
  await page.screenshot({ path: `${SHOTS}/email-editor-desktop.png`, fullPage: true });
});
