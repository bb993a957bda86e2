// HPACK as the plugin's HTTP/2 server decodes it: the Huffman table against codes printed in RFC 7541 Appendix B,
// the RFC's own examples (Appendix C), malformed input, and the few encodings the server sends.

import { huffmanCode, huffmanDecode, HUFFMAN_SYMBOLS_BY_LENGTH, HpackDecoder, HpackError, indexed, literal, literalWithIndexedName, pushInteger } from '../../provider-shim/src/plugin/hpack';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** A Huffman encoder built from the table under test (the server never encodes; the tests need one). */
function huffmanEncode(text: string): Buffer {
  let bits = '';
  for (const byte of Buffer.from(text, 'latin1')) {
    const [code, length] = huffmanCode(byte);
    bits += code.toString(2).padStart(length, '0');
  }
  bits += '1'.repeat((8 - (bits.length % 8)) % 8);
  return Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
}

describe('Huffman table', () => {
  test('holds each of the 257 symbols once, and its lengths fill the code space exactly (Kraft sum 1)', () => {
    const all = Object.values(HUFFMAN_SYMBOLS_BY_LENGTH).flat();
    expect(all).toHaveLength(257);
    expect(new Set(all).size).toBe(257);
    expect(Math.min(...all)).toBe(0);
    expect(Math.max(...all)).toBe(256);
    const kraft = Object.entries(HUFFMAN_SYMBOLS_BY_LENGTH).reduce((sum, [length, symbols]) => sum + symbols.length * 2 ** -Number(length), 0);
    expect(kraft).toBe(1);
  });

  test.each([
    [0, 0x1ff8, 13],
    [1, 0x7fffd8, 23],
    [10, 0x3ffffffc, 30],
    [32, 0x14, 6],
    [48, 0x0, 5],
    [97, 0x3, 5],
    [122, 0x7b, 7],
    [92, 0x7fff0, 19],
    [255, 0x3ffffee, 26],
    [256, 0x3fffffff, 30],
  ])('symbol %i has the RFC code %i of %i bits', (symbol, code, length) => {
    expect(huffmanCode(symbol)).toEqual([code, length]);
  });

  test('decodes the RFC 7541 C.4 strings', () => {
    expect(huffmanDecode(hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff'), 0, 12)).toBe('www.example.com');
    expect(huffmanDecode(hex('a8eb 1064 9cbf'), 0, 6)).toBe('no-cache');
    expect(huffmanEncode('custom-value')).toEqual(hex('25a8 49e9 5bb8 e8b4 bf'));
  });

  test('round-trips every byte value', () => {
    const text = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');
    const encoded = huffmanEncode(text);
    expect(huffmanDecode(encoded, 0, encoded.length)).toBe(text);
  });

  test('refuses EOS inside a string, padding of 8 bits or more, and padding that is not all ones', () => {
    const eos = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    expect(() => huffmanDecode(eos, 0, 4)).toThrow(HpackError);
    const a = huffmanEncode('a'); // 00011 + 111 padding
    expect(() => huffmanDecode(Buffer.concat([a, Buffer.from([0xff])]), 0, 2)).toThrow('padding');
    expect(() => huffmanDecode(Buffer.from([0b00011000]), 0, 1)).toThrow('padding');
  });
});

describe('HpackDecoder', () => {
  test('decodes RFC 7541 C.3 (literals, no Huffman) and keeps the dynamic table across blocks', () => {
    const d = new HpackDecoder();
    expect(d.decode(hex('8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'))).toEqual([
      [':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'],
    ]);
    expect(d.decode(hex('8286 84be 5808 6e6f 2d63 6163 6865'))).toEqual([
      [':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache'],
    ]);
    expect(d.decode(hex('8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65'))).toEqual([
      [':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value'],
    ]);
  });

  test('decodes RFC 7541 C.4 (the same requests, Huffman-coded)', () => {
    const d = new HpackDecoder();
    d.decode(hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'));
    d.decode(hex('8286 84be 5886 a8eb 1064 9cbf'));
    expect(d.decode(hex('8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'))).toEqual([
      [':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value'],
    ]);
  });

  test('evicts the oldest entries when the table is full, and after a size update', () => {
    const d = new HpackDecoder(100);
    // Two entries of 32 + 1 + 20 bytes: the second evicts the first.
    d.decode(Buffer.concat([Buffer.from([0x40, 0x01, 0x61, 0x14]), Buffer.from('a'.repeat(20))]));
    d.decode(Buffer.concat([Buffer.from([0x40, 0x01, 0x62, 0x14]), Buffer.from('b'.repeat(20))]));
    expect(d.decode(Buffer.from([0xbe]))).toEqual([['b', 'b'.repeat(20)]]);
    expect(() => d.decode(Buffer.from([0xbf]))).toThrow('beyond the tables');
    d.decode(Buffer.from([0x20])); // size update to 0 empties the table
    expect(() => d.decode(Buffer.from([0xbe]))).toThrow('beyond the tables');
  });

  test('refuses a size update above the announced limit, or after a field', () => {
    expect(new HpackDecoder(4096).decode(hex('3fe1 1f'))).toEqual([]); // 4096: allowed
    expect(() => new HpackDecoder(4096).decode(hex('3fe2 1f'))).toThrow('above the announced');
    expect(() => new HpackDecoder().decode(hex('8220'))).toThrow('after a header field');
  });

  test('refuses index 0, unknown indexes and truncated blocks', () => {
    expect(() => new HpackDecoder().decode(Buffer.from([0x80]))).toThrow('index 0');
    expect(() => new HpackDecoder().decode(Buffer.from([0xc0]))).toThrow('beyond the tables');
    expect(() => new HpackDecoder().decode(hex('410f7777'))).toThrow('truncated');
    expect(() => new HpackDecoder().decode(Buffer.from([0xff]))).toThrow('truncated integer');
  });
});

describe('encodings the server sends', () => {
  test('integers with prefixes, as RFC 7541 C.1', () => {
    const out: number[] = [];
    pushInteger(out, 10, 5, 0);
    pushInteger(out, 1337, 5, 0);
    pushInteger(out, 42, 8, 0);
    expect(Buffer.from(out)).toEqual(hex('0a 1f9a0a 2a'));
  });

  test('every block decodes back to its fields, without touching the dynamic table', () => {
    const d = new HpackDecoder();
    const long = 'x'.repeat(300);
    const block = Buffer.concat([indexed(8), literalWithIndexedName(31, 'application/grpc'), literal('grpc-status', '13'), literal('grpc-message', long)]);
    expect(d.decode(block)).toEqual([[':status', '200'], ['content-type', 'application/grpc'], ['grpc-status', '13'], ['grpc-message', long]]);
    expect(() => d.decode(Buffer.from([0xbe]))).toThrow('beyond the tables');
  });
});
