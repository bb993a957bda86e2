// Public API of the cty package: types, values, and terraform's msgpack/JSON encodings.

export { CtyValueError, formatPath, type CtyPathStep } from './path-error';
export { DynamicValue, Unknown, containsUnknown, isUnknown, unknown, type CtyType, type CtyValue } from './types';
export { typeEquals, typeFromJson, typeName, typeToJson } from './type-json';
export { inferType } from './infer-type';
export { conformsTo, valuesEqual } from './value';
export { decodeMsgpack, encodeMsgpack } from './msgpack';
export { decodeJson, encodeJson } from './json';
