// Lessons and "?" explanations on the page (issue 12): the lessons page lists every lesson in both
// languages; a lesson link (#lesson=…&step=…) opens its step with its state, text and highlighted
// control, the question turns to done when the learner answers it, Next / Back move through the
// steps and the link follows; <ml-playground lesson="…"> embeds one; every lesson's first step
// loads in English and Chinese without an error. Every visible control and metric has a "?" that
// opens a non-empty explanation in both languages, reachable by keyboard, closed by Escape, and the
// phone page does not get wider with it open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, server, browser, settle, enc, newPage, waitReady } from './support.mjs';
import { LESSONS } from '../../www/lessons/index.js';

useBrowser();

const inShadow = (page, fn, arg) => page.evaluate(([fn, arg]) => new Function('root', 'arg', `return (${fn})(root, arg)`)(document.querySelector('ml-playground').shadowRoot, arg), [fn.toString(), arg]);

test('the lessons page lists the twelve lessons in order, in English and in Chinese, each linking to its first step', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}lessons.html`);
  await page.waitForSelector('#lessons li');
  const en = await page.$$eval('#lessons li', (lis) => lis.map((li) => [li.id, li.querySelector('h2').textContent, li.querySelector('h2 a').getAttribute('href')]));
  assert.equal(en.length, 12);
  assert.deepEqual(en.map(([id]) => id), LESSONS.map((l) => `lesson-${l.id}`));
  assert.equal(en[0][1], 'Linear regression and least squares');
  assert.equal(en[0][2], 'index.html#lesson=linear&lang=en');
  await page.click('#lang-zh');
  // (the Chinese catalog is loaded on the first switch to it)
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  const zh = await page.$$eval('#lessons li h2', (hs) => hs.map((h) => h.textContent));
  assert.equal(zh[0], '线性回归与最小二乘法');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.match(await page.textContent('h1'), /课程/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a lesson link opens its step: state, text, progress, highlight; answering turns the question done; Next and Back follow the link', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#lesson=linear&step=2`);
  await waitReady(page);
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('lesson').hidden);
  const shown = await inShadow(page, (root) => ({
    title: root.getElementById('lesson-title').textContent,
    progress: root.getElementById('lesson-progress').textContent,
    text: root.getElementById('lesson-text').textContent,
    task: root.getElementById('lesson-task-text').textContent,
    highlighted: [...root.querySelectorAll('.lesson-highlight')].map((el) => el.dataset.key),
    done: root.getElementById('lesson-task').classList.contains('done'),
  }));
  assert.equal(shown.title, 'Linear regression and least squares');
  assert.equal(shown.progress, 'Step 2 of 3');
  assert.match(shown.text, /sine wave/);
  assert.match(shown.task, /R² exceed 0\.9/);
  assert.deepEqual(shown.highlighted, ['model.degree']);
  assert.equal(shown.done, false);
  const state = await page.evaluate(() => document.querySelector('ml-playground').state);
  assert.equal(state.data.kind, 'sine');
  assert.equal(state.model.degree, 1);
  await page.waitForFunction(() => /not yet/i.test(document.querySelector('ml-playground').shadowRoot.getElementById('lesson-status').textContent));
  // the learner raises the degree with the slider (as the keyboard would)
  await inShadow(page, (root) => {
    const input = root.querySelector('[data-key="model.degree"] input[type=range]');
    input.value = '5';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('lesson-task').classList.contains('done'));
  assert.match(await inShadow(page, (root) => root.getElementById('lesson-status').textContent), /Done/);
  // the link names the lesson and the step
  await page.waitForFunction(() => location.hash.includes('lesson=linear') && location.hash.includes('step=2'));
  await inShadow(page, (root) => root.getElementById('lesson-next').click());
  await settle(page);
  await page.waitForFunction(() => location.hash.includes('step=3'));
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').state.model.solver), 'gradient_descent');
  assert.equal(await inShadow(page, (root) => root.getElementById('lesson-next').textContent), 'Finish');
  await inShadow(page, (root) => root.getElementById('lesson-back').click());
  await settle(page);
  assert.equal(await inShadow(page, (root) => root.getElementById('lesson-progress').textContent), 'Step 2 of 3');
  await page.waitForFunction(() => location.hash.includes('step=2'));
  // a reload keeps the lesson, the step and the learner's own state
  await page.reload();
  await waitReady(page);
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('lesson').hidden);
  assert.equal(await inShadow(page, (root) => root.getElementById('lesson-progress').textContent), 'Step 2 of 3');
  // leaving the lesson keeps the playground and drops the lesson from the link
  await inShadow(page, (root) => root.getElementById('lesson-exit').click());
  await page.waitForFunction(() => !location.hash.includes('lesson='));
  assert.equal(await inShadow(page, (root) => root.getElementById('lesson').hidden), true);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an unknown lesson is named and the playground still starts', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#lesson=astrology`);
  await waitReady(page);
  assert.match(await inShadow(page, (root) => root.getElementById('message').textContent), /no lesson “astrology”/);
  await page.context().close();
});

test('an embedded <ml-playground lesson="tree"> runs the lesson in its own element', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}examples/embed.html`);
  await page.evaluate(() => {
    const el = document.createElement('ml-playground');
    el.id = 'lesson-embed';
    el.setAttribute('lesson', 'tree');
    el.setAttribute('lang', 'zh');
    document.body.append(el);
    // (an embedded element starts only near the viewport)
    el.scrollIntoView();
  });
  await waitReady(page, '#lesson-embed');
  await page.waitForFunction(() => !document.getElementById('lesson-embed').shadowRoot.getElementById('lesson').hidden);
  const embed = await page.evaluate(() => {
    const el = document.getElementById('lesson-embed');
    return { title: el.shadowRoot.getElementById('lesson-title').textContent, kind: el.state.model.kind, depth: el.state.model.max_depth };
  });
  assert.deepEqual(embed, { title: '决策树与剪枝', kind: 'tree', depth: 1 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const lang of ['en', 'zh']) {
  test(`every lesson's first step loads in ${lang} without an error, with its text shown`, async () => {
    const page = await newPage(browser);
    for (const lesson of LESSONS) {
      await page.goto('about:blank'); // (a new document: a hash change alone does not restart the page)
      await page.goto(`${server.url}#lang=${lang}&lesson=${lesson.id}`);
      await waitReady(page);
      await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('lesson').hidden);
      const shown = await inShadow(page, (root) => ({ title: root.getElementById('lesson-title').textContent, text: root.getElementById('lesson-text').textContent, message: root.getElementById('message').hidden ? '' : root.getElementById('message').textContent }));
      assert.equal(shown.title, lesson.title[lang], lesson.id);
      assert.ok(shown.text.length > 40, lesson.id);
      assert.equal(shown.message, '', `${lesson.id}: ${shown.message}`);
      assert.deepEqual(page.errors, [], lesson.id);
    }
    await page.context().close();
  });
}

/** The keys of the visible settings rows and metric rows, and which of them lack a "?". */
const missingHelp = (page) => inShadow(page, (root) => {
  const visible = (el) => el.offsetParent !== null;
  const rows = [...root.querySelectorAll('#controls .row')].filter(visible);
  const metrics = [...root.querySelectorAll('#metrics tr')].filter(visible);
  const missing = [...rows, ...metrics].filter((r) => !r.querySelector('button.help')).map((r) => r.dataset.key ?? r.textContent);
  return { rows: rows.length, metrics: metrics.length, missing };
});

test('every visible control and metric has a "?" that opens its explanation, in English and Chinese, by mouse and by keyboard', async () => {
  const page = await newPage(browser);
  const states = [
    {},
    { data: { kind: 'moons', missing: 0.1 }, model: { kind: 'mlp' } },
    { data: { kind: 'imbalanced' }, model: { kind: 'logistic', solver: 'gradient', penalty: { kind: 'l2' } } },
    { data: { kind: 'circle' }, model: { kind: 'tree' } },
    { data: { kind: 'moons' }, model: { kind: 'svm', kernel: 'poly' } },
    { data: { kind: 'sine' }, model: { kind: 'boosting' } },
    { data: { kind: 'xor' }, model: { kind: 'knn' } },
    { data: { kind: 'blobs' }, model: { kind: 'forest' } },
    { data: { kind: 'moons' }, model: { kind: 'ensemble' } },
    { data: { kind: 'moons' }, model: { kind: 'naive_bayes' } },
    { data: { kind: 'linear', outlier_rule: { kind: 'iqr', factor: 1.5 } }, model: { kind: 'linear', solver: 'gradient_descent' } },
  ];
  for (const lang of ['en', 'zh']) {
    for (const state of states) {
      await page.goto('about:blank');
      await page.goto(`${server.url}#lang=${lang}&s=${enc(state)}`);
      await waitReady(page);
      const { rows, metrics, missing } = await missingHelp(page);
      assert.ok(rows > 8 && metrics >= 4, `${lang} ${JSON.stringify(state)}: ${rows} rows, ${metrics} metrics`);
      assert.deepEqual(missing, [], `${lang} ${JSON.stringify(state)}`);
      // each "?" opens a non-empty explanation in the page's language
      const texts = await inShadow(page, (root) => {
        const out = [];
        for (const b of root.querySelectorAll('button.help')) {
          if (b.offsetParent === null) continue;
          b.click();
          const pop = root.getElementById('help-pop');
          out.push([b.dataset.help, pop.matches(':popover-open'), root.querySelector('.help-text').textContent, b.getAttribute('aria-expanded'), b.getAttribute('aria-label')]);
          b.click();
        }
        return out;
      });
      for (const [key, open, text, expanded, label] of texts) {
        assert.ok(open && expanded === 'true', `${lang} ${key} does not open`);
        assert.ok(text.length > (lang === 'zh' ? 15 : 30), `${lang} ${key}: "${text}"`);
        if (lang === 'zh') {
          assert.match(text, /[\u4e00-\u9fff]/, `zh ${key}`);
          assert.match(label, /是什么/, `zh ${key}: ${label}`);
        } else assert.match(label, /^What is/, `${key}: ${label}`);
      }
    }
  }
  // keyboard: Tab reaches a "?", Enter opens it, Escape closes it and focus returns to the "?"
  await page.goto('about:blank');
  await page.goto(`${server.url}#lang=en`);
  await waitReady(page);
  await inShadow(page, (root) => root.querySelector('[data-key="data.noise"] button.help').focus());
  await page.keyboard.press('Enter');
  assert.equal(await inShadow(page, (root) => root.getElementById('help-pop').matches(':popover-open')), true);
  assert.match(await inShadow(page, (root) => root.querySelector('.help-text').textContent), /scatter/);
  assert.equal(await inShadow(page, (root) => root.querySelector('.help-title').textContent), 'Noise');
  // the next Tab goes into the open explanation (its close button)
  await page.keyboard.press('Tab');
  assert.equal(await inShadow(page, (root) => root.activeElement?.className), 'help-close');
  await page.keyboard.press('Escape');
  assert.equal(await inShadow(page, (root) => root.getElementById('help-pop').matches(':popover-open')), false);
  // (focus comes back in the popover's toggle event, a task after the key: waited for, not raced)
  await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.activeElement?.closest('[data-key]')?.dataset.key === 'data.noise', null, { timeout: 5000 }).catch(() => {});
  assert.equal(await inShadow(page, (root) => root.activeElement?.closest('[data-key]')?.dataset.key), 'data.noise');
  assert.equal(await inShadow(page, (root) => root.querySelector('[data-key="data.noise"] button.help').getAttribute('aria-expanded')), 'false');
  // the slider keeps its own name (the "?" is not part of it)
  assert.equal(await inShadow(page, (root) => root.querySelector('[data-key="data.noise"] input').getAttribute('aria-label')), 'Noise');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('on a phone the explanation fits the screen and the page does not get wider', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await page.goto(`${server.url}#lang=zh&lesson=overfitting`);
  await waitReady(page);
  // (once the lesson's formulas are typeset: a long one must not widen the page either)
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.querySelector('.lesson-text .tex:not(.typeset)'));
  const before = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(before <= 390, `page ${before} px wide`);
  const box = await inShadow(page, (root) => {
    const b = root.querySelector('[data-key="model.ridge"] button.help');
    b.click();
    const r = root.getElementById('help-pop').getBoundingClientRect();
    return { left: r.left, right: r.right, width: r.width };
  });
  assert.ok(box.left >= 0 && box.right <= 390, JSON.stringify(box));
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), before);
  await page.context().close();
});

test('the lessons page on a phone (390×844): no sideways scroll, every lesson readable and its link large enough to tap; axe finds no serious or critical violation, in both languages', async () => {
  const path = await import('node:path');
  const { root } = await import('./browser.mjs');
  const page = await newPage(browser, { width: 390, height: 844 });
  for (const lang of ['en', 'zh']) {
    await page.goto(`${server.url}lessons.html#lang=${lang}`);
    await page.waitForSelector('#lessons li h2 a');
    await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), lang);
    const layout = await page.evaluate(() => {
      const doc = document.documentElement;
      const links = [...document.querySelectorAll('#lessons li h2 a, .page-nav a, .page-nav button')].map((a) => {
        const r = a.getBoundingClientRect();
        return { text: a.textContent, left: r.left, right: r.right, width: r.width, height: r.height };
      });
      const clipped = [...document.querySelectorAll('#lessons li *')].filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible').map((el) => el.tagName);
      return { scroll: doc.scrollWidth, width: doc.clientWidth, links, clipped, items: document.querySelectorAll('#lessons li').length };
    });
    assert.ok(layout.scroll <= layout.width, `${lang}: the page scrolls sideways (${layout.scroll} > ${layout.width})`);
    assert.equal(layout.items, LESSONS.length);
    assert.deepEqual(layout.clipped, [], `${lang}: text cut off`);
    for (const a of layout.links) {
      assert.ok(a.left >= 0 && a.right <= layout.width, `${lang}: ${a.text} outside the screen`);
      assert.ok(a.height >= 24 && a.width >= 24, `${lang}: ${a.text} too small to tap (${a.width}×${a.height})`);
    }
    await page.addScriptTag({ path: path.join(root, 'node_modules/axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    });
    assert.deepEqual(violations, [], `${lang}: ${JSON.stringify(violations)}`);
  }
  // a lesson opens from the phone's list
  await page.locator('#lessons li h2 a').first().click();
  await page.waitForFunction(() => document.querySelector('ml-playground') && !document.querySelector('ml-playground').shadowRoot?.getElementById('lesson')?.hidden);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 0, `the lesson's page scrolls sideways by ${wide}px`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
