// CSV errors name the line of the first error (issue 10, item 9): a short row before an
// unclosed quote further down is named as the short row (src/data/csv_import.rs blames a quote
// only for a record that swallowed the rest of the file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../../www/api.js';
import { parseCsv } from '../../www/pkg/ml_playground.js';

await load();

const error = (text) => {
  try {
    parseCsv(new TextEncoder().encode(text));
    return '';
  } catch (err) {
    return err.message;
  }
};

test('a short row is named at its line', () => {
  assert.match(error('a,b,c\n1,2,3\n4,5\n6,7,8\n'), /^line 3: 2 fields, expected 3/);
});

test('an unclosed quote is named at its line', () => {
  assert.match(error('a,b,c\n1,2,3\n4,5,6\n7,8,9\n"9,1,2\n'), /^line 5: a quote/);
});

test('a short row at line 3 before an unclosed quote at line 5: the error names line 3 and the short row', () => {
  assert.match(error('a,b,c\n1,2,3\n4,5\n6,7,8\n"9,1,2\n'), /^line 3: 2 fields, expected 3/);
});
