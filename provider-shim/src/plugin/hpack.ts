// HPACK (RFC 7541), the header compression of HTTP/2: a decoder for the header blocks a client sends, and the
// few encodings the plugin's gRPC server answers with.
//
// The server never adds entries to the client's dynamic table: its header blocks are static-table indexes and
// literals "without indexing" (RFC 7541 6.2.2), so it keeps no encoder state and needs no Huffman encoder. A
// client's encoder (grpc-go's, nghttp2's) uses the whole format, so the decoder does too: integers with prefixes,
// Huffman-coded strings, a dynamic table with evictions and size updates.

/** A header field as decoded: lower-case name and value. */
export type HeaderField = readonly [name: string, value: string];

/** A malformed header block (RFC 7541 says: a connection error of type COMPRESSION_ERROR). */
export class HpackError extends Error {}

/** RFC 7541 Appendix A: the static table; index 1 is the first entry. */
const STATIC_TABLE: readonly HeaderField[] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''], ['access-control-allow-origin', ''],
  ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''], ['content-disposition', ''],
  ['content-encoding', ''], ['content-language', ''], ['content-length', ''], ['content-location', ''], ['content-range', ''],
  ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''], ['expect', ''],
  ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

/** Static table indexes the server's answers use. */
export const STATIC_INDEX = { status200: 8, contentType: 31 } as const;

// ---- Huffman (RFC 7541 Appendix B) ----
//
// The code is canonical: codes are handed out in order of length, and within a length in order of symbol value,
// each the previous plus one (shifted left when the length grows). So the symbols of each length, in ascending
// order, define it; symbol 256 is EOS, which never appears in a string and pads its last byte with its leading
// 1 bits. tests/unit/plugin-hpack.test.ts checks the table against codes listed in the RFC and the Kraft sum.

/** Code length -> the symbols with a code of that length, ascending. */
export const HUFFMAN_SYMBOLS_BY_LENGTH: Readonly<Record<number, readonly number[]>> = {
  5: [48, 49, 50, 97, 99, 101, 105, 111, 115, 116],
  6: [32, 37, 45, 46, 47, 51, 52, 53, 54, 55, 56, 57, 61, 65, 95, 98, 100, 102, 103, 104, 108, 109, 110, 112, 114, 117],
  7: [58, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 106, 107, 113, 118, 119, 120, 121, 122],
  8: [38, 42, 44, 59, 88, 90],
  10: [33, 34, 40, 41, 63],
  11: [39, 43, 124],
  12: [35, 62],
  13: [0, 36, 64, 91, 93, 126],
  14: [94, 125],
  15: [60, 96, 123],
  19: [92, 195, 208],
  20: [128, 130, 131, 162, 184, 194, 224, 226],
  21: [153, 161, 167, 172, 176, 177, 179, 209, 216, 217, 227, 229, 230],
  22: [129, 132, 133, 134, 136, 146, 154, 156, 160, 163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232, 233],
  23: [1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157, 158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239],
  24: [9, 142, 144, 145, 148, 159, 171, 206, 215, 225, 236, 237],
  25: [199, 207, 234, 235],
  26: [192, 193, 200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255],
  27: [203, 204, 211, 212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254],
  28: [2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127, 220, 249],
  30: [10, 13, 22, 256],
};

const EOS = 256;
const MAX_CODE_LENGTH = 30;

/** Per length: the first code of that length and its symbols (empty when no code has it). */
interface CodeLength {
  first: number;
  symbols: readonly number[];
}

/** The canonical code's layout by length (index = length). */
const CODE_LENGTHS: readonly CodeLength[] = (() => {
  const out: CodeLength[] = [];
  let code = 0;
  for (let length = 0; length <= MAX_CODE_LENGTH; length++) {
    const symbols = HUFFMAN_SYMBOLS_BY_LENGTH[length] ?? [];
    out.push({ first: code, symbols });
    code = (code + symbols.length) * 2;
  }
  return out;
})();

/** The code of `symbol` as [code, length] (for tests and the table's self-checks). */
export function huffmanCode(symbol: number): [code: number, length: number] {
  for (let length = 0; length <= MAX_CODE_LENGTH; length++) {
    const i = CODE_LENGTHS[length].symbols.indexOf(symbol);
    if (i >= 0) return [CODE_LENGTHS[length].first + i, length];
  }
  throw new RangeError(`no Huffman code for symbol ${symbol}`);
}

/**
 * Decodes a Huffman-coded string. Bit by bit through the canonical layout: header strings a client sends are
 * short and, once in the dynamic table, sent as an index, so this runs a few dozen times per connection.
 */
export function huffmanDecode(bytes: Buffer, start: number, end: number): string {
  const out: number[] = [];
  let code = 0;
  let length = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    for (let bit = 7; bit >= 0; bit--) {
      code = (code << 1) | ((byte >> bit) & 1);
      length++;
      const at = CODE_LENGTHS[length];
      if (at && code - at.first < at.symbols.length && code >= at.first) {
        const symbol = at.symbols[code - at.first];
        if (symbol === EOS) throw new HpackError('Huffman string contains EOS');
        out.push(symbol);
        code = 0;
        length = 0;
      } else if (length >= MAX_CODE_LENGTH) throw new HpackError('invalid Huffman code');
    }
  }
  // The padding: fewer than 8 bits, all ones (the start of EOS).
  if (length > 7 || code !== (1 << length) - 1) throw new HpackError('invalid Huffman padding');
  return Buffer.from(out).toString('latin1');
}

// ---- integers and strings (RFC 7541 5.1, 5.2) ----

/** A cursor over one header block. */
class Reader {
  pos: number;

  constructor(
    readonly bytes: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** An integer whose first byte keeps `prefixBits` low bits (the caller has looked at the high bits). */
  integer(prefixBits: number): number {
    if (this.pos >= this.end) throw new HpackError('truncated integer');
    const max = (1 << prefixBits) - 1;
    let value = this.bytes[this.pos++] & max;
    if (value < max) return value;
    for (let shift = 0; ; shift += 7) {
      if (this.pos >= this.end) throw new HpackError('truncated integer');
      if (shift > 28) throw new HpackError('integer too large');
      const byte = this.bytes[this.pos++];
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  }

  string(): string {
    if (this.pos >= this.end) throw new HpackError('truncated string');
    const huffman = (this.bytes[this.pos] & 0x80) !== 0;
    const length = this.integer(7);
    const start = this.pos;
    if (start + length > this.end) throw new HpackError('truncated string');
    this.pos += length;
    return huffman ? huffmanDecode(this.bytes, start, start + length) : this.bytes.toString('latin1', start, start + length);
  }
}

/** Appends `value` as an HPACK integer with `prefixBits` bits in the first byte, whose high bits are `flags`. */
export function pushInteger(out: number[], value: number, prefixBits: number, flags: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(flags | value);
    return;
  }
  out.push(flags | max);
  for (value -= max; value >= 0x80; value = Math.floor(value / 0x80)) out.push((value % 0x80) | 0x80);
  out.push(value);
}

/** A string literal, not Huffman-coded. */
function pushString(out: number[], value: Buffer): void {
  pushInteger(out, value.length, 7, 0);
  for (const byte of value) out.push(byte);
}

/** "Literal header field without indexing" (RFC 7541 6.2.2) with a name from the static table. */
export function literalWithIndexedName(nameIndex: number, value: string): Buffer {
  const out: number[] = [];
  pushInteger(out, nameIndex, 4, 0x00);
  pushString(out, Buffer.from(value, 'latin1'));
  return Buffer.from(out);
}

/** "Literal header field without indexing" with a literal name. */
export function literal(name: string, value: string): Buffer {
  const out: number[] = [0x00];
  pushString(out, Buffer.from(name, 'latin1'));
  pushString(out, Buffer.from(value, 'latin1'));
  return Buffer.from(out);
}

/** An "indexed header field" of the static table (RFC 7541 6.1). */
export function indexed(index: number): Buffer {
  const out: number[] = [];
  pushInteger(out, index, 7, 0x80);
  return Buffer.from(out);
}

// ---- the decoder ----

/** An entry's size counts its name and value octets plus 32 (RFC 7541 4.1). */
const entrySize = (name: string, value: string) => name.length + value.length + 32;

/**
 * Decodes the header blocks of one connection, in order (the dynamic table is shared by every stream). Strings
 * are decoded as latin1, one char per octet: HTTP/2 field values are octets, and gRPC's are ASCII.
 */
export class HpackDecoder {
  /** Newest first. */
  private readonly table: HeaderField[] = [];
  private size = 0;
  private maxSize: number;

  /** @param limit the SETTINGS_HEADER_TABLE_SIZE this side announced (4096 unless it sent another). */
  constructor(private readonly limit = 4096) {
    this.maxSize = limit;
  }

  /** The fields of one complete header block (`bytes[start, end)`); throws HpackError when it is malformed. */
  decode(bytes: Buffer, start = 0, end = bytes.length): HeaderField[] {
    const r = new Reader(bytes, start, end);
    const fields: HeaderField[] = [];
    let sawField = false;
    while (r.pos < end) {
      const byte = bytes[r.pos];
      if (byte & 0x80) {
        // 6.1 indexed
        fields.push(this.entry(r.integer(7)));
      } else if (byte & 0x40) {
        // 6.2.1 literal with incremental indexing
        const field = this.literalField(r, 6);
        this.insert(field);
        fields.push(field);
      } else if (byte & 0x20) {
        // 6.3 dynamic table size update: only before the first field of a block
        if (sawField) throw new HpackError('dynamic table size update after a header field');
        const size = r.integer(5);
        if (size > this.limit) throw new HpackError(`dynamic table size ${size} above the announced ${this.limit}`);
        this.maxSize = size;
        this.evict();
        continue;
      } else {
        // 6.2.2 without indexing (0000xxxx), 6.2.3 never indexed (0001xxxx)
        fields.push(this.literalField(r, 4));
      }
      sawField = true;
    }
    return fields;
  }

  private literalField(r: Reader, prefixBits: number): HeaderField {
    const nameIndex = r.integer(prefixBits);
    const name = nameIndex === 0 ? r.string() : this.entry(nameIndex)[0];
    return [name, r.string()];
  }

  private entry(index: number): HeaderField {
    if (index === 0) throw new HpackError('index 0');
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1];
    const field = this.table[index - STATIC_TABLE.length - 1];
    if (!field) throw new HpackError(`index ${index} beyond the tables`);
    return field;
  }

  private insert(field: HeaderField): void {
    const size = entrySize(field[0], field[1]);
    // An entry larger than the table empties it and is not added (RFC 7541 4.4).
    this.table.unshift(field);
    this.size += size;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize && this.table.length > 0) {
      const [name, value] = this.table.pop()!;
      this.size -= entrySize(name, value);
    }
  }
}
