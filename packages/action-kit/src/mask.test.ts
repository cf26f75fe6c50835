import { describe, expect, it } from 'vitest';
import { maskPieces, maskSecret } from './mask.js';
import { cell, markdownTable } from './summary.js';

describe('maskPieces', () => {
  it('masks a single-line secret whole', () => {
    expect(maskPieces('s3cr3t')).toEqual(['s3cr3t']);
  });

  it('masks a multi-line secret whole and line by line', () => {
    const pem = '-----BEGIN KEY-----\r\nAAAA\n  BBBB  \n\n-----END KEY-----';
    expect(maskPieces(pem)).toEqual([
      pem,
      '-----BEGIN KEY-----',
      'AAAA',
      'BBBB',
      '-----END KEY-----',
      // unquoted `echo $PEM` prints the lines on one line
      '-----BEGIN KEY----- AAAA BBBB -----END KEY-----',
    ]);
  });

  it('masks the forms a shell prints: trimmed, and words joined by single spaces (issue 15 item 4)', () => {
    expect(maskPieces('  padded-secret  \n')).toEqual(['  padded-secret  \n', 'padded-secret']);
    expect(maskPieces('\tpass word\t')).toEqual(['\tpass word\t', 'pass word']);
    expect(maskPieces('word-one   word-two')).toEqual(['word-one   word-two', 'word-one word-two']);
    expect(maskPieces(' a\n  b c \n')).toEqual([' a\n  b c \n', 'a\n  b c', 'a', 'b c', 'a b c']);
  });

  it('registers nothing for blank values', () => {
    const registered: string[] = [];
    maskSecret('  \n ', (p) => registered.push(p));
    expect(registered).toEqual([]);
  });
});

describe('markdownTable', () => {
  it('escapes pipes and newlines in cells', () => {
    expect(cell('a|b\nc')).toBe('a\\|b<br>c');
    expect(
      markdownTable(
        ['name', 'value'],
        [
          ['x', 'a|b'],
          ['y', undefined],
        ],
      ),
    ).toBe('| name | value |\n| --- | --- |\n| x | a\\|b |\n| y |  |');
  });
});
