// The npm package (issue 15): `npm pack` makes a tarball that installs into an empty folder (its
// one dependency, KaTeX, from npm's cache when there, else the registry: `--offline` failed on a
// fresh machine whose cache held KaTeX's tarball from `npm ci` but not its registry entry), whose `exports` resolve (`.` the JS API, `./element` the custom element, `./wasm`
// the module), whose API fits and predicts in Node (a line fitted exactly: the closed form is
// known), and whose `types` type-check a TypeScript caller that uses the State and Report types.
// Needs the build (www/pkg), as every Node test of the API does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The installed package's element on a page of another site: every file the page asks for is
 * read from the installed folder (node_modules/ml-playground), nothing from the repository. */
async function elementOnAPage(dir) {
  const { launch, newPage, waitReady } = await import('../page/browser.mjs');
  const installed = path.join(dir, 'node_modules/ml-playground');
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.csv': 'text/csv' };
  const browser = await launch();
  try {
    const page = await newPage(browser, { width: 1000, height: 800 });
    const missing = [];
    await page.route('http://docs.test/**', (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') {
        return route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><meta charset="utf-8"><title>docs</title>
          <script type="module" src="/ml-playground/www/ml-playground.js"></script>
          <ml-playground dataset="moons" lang="zh"></ml-playground>` });
      }
      const file = path.join(installed, decodeURIComponent(url.pathname).replace(/^\/ml-playground\//, ''));
      if (!file.startsWith(installed) || !existsSync(file)) {
        missing.push(url.pathname);
        return route.fulfill({ status: 404, body: '' });
      }
      return route.fulfill({ contentType: types[path.extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
    });
    await page.goto('http://docs.test/');
    await waitReady(page);
    const shown = await page.evaluate(() => {
      const el = document.querySelector('ml-playground');
      const plot = el.shadowRoot.querySelector('canvas');
      const px = plot.getContext('2d').getImageData(0, 0, plot.width, plot.height).data;
      let coloured = 0;
      for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - px[i + 1]) + Math.abs(px[i + 1] - px[i + 2]) > 60) coloured++;
      return { points: el.snapshot.report.n_points, coloured, text: el.shadowRoot.textContent };
    });
    return { ...shown, missing, errors: page.errors };
  } finally {
    await browser.close();
  }
}

test('npm pack makes a package that installs and works in Node and in a page, with its types', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ml-playground-pack-'));
  try {
    npm(['pack', '--pack-destination', dir, '--silent'], root);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'a tarball');
    assert.ok(!existsSync(path.join(root, 'www/api.d.ts')), 'the generated declarations are cleaned up after packing');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, tarball)], dir);

    writeFileSync(path.join(dir, 'use.mjs'), `
      import { load, Dataset, Model } from 'ml-playground';
      import { existsSync } from 'node:fs';
      import { fileURLToPath } from 'node:url';
      await load();
      // y = 2x + 1 exactly: least squares gives it back, so x = 3 predicts 7
      const x = new Float64Array([-2, -1, 0, 1, 2, 4]);
      const data = Dataset.fromArrays(x, 1, x.map((v) => 2 * v + 1));
      const model = new Model({ kind: 'linear', degree: 1 });
      model.fit(data);
      const [y] = model.predict(new Float64Array([3]), 1);
      const element = fileURLToPath(import.meta.resolve('ml-playground/element'));
      const wasm = fileURLToPath(import.meta.resolve('ml-playground/wasm'));
      console.log(JSON.stringify({ y, element: existsSync(element) && element.endsWith('ml-playground.js'), wasm: existsSync(wasm) && wasm.endsWith('.wasm') }));
    `);
    const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8' }));
    assert.ok(Math.abs(out.y - 7) < 1e-12, `predicted ${out.y}`);
    assert.equal(out.element, true, 'ml-playground/element resolves');
    assert.equal(out.wasm, true, 'ml-playground/wasm resolves');

    // The types: a TypeScript caller that uses the API and the State / Report types checks, and
    // one that misuses them does not. (wasm-bindgen's declarations use Symbol.dispose: a caller's
    // lib needs esnext.disposable, or skipLibCheck.)
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const config = { compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'esnext.disposable', 'dom'], skipLibCheck: false, types: [] }, files: ['check.ts'] };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
    const check = (source) => {
      writeFileSync(path.join(dir, 'check.ts'), source);
      try {
        execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return '';
      } catch (err) {
        return String(err.stdout) + String(err.stderr);
      }
    };
    const good = check(`
      import { load, Model, type State, type Report } from 'ml-playground';
      export async function run(state: State, report: Report): Promise<number> {
        await load();
        const model = new Model({ kind: 'linear' });
        return model.predict(new Float64Array([1]), 1)[0] + state.steps_per_frame + report.epoch;
      }
    `);
    assert.equal(good, '', good);
    const bad = check(`
      import type { State } from 'ml-playground';
      export const steps: string = ({} as State).steps_per_frame;
    `);
    assert.match(bad, /TS2322/, 'a wrong use of State is caught');

    // and its element on a page served from the installed folder: trained, drawn, in Chinese
    const page = await elementOnAPage(dir);
    assert.deepEqual(page.missing, [], 'every file the page asked for is in the package');
    assert.deepEqual(page.errors, []);
    assert.ok(page.points > 0, `${page.points} points`);
    assert.ok(page.coloured > 1000, `${page.coloured} coloured pixels on the plot`);
    assert.match(page.text, /训练/, 'the Chinese catalog came from the package');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
