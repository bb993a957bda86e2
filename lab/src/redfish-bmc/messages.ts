// Redfish error bodies: the `error` object with @Message.ExtendedInfo entries from the Base message registry.

/** Base registry version the simulator claims; MessageIds are `Base.<version>.<Key>`. */
const BASE = 'Base.1.16';

/** The Base registry messages the simulator sends, with their severity and wording. */
const REGISTRY = {
  GeneralError: { severity: 'Critical', text: () => 'The request failed; the extended information says why.', resolution: 'See the extended information.' },
  ResourceNotFound: { severity: 'Critical', text: (type: string, name: string) => `No ${type} named '${name}' exists.`, resolution: 'Use a URI the service returned in a link.' },
  ActionNotSupported: { severity: 'Critical', text: (action: string) => `This resource does not support the action ${action}.`, resolution: 'Use an action listed in the resource\u2019s Actions property.' },
  ActionParameterMissing: { severity: 'Critical', text: (action: string, param: string) => `The action ${action} needs the parameter ${param}.`, resolution: 'Send the parameter with a valid value.' },
  ActionParameterNotSupported: { severity: 'Warning', text: (param: string, action: string) => `The parameter ${param} is not supported by the action ${action}.`, resolution: 'Remove the parameter and resend the request.' },
  ActionParameterValueNotInList: { severity: 'Warning', text: (value: string, param: string, action: string) => `The value '${value}' for parameter ${param} of ${action} is not an allowed value.`, resolution: 'Use a value from the parameter\u2019s @Redfish.AllowableValues.' },
  PropertyValueNotInList: { severity: 'Warning', text: (value: string, property: string) => `The value '${value}' for the property ${property} is not an allowed value.`, resolution: 'Use a value from the property\u2019s @Redfish.AllowableValues.' },
  PropertyNotWritable: { severity: 'Warning', text: (property: string) => `The property ${property} cannot be written.`, resolution: 'Remove the property from the request body.' },
  PropertyUnknown: { severity: 'Warning', text: (property: string) => `The property ${property} is not known to this resource.`, resolution: 'Remove the property from the request body.' },
  MalformedJSON: { severity: 'Critical', text: () => 'The request body is not valid JSON.', resolution: 'Fix the request body and resend it.' },
  PreconditionFailed: { severity: 'Critical', text: () => 'The ETag in If-Match does not match the resource\u2019s current ETag.', resolution: 'Read the resource again and resend the request with its current ETag.' },
  NoValidSession: { severity: 'Critical', text: () => 'There is no valid session for this request.', resolution: 'Log in again (create a session) or send valid credentials.' },
  ResourceInUse: { severity: 'Warning', text: () => 'The change cannot be made because the resource is in use.', resolution: 'Release the resource (eject the media) first.' },
  InternalError: { severity: 'Critical', text: () => 'The service hit an internal error.', resolution: 'Retry the request; if it keeps failing, reset the service.' },
  ServiceTemporarilyUnavailable: { severity: 'Critical', text: (seconds: string) => `The service is temporarily unavailable; retry in ${seconds} seconds.`, resolution: 'Wait and retry the request.' },
} as const;

export type MessageKey = keyof typeof REGISTRY;

export interface RedfishMessage {
  '@odata.type': string;
  MessageId: string;
  Message: string;
  MessageArgs: string[];
  MessageSeverity: string;
  Resolution: string;
}

/** One Message object for `key` with its arguments. */
export function message<K extends MessageKey>(key: K, ...args: Parameters<(typeof REGISTRY)[K]['text']>): RedfishMessage {
  const entry = REGISTRY[key];
  const text = entry.text as (...a: string[]) => string;
  return {
    '@odata.type': '#Message.v1_1_2.Message',
    MessageId: `${BASE}.${key}`,
    Message: text(...(args as string[])),
    MessageArgs: args as string[],
    MessageSeverity: entry.severity,
    Resolution: entry.resolution,
  };
}

/** The body of an error response (DSP0266 "Error responses"). */
export function errorBody(...messages: RedfishMessage[]): object {
  return { error: { code: `${BASE}.GeneralError`, message: REGISTRY.GeneralError.text(), '@Message.ExtendedInfo': messages } };
}
