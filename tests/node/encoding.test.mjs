// A CSV saved in a Chinese locale (GBK / GB18030) is read: the page turns its bytes into UTF-8
// (www/util.js asUtf8) before the wasm's reader, which then parses its Chinese header and classes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asUtf8 } from '../../www/util.js';
import { load, Dataset } from '../../www/api.js';

// "身高,体重,类别\n1.5,50,甲\n1.8,80,乙\n…" in GBK (each Chinese character two bytes)
const GBK = { 身: [0xc9, 0xed], 高: [0xb8, 0xdf], 体: [0xcc, 0xe5], 重: [0xd6, 0xd8], 类: [0xc0, 0xe0], 别: [0xb1, 0xf0], 甲: [0xbc, 0xd7], 乙: [0xd2, 0xd2] };
const gbk = (text) => Uint8Array.from([...text].flatMap((c) => GBK[c] ?? [c.charCodeAt(0)]));

test('GBK bytes become the same UTF-8 text; UTF-8 (with a BOM too) is left as it is', () => {
  const text = '身高,体重,类别\n1.5,50,甲\n1.8,80,乙\n';
  assert.equal(new TextDecoder().decode(asUtf8(gbk(text))), text);
  const utf8 = new TextEncoder().encode(text);
  assert.equal(asUtf8(utf8), utf8);
  const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]);
  assert.equal(asUtf8(bom), bom);
});

test('a GBK CSV parses with its Chinese column names and text classes', async () => {
  await load();
  const rows = ['身高,体重,类别', ...Array.from({ length: 12 }, (_, i) => `${1.5 + i / 20},${50 + 2 * i},${i % 2 ? '乙' : '甲'}`)];
  const bytes = asUtf8(gbk(rows.join('\n') + '\n'));
  const { parseCsv } = await import('../../www/pkg/ml_playground.js');
  const summary = parseCsv(bytes);
  assert.deepEqual(summary.columns.map((c) => c.name), ['身高', '体重', '类别']);
  assert.ok(Dataset);
});
