// Unit: LineSplitter turns output chunks into lines whatever the chunk boundaries.

import { LineSplitter } from '../../engine/src/drivers/os/output-lines';

function split(chunks: Buffer[]): string[] {
  const splitter = new LineSplitter();
  return [...chunks.flatMap((c) => splitter.push(c)), ...splitter.end()];
}

describe('LineSplitter', () => {
  test.each([
    ['whole lines in one chunk', ['a\nb\n'], ['a', 'b']],
    ['a line split across chunks', ['hel', 'lo\nwor', 'ld\n'], ['hello', 'world']],
    ['an unterminated last line', ['a\nlast'], ['a', 'last']],
    ['CRLF line ends', ['a\r\nb\r\n'], ['a', 'b']],
    ['a CR inside a line is kept', ['50%\r100%\n'], ['50%\r100%']],
    ['empty lines', ['\n\nx\n'], ['', '', 'x']],
    ['no output', [], []],
  ])('%s', (_why, chunks, lines) => {
    expect(split(chunks.map((c) => Buffer.from(c)))).toEqual(lines);
  });

  test('a multi-byte character cut by a chunk boundary arrives whole', () => {
    const bytes = Buffer.from('é€\n');
    expect(split([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).toEqual(['é€']);
  });

  test('lines come out as soon as their line break arrives', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('first\nsec'))).toEqual(['first']);
    expect(splitter.push(Buffer.from('ond'))).toEqual([]);
    expect(splitter.push(Buffer.from('\n'))).toEqual(['second']);
    expect(splitter.end()).toEqual([]);
  });
});
