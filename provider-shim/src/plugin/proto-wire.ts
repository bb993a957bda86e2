// Protocol buffers wire primitives: varints, 64-bit integers as JS numbers, length-delimited fields.
//
// Hand-written for start-up time, with proto-codec.ts: see there why.

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Delimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

const TWO_32 = 4294967296;

/** Appends to a growing Buffer; `finish()` returns the bytes written. */
export class Writer {
  private buf = Buffer.allocUnsafe(256);
  private pos = 0;

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  tag(id: number, wire: WireType): void {
    this.uint32(((id << 3) | wire) >>> 0);
  }

  uint32(n: number): void {
    this.reserve(5);
    while (n > 0x7f) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  /** int32 and int64 from a JS number: negatives take ten bytes (two's complement over 64 bits). */
  int64(n: number): void {
    if (n >= 0 && n < TWO_32) return this.uint32(n);
    let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
    this.reserve(10);
    while (v > 0x7fn) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  bytes(b: Uint8Array): void {
    this.uint32(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  string(s: string): void {
    const length = Buffer.byteLength(s);
    this.uint32(length);
    this.reserve(length);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /**
   * Writes what `body` writes, prefixed by its length. One byte is reserved for
   * the length; a longer body is shifted to make room once its size is known.
   */
  delimited(body: () => void): void {
    this.reserve(1);
    const start = this.pos++;
    body();
    const length = this.pos - start - 1;
    const extra = varintSize(length) - 1;
    if (extra > 0) {
      this.reserve(extra);
      this.buf.copyWithin(start + 1 + extra, start + 1, this.pos);
      this.pos += extra;
    }
    const end = this.pos;
    this.pos = start;
    this.uint32(length);
    this.pos = end;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

function varintSize(n: number): number {
  let size = 1;
  while (n > 0x7f) {
    n >>>= 7;
    size++;
  }
  return size;
}

/** Reads one message's bytes; every method throws on truncated input. */
export class Reader {
  pos: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** A varint as its low and high 32 bits (unsigned). */
  private varint(): [number, number] {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw new Error('truncated protobuf message (varint runs past the end)');
      const b = this.buf[this.pos++];
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      if (b < 0x80) return [lo >>> 0, hi >>> 0];
    }
    throw new Error('malformed protobuf varint (more than ten bytes)');
  }

  uint32(): number {
    return this.varint()[0];
  }

  int32(): number {
    return this.varint()[0] | 0;
  }

  bool(): boolean {
    const [lo, hi] = this.varint();
    return lo !== 0 || hi !== 0;
  }

  /** int64 as a JS number (exact up to 2^53, as protobufjs' `longs: Number`). */
  int64(): number {
    const [lo, hi] = this.varint();
    if (hi >>> 31 === 0) return lo + hi * TWO_32;
    return Number(BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)));
  }

  uint64(): number {
    const [lo, hi] = this.varint();
    return lo + hi * TWO_32;
  }

  /** A length-delimited field's bytes (a view on the input, as protobufjs returns). */
  bytes(): Buffer {
    const [start, end] = this.delimited();
    return this.buf.subarray(start, end);
  }

  string(): string {
    const [start, end] = this.delimited();
    return this.buf.toString('utf8', start, end);
  }

  /** Start and end of a length-delimited field's content; moves past it. */
  delimited(): [number, number] {
    const length = this.uint32();
    const start = this.pos;
    if (start + length > this.end) throw new Error('truncated protobuf message (field runs past the end)');
    this.pos += length;
    return [start, this.pos];
  }

  /** Skips a field of an unknown number. */
  skip(wire: WireType): void {
    if (wire === WireType.Varint) this.varint();
    else if (wire === WireType.Fixed64) this.advance(8);
    else if (wire === WireType.Delimited) this.delimited();
    else if (wire === WireType.Fixed32) this.advance(4);
    else if (wire === WireType.StartGroup) this.skipGroup();
    else throw new Error(`malformed protobuf message (wire type ${wire})`);
  }

  private skipGroup(): void {
    for (;;) {
      const tag = this.uint32();
      if ((tag & 7) === WireType.EndGroup) return;
      this.skip(tag & 7);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new Error('truncated protobuf message (fixed-width field runs past the end)');
    this.pos += n;
  }

  get buffer(): Buffer {
    return this.buf;
  }
}
