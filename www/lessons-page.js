// @ts-check
// The lessons page (lessons.html): every lesson of www/lessons/ in the primer's order, with its
// chapter, title, summary and number of steps, each a link to the playground at its first step
// (index.html#lesson=<id>&lang=<lang>). The language: `lang=` in the hash, else the browser's; the
// EN / 中文 switch changes it.
import { LESSONS } from './lessons/index.js';
import { hasLanguage, language, loadLanguage, pickLanguage, setLanguage, t } from './i18n.js';
import { labelStatic } from './template.js';
import { hashParams } from './state-url.js';
import { h } from './util.js';

/** Lists the lessons in the current language. */
function render() {
  const lang = language();
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : lang;
  labelStatic(document);
  document.title = t('lessons.title');
  const list = /** @type {HTMLElement} */ (document.getElementById('lessons'));
  list.replaceChildren(...LESSONS.map((lesson, i) => {
    const href = `index.html#lesson=${encodeURIComponent(lesson.id)}&lang=${lang}`;
    const link = h('a', { href, className: 'lesson-start', textContent: t('lessons.start') });
    link.setAttribute('aria-label', `${t('lessons.start')}: ${lesson.title[lang]}`);
    return h('li', { id: `lesson-${lesson.id}` },
      h('span', { className: 'lesson-chapter', textContent: t('lessons.chapter', { n: i + 1 }) }),
      h('h2', {}, h('a', { href, textContent: lesson.title[lang] })),
      h('p', { textContent: lesson.summary[lang] }),
      h('p', { className: 'lesson-meta' }, t('lessons.steps', { n: lesson.steps.length }), ' · ', link));
  }));
  /** @type {HTMLAnchorElement} */ (document.getElementById('playground-link')).href = `index.html#lang=${lang}`;
  for (const l of /** @type {const} */ (['en', 'zh'])) document.getElementById(`lang-${l}`)?.setAttribute('aria-pressed', String(lang === l));
}

/** Shows the page in `lang` (its catalog loaded first) and keeps it in the hash (a copied link
 * keeps the language). A catalog that cannot be loaded leaves the page as it was. */
async function use(/** @type {import('./i18n.js').Language} */ lang) {
  try {
    await loadLanguage(lang);
  } catch {
    return;
  }
  setLanguage(lang);
  history.replaceState(null, '', `#lang=${lang}`);
  render();
}

const first = pickLanguage(hashParams(location.hash).get('lang'), navigator.language);
await loadLanguage(first).catch(() => {});
setLanguage(hasLanguage(first) ? first : 'en');
render();
for (const l of /** @type {const} */ (['en', 'zh'])) {
  const b = document.getElementById(`lang-${l}`);
  if (b) b.onclick = () => use(l);
}
window.addEventListener('hashchange', () => {
  const lang = pickLanguage(hashParams(location.hash).get('lang'), language());
  if (lang !== language()) use(lang);
});
