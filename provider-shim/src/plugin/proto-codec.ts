// Encodes and decodes protobuf messages described by a protobufjs JSON descriptor, shaped as proto-loader shapes them.
//
// Hand-written because of start-up time: terraform starts the provider 3-5 times
// per command, and reflection-based libraries pay for every type of tfplugin6 at
// each start (proto-loader parsing the .proto text ~65 ms; protobufjs building
// and resolving its reflection tree from JSON ~15 ms). This codec indexes names
// only and builds a message's field table on first use (well under 1 ms).
//
// Objects are what @grpc/proto-loader produces with { longs: Number, enums:
// String, bytes: Buffer, defaults: true, oneofs: true } (tfplugin6/wire.ts) or
// oneofs: false (the engine API), field names as the descriptor spells them
// (keepCase or camelCase is chosen when it is generated); encoding accepts what
// protobufjs' fromObject accepts for those. tests/unit/provider-startup-descriptor.test.ts
// and tests/unit/engine-proto-descriptor.test.ts check both directions against
// proto-loader, byte for byte. Supports the scalar types the
// plugin protocols use (string, bytes, bool, int32, uint32, int64, uint64),
// enums, nested messages, repeated fields (packed or not), maps with string
// keys, oneofs and proto3 `optional`; a descriptor using anything else is
// refused when the message is first used.

import { Reader, WireType, Writer } from './proto-wire';

/** The parts of protobufjs' JSON descriptor (Root.toJSON) that describe messages, enums and services. */
export interface DescriptorNode {
  nested?: Record<string, DescriptorNode>;
  fields?: Record<string, { type: string; id: number; rule?: string; keyType?: string; options?: Record<string, unknown> }>;
  oneofs?: Record<string, { oneof: string[] }>;
  values?: Record<string, number>;
  methods?: Record<string, DescriptorMethod>;
}

export interface DescriptorMethod {
  requestType: string;
  responseType: string;
  requestStream?: boolean;
  responseStream?: boolean;
}

type Scalar = 'string' | 'bytes' | 'bool' | 'int32' | 'uint32' | 'int64' | 'uint64';
const SCALARS = new Set<string>(['string', 'bytes', 'bool', 'int32', 'uint32', 'int64', 'uint64']);

interface EnumInfo {
  byName: Map<string, number>;
  byNumber: Map<number, string>;
  /** Name of the first declared value's number (the proto3 default). */
  defaultName: string;
}

type ValueKind = { scalar: Scalar } | { enum: EnumInfo } | { message: () => MessageInfo };

interface FieldInfo {
  name: string;
  id: number;
  kind: ValueKind;
  repeated: boolean;
  /** Map fields: key type (string only here). */
  map: boolean;
  /** Name of the oneof (real or proto3 `optional`'s synthetic one) holding this field. */
  oneof?: string;
}

interface MessageInfo {
  fullName: string;
  /** Sorted by field number: the order fields are written in. */
  fields: FieldInfo[];
  byId: Map<number, FieldInfo>;
  /** Decoding sets a property named after each oneof to the name of its member that is set. */
  namesOneofs: boolean;
}

export interface ProtoCodecsOptions {
  /**
   * As proto-loader's `oneofs` (default true): a decoded object names the set
   * member of each oneof (proto3 `optional` included) in a property named after
   * the oneof. False leaves only the member itself.
   */
  oneofs?: boolean;
}

export interface MessageCodec {
  /** Throws TypeError naming the field when `value` has the wrong shape. */
  encode(value: object): Buffer;
  /** Throws on malformed input. */
  decode(bytes: Buffer): object;
}

const isPackable = (kind: ValueKind) => 'enum' in kind || ('scalar' in kind && kind.scalar !== 'string' && kind.scalar !== 'bytes');

export class ProtoCodecs {
  /** Every message, enum and service by full name (without the leading dot). */
  private readonly nodes = new Map<string, DescriptorNode>();
  private readonly messages = new Map<string, MessageInfo>();
  private readonly enums = new Map<string, EnumInfo>();

  constructor(root: DescriptorNode, private readonly options: ProtoCodecsOptions = {}) {
    this.index(root, '');
  }

  /** The methods of a service, by method name; throws for an unknown service. */
  service(fullName: string): Record<string, DescriptorMethod> {
    const methods = this.nodes.get(fullName)?.methods;
    if (!methods) throw new Error(`no service ${fullName} in the descriptor`);
    return methods;
  }

  /** The codec of a message, resolving `typeName` as protobuf does from the scope `scope`. */
  codec(typeName: string, scope: string): MessageCodec {
    const fullName = this.resolve(typeName, scope);
    let info: MessageInfo | undefined;
    const message = () => (info ??= this.message(fullName));
    return {
      encode: (value) => {
        const w = new Writer();
        encodeMessage(w, message(), value);
        return w.finish();
      },
      decode: (bytes) => decodeMessage(new Reader(bytes), message()),
    };
  }

  private index(node: DescriptorNode, prefix: string): void {
    for (const [name, child] of Object.entries(node.nested ?? {})) {
      const fullName = prefix ? `${prefix}.${name}` : name;
      this.nodes.set(fullName, child);
      this.index(child, fullName);
    }
  }

  /** Innermost scope first, as protobuf resolves names; a leading dot means fully qualified. */
  private resolve(typeName: string, scope: string): string {
    if (typeName.startsWith('.')) return this.known(typeName.slice(1), typeName, scope);
    for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf('.')))) {
      const candidate = s ? `${s}.${typeName}` : typeName;
      if (this.nodes.has(candidate)) return candidate;
      if (s === '') return this.known(typeName, typeName, scope);
    }
  }

  private known(fullName: string, typeName: string, scope: string): string {
    if (!this.nodes.has(fullName)) throw new Error(`protobuf descriptor: type ${typeName} (used in ${scope}) is not defined`);
    return fullName;
  }

  private message(fullName: string): MessageInfo {
    const cached = this.messages.get(fullName);
    if (cached) return cached;
    const node = this.nodes.get(fullName)!;
    const info: MessageInfo = { fullName, fields: [], byId: new Map(), namesOneofs: this.options.oneofs ?? true };
    this.messages.set(fullName, info); // before the fields: messages may nest themselves
    const oneofOf = new Map<string, string>();
    for (const [name, o] of Object.entries(node.oneofs ?? {})) for (const member of o.oneof) oneofOf.set(member, name);
    for (const [name, f] of Object.entries(node.fields ?? {})) {
      if (f.keyType !== undefined && f.keyType !== 'string') throw new Error(`protobuf descriptor: ${fullName}.${name}: map keys of type ${f.keyType} are not supported`);
      const field: FieldInfo = { name, id: f.id, kind: this.kind(f.type, fullName, name), repeated: f.rule === 'repeated', map: f.keyType !== undefined, oneof: oneofOf.get(name) };
      info.fields.push(field);
      info.byId.set(f.id, field);
    }
    info.fields.sort((a, b) => a.id - b.id);
    return info;
  }

  private kind(type: string, scope: string, field: string): ValueKind {
    if (SCALARS.has(type)) return { scalar: type as Scalar };
    if (/^[a-z0-9]+$/.test(type)) throw new Error(`protobuf descriptor: ${scope}.${field}: type ${type} is not supported`);
    const fullName = this.resolve(type, scope);
    const node = this.nodes.get(fullName)!;
    if (node.values) return { enum: this.enumInfo(fullName, node.values) };
    return { message: () => this.message(fullName) };
  }

  private enumInfo(fullName: string, values: Record<string, number>): EnumInfo {
    let info = this.enums.get(fullName);
    if (!info) {
      const entries = Object.entries(values);
      const byNumber = new Map<number, string>(entries.map(([name, n]) => [n, name])); // protobufjs: the last alias wins
      info = { byName: new Map(entries), byNumber, defaultName: byNumber.get(entries[0][1])! };
      this.enums.set(fullName, info);
    }
    return info;
  }
}

// ---- encoding (protobufjs fromObject + encode) ----

function encodeMessage(w: Writer, info: MessageInfo, value: object): void {
  const obj = value as Record<string, unknown>;
  for (const field of info.fields) {
    const v = obj[field.name];
    if (v === null || v === undefined) continue;
    if (field.map) encodeMap(w, info, field, v);
    else if (field.repeated) encodeRepeated(w, info, field, v);
    else encodeSingle(w, info, field, field.id, v);
  }
}

function encodeMap(w: Writer, info: MessageInfo, field: FieldInfo, v: unknown): void {
  if (typeof v !== 'object') throw new TypeError(`${info.fullName}.${field.name}: object expected`);
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    w.tag(field.id, WireType.Delimited);
    w.delimited(() => {
      w.tag(1, WireType.Delimited);
      w.string(key);
      encodeSingle(w, info, field, 2, value ?? defaultWireValue(field.kind));
    });
  }
}

function encodeRepeated(w: Writer, info: MessageInfo, field: FieldInfo, v: unknown): void {
  if (!Array.isArray(v)) throw new TypeError(`${info.fullName}.${field.name}: array expected`);
  if (v.length === 0) return;
  if (!isPackable(field.kind)) {
    for (const item of v) encodeSingle(w, info, field, field.id, item);
    return;
  }
  w.tag(field.id, WireType.Delimited);
  w.delimited(() => {
    for (const item of v) writeVarintValue(w, field, info, item);
  });
}

/** A map entry's value when the map holds null: what protobufjs writes for a missing value. */
function defaultWireValue(kind: ValueKind): unknown {
  if ('message' in kind) return {};
  if ('enum' in kind) return 0;
  return kind.scalar === 'string' ? '' : kind.scalar === 'bytes' ? Buffer.alloc(0) : kind.scalar === 'bool' ? false : 0;
}

function encodeSingle(w: Writer, info: MessageInfo, field: FieldInfo, id: number, v: unknown): void {
  const kind = field.kind;
  if ('message' in kind) {
    if (typeof v !== 'object' || v === null) throw new TypeError(`${info.fullName}.${field.name}: object expected`);
    w.tag(id, WireType.Delimited);
    w.delimited(() => encodeMessage(w, kind.message(), v));
  } else if ('scalar' in kind && kind.scalar === 'string') {
    w.tag(id, WireType.Delimited);
    w.string(String(v));
  } else if ('scalar' in kind && kind.scalar === 'bytes') {
    w.tag(id, WireType.Delimited);
    w.bytes(typeof v === 'string' ? Buffer.from(v, 'base64') : (v as Uint8Array));
  } else {
    // An enum name protobufjs does not know is dropped, not sent.
    if ('enum' in kind && typeof v !== 'number' && !kind.enum.byName.has(String(v))) return;
    w.tag(id, WireType.Varint);
    writeVarintValue(w, field, info, v);
  }
}

/** bool, enum and integer values, converted as protobufjs' fromObject converts them. */
function writeVarintValue(w: Writer, field: FieldInfo, info: MessageInfo, v: unknown): void {
  const kind = field.kind;
  if ('enum' in kind) return w.int64(typeof v === 'number' ? v | 0 : (kind.enum.byName.get(String(v)) ?? 0));
  if (!('scalar' in kind)) throw new TypeError(`${info.fullName}.${field.name}: not a varint field`);
  if (kind.scalar === 'bool') return w.uint32(v ? 1 : 0);
  if (kind.scalar === 'uint32') return w.uint32(Number(v) >>> 0);
  if (kind.scalar === 'int32') return w.int64(Number(v) | 0);
  const n = typeof v === 'string' ? parseInt(v, 10) : Number(v);
  w.int64(Number.isFinite(n) ? n : 0);
}

// ---- decoding (protobufjs decode + toObject) ----

function decodeMessage(r: Reader, info: MessageInfo): Record<string, unknown> {
  const out = defaults(info);
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = info.byId.get(tag >>> 3);
    if (!field) {
      r.skip(tag & 7);
      continue;
    }
    if (field.map) decodeMapEntry(r, field, out[field.name] as Record<string, unknown>);
    else if (field.repeated) decodeRepeated(r, field, tag & 7, out[field.name] as unknown[]);
    else {
      out[field.name] = readValue(r, field.kind);
      if (field.oneof && info.namesOneofs) out[field.oneof] = field.name;
    }
  }
  return out;
}

/** Every field not in a oneof, at its default: [] / {} / '' / 0 / false / empty Buffer / first enum name / null. */
function defaults(info: MessageInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of info.fields) {
    if (field.map) out[field.name] = {};
    else if (field.repeated) out[field.name] = [];
    else if (!field.oneof) out[field.name] = defaultValue(field.kind);
  }
  return out;
}

function defaultValue(kind: ValueKind): unknown {
  if ('message' in kind) return null;
  if ('enum' in kind) return kind.enum.defaultName;
  return kind.scalar === 'string' ? '' : kind.scalar === 'bytes' ? Buffer.alloc(0) : kind.scalar === 'bool' ? false : 0;
}

function decodeRepeated(r: Reader, field: FieldInfo, wire: number, into: unknown[]): void {
  if (wire !== WireType.Delimited || !isPackable(field.kind)) {
    into.push(readValue(r, field.kind));
    return;
  }
  const [start, end] = r.delimited();
  const packed = new Reader(r.buffer, start, end);
  while (packed.pos < packed.end) into.push(readValue(packed, field.kind));
}

function decodeMapEntry(r: Reader, field: FieldInfo, into: Record<string, unknown>): void {
  const [start, end] = r.delimited();
  const entry = new Reader(r.buffer, start, end);
  let key = '';
  let value: unknown = defaultValue(field.kind);
  while (entry.pos < entry.end) {
    const tag = entry.uint32();
    if (tag >>> 3 === 1) key = entry.string();
    else if (tag >>> 3 === 2) value = readValue(entry, field.kind);
    else entry.skip(tag & 7);
  }
  into[key] = value;
}

function readValue(r: Reader, kind: ValueKind): unknown {
  if ('message' in kind) {
    const [start, end] = r.delimited();
    return decodeMessage(new Reader(r.buffer, start, end), kind.message());
  }
  if ('enum' in kind) {
    const n = r.int32();
    return kind.enum.byNumber.get(n) ?? n;
  }
  switch (kind.scalar) {
    case 'string':
      return r.string();
    case 'bytes':
      return r.bytes();
    case 'bool':
      return r.bool();
    case 'int32':
      return r.int32();
    case 'uint32':
      return r.uint32();
    case 'int64':
      return r.int64();
    case 'uint64':
      return r.uint64();
  }
}
