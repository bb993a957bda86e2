// terraform's msgpack DynamicValue encoding (docs/plugin-protocol/object-wire-format.md), driven by the schema type.

import { Decoder, Encoder, ExtData, type ExtensionCodecType } from '@msgpack/msgpack';
import { fromWire, type WireReader } from './from-wire';
import { CtyValueError, describeValue, type CtyPathStep } from './path-error';
import { toWire, type WireWriter } from './to-wire';
import { typeFromJson, typeToJson } from './type-json';
import { unknown, type CtyType, type CtyValue } from './types';

/** An unrefined unknown: extension 0 with one zero byte (d4 00 00), the form terraform itself writes. */
const UNKNOWN_EXT_TYPE = 0;
const UNKNOWN_PAYLOAD = Uint8Array.of(0);

/**
 * Every extension type reads as unknown (12 carries refinements, which we may
 * ignore; the protocol reserves all others for future kinds of unknown), and
 * the unknown sentinel writes as extension 0. This also keeps the library's
 * built-in timestamp extension (-1) out of the picture.
 */
const unknownCodec: ExtensionCodecType<undefined> = {
  tryToEncode: (object) => (object === unknown ? new ExtData(UNKNOWN_EXT_TYPE, UNKNOWN_PAYLOAD) : null),
  decode: () => unknown,
};

const writer: WireWriter = {
  unknown: () => unknown,
  // The type travels as JSON text in a msgpack bin, then the content written with that type.
  dynamic: (type, content) => [Buffer.from(JSON.stringify(typeToJson(type))), content],
};

const reader: WireReader = {
  dropExtraAttributes: false,
  dynamic: (wire, path) => {
    if (!Array.isArray(wire) || wire.length !== 2) {
      throw new CtyValueError(path, `expected a dynamic value [type JSON, value], got ${describeValue(wire)}`);
    }
    return { type: dynamicTypeOf(wire[0], path), content: wire[1] };
  },
};

function dynamicTypeOf(raw: unknown, path: readonly CtyPathStep[]): CtyType {
  // terraform writes bin; a str is accepted as go-cty's reader does.
  const text = typeof raw === 'string' ? raw : ArrayBuffer.isView(raw) ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8') : undefined;
  if (text === undefined) throw new CtyValueError(path, `expected the JSON type of a dynamic value, got ${describeValue(raw)}`);
  try {
    return typeFromJson(JSON.parse(text));
  } catch (err) {
    throw new CtyValueError(path, `bad type in dynamic value: ${(err as Error).message}`);
  }
}

// Built on first use: this module loads in every provider process, most of which decode little.
let encoder: Encoder | undefined;
let decoder: Decoder | undefined;

/**
 * Encodes `value` as msgpack for a DynamicValue of `type`: null as nil,
 * unknown as d4 00 00, numbers as int when integral and safe else float64,
 * objects and maps as maps with sorted keys, dynamic as [type JSON bin, value].
 * Throws CtyValueError naming the path when the value does not fit the type
 * (notably an object missing an attribute or carrying an undeclared one).
 */
export function encodeMsgpack(value: CtyValue, type: CtyType): Buffer {
  encoder ??= new Encoder({ extensionCodec: unknownCodec });
  const bytes = encoder.encode(toWire(value, type, writer));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes a msgpack DynamicValue as `type`. Any extension value is unknown;
 * numbers may be ints, floats or decimal strings; a missing object attribute
 * is null; an undeclared one is an error; dynamic slots become DynamicValue.
 * Throws CtyValueError for a value that does not fit the type, and an Error
 * saying so when the bytes are not one complete msgpack value.
 */
export function decodeMsgpack(buf: Uint8Array, type: CtyType): CtyValue {
  decoder ??= new Decoder({ extensionCodec: unknownCodec });
  let wire: unknown;
  try {
    wire = decoder.decode(buf);
  } catch (err) {
    throw new Error(`invalid msgpack value (${buf.byteLength} bytes): ${(err as Error).message}`);
  }
  return fromWire(wire, type, reader);
}
