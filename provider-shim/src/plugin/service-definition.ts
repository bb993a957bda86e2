// A grpc-js service definition whose messages are encoded and decoded by proto-codec.ts.

import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import type { ProtoCodecs } from './proto-codec';

/**
 * The service `serviceName` (full name, e.g. "tfplugin6.Provider") of `codecs`'
 * descriptor, as @grpc/proto-loader would define it: same paths, streaming
 * flags and lower-camel `originalName`s, so grpc-js servers and
 * makeClientConstructor take it as they take proto-loader's. Throws for an
 * unknown service; an unsupported message type throws on its first use.
 */
export function serviceDefinition(codecs: ProtoCodecs, serviceName: string): ServiceDefinition {
  const methods = Object.entries(codecs.service(serviceName)).map(([name, m]): [string, MethodDefinition<object, object>] => {
    const request = codecs.codec(m.requestType, serviceName);
    const response = codecs.codec(m.responseType, serviceName);
    return [name, {
      path: `/${serviceName}/${name}`,
      requestStream: Boolean(m.requestStream),
      responseStream: Boolean(m.responseStream),
      requestSerialize: request.encode,
      requestDeserialize: request.decode,
      responseSerialize: response.encode,
      responseDeserialize: response.decode,
      originalName: name[0].toLowerCase() + name.slice(1),
    }];
  });
  return Object.fromEntries(methods);
}
