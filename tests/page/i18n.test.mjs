// The page in Simplified Chinese: no English left in what a person sees (the element's shadow
// root, the page's header and footer, and every word drawn on a canvas) across the default page,
// a tree, a network, logistic regression with its ROC view, the CSV chooser and a
// cross-validation run; and the EN / 中文 switch relabels the page live and travels in the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, server, browser, open, settle, enc, pageUrl, newPage, waitReady } from './support.mjs';

useBrowser();


/**
 * Text that the wasm writes in English (Rust-sourced strings, not yet in the catalog), left out of
 * the check by name: each entry is a selector in the element's shadow root and where its text
 * comes from. Empty: the model's summary (#formula) is worded from the catalog now (www/summary.js).
 * @type {[string, string][]}
 */
const FROM_WASM = [];

/** Words that Chinese texts keep in Latin letters, and symbols (maths function names too: sin, log, exp, tanh). */
const ALLOWED = new Set(['ReLU', 'Leaky', 'Tanh', 'Sigmoid', 'SGD', 'Adam', 'Momentum', 'Nesterov', 'SMOTE', 'ROC', 'AUC', 'AP', 'MSE',
  'Softmax', 'RMSE', 'MAE', 'CSV', 'csv', 'PR', 'F1', 'L1', 'L2', 'Lasso', 'XOR', 'IQR', 'Tukey', 'Gini', 'EN', 'English', 'ml', 'playground',
  'WebAssembly', 'Shift', 'Delete', 'sin', 'log', 'min', 'max', 'ln', 'exp', 'tanh', 'ONNX', 'JSON', 'Python', 'python', 'scikit', 'learn', 'numpy', 'PNG', 'SVG']);

/** The English words in `text` (Latin words of two letters or more not in the allow-list). */
const english = (text) => (text.match(/[A-Za-z][A-Za-z_]+/g) ?? []).filter((w) => !ALLOWED.has(w));

/** Records every text drawn on a 2-D canvas (main thread) into window.__drawn. */
function hookCanvas() {
  window.__drawn = new Set();
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.__drawn.add(String(text));
    return fill.call(this, text, ...rest);
  };
  const stroke = CanvasRenderingContext2D.prototype.strokeText;
  CanvasRenderingContext2D.prototype.strokeText = function (text, ...rest) {
    window.__drawn.add(String(text));
    return stroke.call(this, text, ...rest);
  };
}

async function zhPage(hash) {
  const page = await newPage(browser, { width: 1366, height: 900 });
  await page.addInitScript(hookCanvas);
  await page.goto(`${server.url}#${hash}`);
  await waitReady(page);
  return page;
}


/** Every visible text, title and aria-label of the element (and of the page around it) that is English. */
function englishOnPage(page) {
  return page.evaluate(({ FROM_WASM, ALLOWED }) => {
    const allowed = new Set(ALLOWED);
    const words = (text) => (text.match(/[A-Za-z][A-Za-z_]+/g) ?? []).filter((w) => !allowed.has(w));
    const root = document.querySelector('ml-playground').shadowRoot;
    const skip = FROM_WASM.flatMap(([sel]) => [...root.querySelectorAll(sel)]);
    const found = [];
    const look = (node, where) => {
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let n = walker.currentNode; n; n = walker.nextNode()) {
        const el = n.nodeType === 1 ? n : n.parentElement;
        if (!el || el.closest('style, script') || skip.some((s) => s.contains(el))) continue;
        if (n.nodeType === 3) {
          // hidden text is not seen, except the options of a select (seen when it opens)
          if (!el.closest('option') && !el.checkVisibility()) continue;
          if (words(n.textContent).length) found.push(`${where} text: ${n.textContent.trim()}`);
        } else {
          for (const attr of ['title', 'aria-label', 'label']) {
            const v = n.getAttribute(attr);
            if (v && words(v).length && (n.checkVisibility() || n.tagName === 'OPTGROUP')) found.push(`${where} ${attr}: ${v}`);
          }
        }
      }
    };
    look(root, 'element');
    for (const el of document.querySelectorAll('header, footer')) look(el, 'page');
    if (words(document.title).length) found.push(`title: ${document.title}`);
    return found;
  }, { FROM_WASM, ALLOWED: [...ALLOWED] });
}

const drawnEnglish = async (page) => (await page.evaluate(() => [...window.__drawn])).filter((t) => english(t).length);

async function expectChinese(page, what) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  assert.deepEqual(await englishOnPage(page), [], `${what}: English text on the zh page`);
  assert.deepEqual(await drawnEnglish(page), [], `${what}: English drawn on a canvas`);
}

test('the zh page has no English text, on the page or on its canvases, in every main state', async () => {
  const page = await zhPage('lang=zh');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  await expectChinese(page, 'default');
  const states = {
    'tree on circle data': { data: { kind: 'circle', n: 200, seed: 2 }, model: { kind: 'tree', max_depth: 3 } },
    'network with a learning-rate schedule': { data: { kind: 'circle', n: 200, seed: 2 }, model: { kind: 'mlp', hidden_layers: [{ neurons: 4, activation: 'tanh' }, { neurons: 3, activation: 'relu' }], train: { schedule: { kind: 'step', every: 100, gamma: 0.5 } } } },
    'logistic with its ROC view': { data: { kind: 'moons', n: 200, seed: 2 }, model: { kind: 'logistic' } },
  };
  for (const [what, state] of Object.entries(states)) {
    await page.evaluate((s) => document.querySelector('ml-playground').loadEncoded(s), enc(state));
    await settle(page);
    // train a little, so the views, the diagram and the thumbnails are drawn
    await page.evaluate(() => document.querySelector('ml-playground').step());
    await settle(page);
    await expectChinese(page, what);
    if (what.startsWith('network')) assert.ok(await page.evaluate(() => !!document.querySelector('ml-playground').snapshot.views.schedule), 'the schedule view is drawn');
  }
  assert.ok(await page.evaluate(() => !!document.querySelector('ml-playground').snapshot.views.roc));
  // (the schedule was drawn in the network's state: checked there)
  // The CSV chooser, open on a file (its column names are the learner's data: Chinese here).
  await page.evaluate(() => {
    const csv = '宽,高,长,类\n1,2,3,甲\n2,3,1,乙\n3,1,2,甲\n4,4,4,乙\n';
    document.querySelector('ml-playground').parts.csv.chooseColumns(new TextEncoder().encode(csv), '数据.csv');
  });
  await expectChinese(page, 'CSV chooser');
  // Cross-validation, run to the end.
  await page.locator('ml-playground #cv-k').selectOption('3');
  await page.locator('ml-playground #cv-run').click();
  await page.waitForFunction(() => /共 3 折/.test(document.querySelector('ml-playground').shadowRoot.getElementById('cv-result').textContent), null, { timeout: 30000 });
  await expectChinese(page, 'cross-validation');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the browser\'s language chooses Chinese when nothing else does', async () => {
  const page = await open(null, { locale: 'zh-CN' });
  assert.equal(await page.locator('ml-playground #reset').textContent(), '⟲ 重置');
  await page.context().close();
});

test('the EN / 中文 switch relabels the page live, goes into the link, and a reload keeps it', async () => {
  const page = await newPage(browser);
  await page.addInitScript(hookCanvas);
  await page.goto(pageUrl({ data: { kind: 'circle', n: 100, seed: 1 }, model: { kind: 'mlp' } }));
  await waitReady(page);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  assert.equal(await shadow('#reset').textContent(), '⟲ Reset');
  assert.equal(await shadow('#controls summary').first().textContent(), 'Data');
  // the Chinese catalog is loaded on the first switch to it (zh.js is not part of an English page)
  const loaded = () => page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/i18n/zh.js')).length);
  assert.equal(await loaded(), 0, 'zh.js loaded by an English page');
  await shadow('#lang-zh').click();
  await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('reset').textContent === '⟲ 重置');
  assert.equal(await loaded(), 1);
  assert.equal(await shadow('#play').textContent(), '▶ 运行');
  assert.equal(await shadow('#step').textContent(), '单步 ›');
  assert.equal(await shadow('#controls summary').first().textContent(), '数据');
  // the model controls from the wasm's descriptor, relabelled
  assert.ok((await shadow('#controls').textContent()).includes('学习率'));
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').lang), 'zh');
  assert.equal(await page.locator('header p').textContent(), '模型就在这里、在你的浏览器和你的电脑上训练。改变数据或模型，看它如何学习。');
  // the canvases are drawn again with the Chinese words
  await page.evaluate(() => window.__drawn.clear());
  await page.evaluate(() => document.querySelector('ml-playground').step());
  await settle(page);
  const drawn = await page.evaluate(() => [...window.__drawn]);
  assert.ok(drawn.includes('轮次'), JSON.stringify(drawn));
  await page.waitForFunction(() => /(^#|&)lang=zh(&|$)/.test(location.hash));
  assert.match(await page.evaluate(() => document.querySelector('ml-playground').link()), /[#&]s=[^&]+.*&lang=zh|lang=zh.*[#&]s=/);
  await page.reload();
  await waitReady(page);
  assert.equal(await shadow('#reset').textContent(), '⟲ 重置');
  // a link navigated to with another lang= is followed
  await page.evaluate(() => (location.hash = location.hash.replace('lang=zh', 'lang=en')));
  await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('reset').textContent === '⟲ Reset');
  await shadow('#lang-zh').click();
  assert.equal(await shadow('#reset').textContent(), '⟲ 重置');
  await shadow('#lang-en').click();
  assert.equal(await shadow('#reset').textContent(), '⟲ Reset');
  assert.equal(await shadow('#controls summary').first().textContent(), 'Data');
  await page.waitForFunction(() => /(^#|&)lang=en(&|$)/.test(location.hash));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('errors are worded in Chinese on the zh page: a bad CSV, an absurd setting, a divergence', async () => {
  const page = await zhPage('lang=zh');
  const message = () => page.evaluate(() => {
    const m = document.querySelector('ml-playground').shadowRoot.getElementById('message');
    return m.hidden ? '' : m.textContent;
  });
  // A ragged CSV file: the line and the counts, in Chinese.
  await page.locator('ml-playground input[type=file]:not(#model-input)').setInputFiles({ name: '坏.csv', mimeType: 'text/csv', buffer: Buffer.from('甲,乙,丙\n1,2,3\n4,5\n') });
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('message').hidden);
  assert.match(await message(), /坏\.csv：第 3 行：2 个字段，但第一行有 3 个。当前数据保持不变。/);
  await expectChinese(page, 'a bad CSV');
  // An absurd setting in a link: refused, naming the control by its Chinese label.
  await page.evaluate((s) => document.querySelector('ml-playground').loadEncoded(s), enc({ model: { kind: 'tree', max_depth: 400 } }));
  assert.match(await message(), /^最大深度必须在 1 到 100 之间（当前为 400）。演示保持原样。/);
  await expectChinese(page, 'an absurd setting');
  // A diverging learning rate: the divergence and what to do, in Chinese.
  await page.evaluate((s) => document.querySelector('ml-playground').loadEncoded(s),
    enc({ data: { kind: 'polynomial', n: 100 }, model: { kind: 'linear', degree: 6, solver: 'gradient_descent', train: { learning_rate: 10 } }, steps_per_frame: 50 }));
  await settle(page);
  await page.evaluate(() => document.querySelector('ml-playground').play());
  await page.waitForFunction(() => document.querySelector('ml-playground').snapshot.report.can_train === false, null, { timeout: 20000 });
  assert.match(await message(), /^训练发散了：.*请降低学习率；(.*；)?训练在第 \d+ 轮停止，已保留上一个好的模型/);
  await expectChinese(page, 'a divergence');
  // More features than the plot shows: the slice note under the plot, in Chinese.
  await page.evaluate(() => {
    const csv = '宽,高,长,类\n1,2,3,0\n2,3,1,1\n3,1,2,0\n4,4,4,1\n5,1,1,0\n1,5,2,1\n2,2,5,0\n5,5,1,1\n';
    document.querySelector('ml-playground').parts.csv.chooseColumns(new TextEncoder().encode(csv), '数据.csv');
  });
  await page.locator('ml-playground .csv button', { hasText: '导入' }).click();
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('slice-note').hidden);
  assert.match(await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('slice-note').textContent),
    /^模型图中 [宽高长] 固定在其训练均值（[\d.]+）。$/);
  await expectChinese(page, 'a slice note');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an open lesson panel and an open "?" popover with its formula are Chinese on the zh page', async () => {
  const page = await zhPage('lesson=optimizers&lang=zh');
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('lesson').hidden);
  // the lesson's formulas typeset (KaTeX replaced the TeX source)
  await page.waitForFunction(() => {
    const text = document.querySelector('ml-playground').shadowRoot.getElementById('lesson-text');
    return [...text.querySelectorAll('.tex')].every((s) => s.classList.contains('typeset'));
  });
  await settle(page);
  await expectChinese(page, 'the optimisers lesson');
  // "?" of the optimiser: its update rules typeset by KaTeX, the words around them in Chinese
  for (const key of ['model.train.optimizer', 'model.train.learning_rate']) {
    const button = page.locator(`ml-playground button.help[data-help="${key}"]`).first();
    await button.scrollIntoViewIfNeeded();
    await button.click();
    await page.evaluate(() => document.querySelector('ml-playground').parts.help.typeset);
    const pop = await page.evaluate(() => {
      const root = document.querySelector('ml-playground').shadowRoot;
      const p = root.getElementById('help-pop');
      return { open: p.matches(':popover-open'), katex: p.querySelectorAll('.katex').length, text: p.querySelector('.help-text').textContent };
    });
    assert.ok(pop.open && pop.katex >= 1, `${key}: ${JSON.stringify(pop)}`);
    await expectChinese(page, `the "?" of ${key}`);
    await page.keyboard.press('Escape');
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
