// Pure parts of the Redfish driver: MAC and fingerprint spellings, error bodies, the driver registry.

import { normalizeFingerprint } from '../../engine/src/drivers/bmc/bmc-tls';
import { BmcError } from '../../engine/src/drivers/bmc/bmc';
import { errorBodyMessages, httpError, messageTexts, transportError } from '../../engine/src/drivers/bmc/redfish-errors';
import { normalizeMac } from '../../engine/src/drivers/bmc/redfish-inventory';
import { createRedfishDriver } from '../../engine/src/drivers/bmc/redfish';
import { bmcDriverNames, getBmcDriver } from '../../engine/src/drivers/bmc/registry';

describe('normalizeMac', () => {
  test.each([
    ['upper case with colons', '52:54:00:AB:CD:EF', '52:54:00:ab:cd:ef'],
    ['dashes', '52-54-00-ab-cd-ef', '52:54:00:ab:cd:ef'],
    ['Cisco dots', '5254.00ab.cdef', '52:54:00:ab:cd:ef'],
    ['bare hex', '525400ABCDEF', '52:54:00:ab:cd:ef'],
    ['empty string (a disabled port)', '', undefined],
    ['all zeroes', '00:00:00:00:00:00', undefined],
    ['too short', '52:54:00:ab:cd', undefined],
    ['not hex', '52:54:00:ab:cd:zz', undefined],
    ['not a string', null, undefined],
  ])('%s', (_name, input, expected) => {
    expect(normalizeMac(input)).toBe(expected);
  });
});

describe('normalizeFingerprint', () => {
  const canonical = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
  test.each([
    ['canonical', canonical],
    ['lower case', canonical.toLowerCase()],
    ['without colons', canonical.replace(/:/g, '')],
    ['with a sha256: prefix', `sha256:${canonical}`],
  ])('%s', (_name, input) => {
    expect(normalizeFingerprint(input)).toBe(canonical);
  });

  test.each([['too short', 'AB:CD'], ['not hex', 'ZZ'.repeat(32)], ['OpenSSH base64 form', 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU']])('refuses %s', (_name, input) => {
    expect(() => normalizeFingerprint(input)).toThrow('is not a SHA-256 fingerprint');
  });
});

describe('Redfish error bodies', () => {
  const body = {
    error: {
      code: 'Base.1.16.GeneralError',
      message: 'A general error occurred.',
      '@Message.ExtendedInfo': [
        { MessageId: 'Base.1.16.PropertyValueNotInList', Message: "The value 'Usb' for Boot/BootSourceOverrideTarget is not allowed." },
        { MessageId: 'Base.1.16.PropertyUnknown' },
      ],
    },
  };

  test.each([
    ['ExtendedInfo Message strings, MessageId when a message has no text', body, ["The value 'Usb' for Boot/BootSourceOverrideTarget is not allowed.", 'Base.1.16.PropertyUnknown']],
    ['error.message when there is no ExtendedInfo', { error: { code: 'x', message: 'Only this.' } }, ['Only this.']],
    ['nothing from a body that is not a Redfish error', '<html>Bad Gateway</html>', []],
    ['nothing from an empty body', undefined, []],
  ])('%s', (_name, input, expected) => {
    expect(errorBodyMessages(input)).toEqual(expected);
  });

  test('messageTexts ignores what is not a message list', () => {
    expect(messageTexts({ Message: 'x' })).toEqual([]);
  });

  test.each([
    [400, false],
    [404, false],
    [412, false],
    [500, true],
    [503, true],
  ])('HTTP %i: retryable %s, with status, request and messages in the text', (status, retryable) => {
    const err = httpError('https://bmc-1', 'PATCH /redfish/v1/Systems/1', status, body);
    expect(err).toBeInstanceOf(BmcError);
    expect(err).toMatchObject({ device: 'https://bmc-1', status, retryable });
    expect(err.message).toBe(
      `BMC https://bmc-1: PATCH /redfish/v1/Systems/1 failed with HTTP ${status}: The value 'Usb' for Boot/BootSourceOverrideTarget is not allowed.; Base.1.16.PropertyUnknown`,
    );
  });

  test.each([
    ['ECONNRESET', true, 'failed: ECONNRESET'],
    ['ETIMEDOUT', true, 'got no answer within 500 ms (requestTimeoutMs)'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false, 'TLS certificate refused'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', false, 'TLS certificate refused'],
  ])('transport failure %s: retryable %s', (code, retryable, text) => {
    const err = transportError('https://bmc-1', 'GET /redfish/v1/', Object.assign(new Error('boom'), { code }), 500);
    expect(err.retryable).toBe(retryable);
    expect(err.status).toBeUndefined();
    expect(err.message).toContain(text);
  });
});

describe('BMC driver registry', () => {
  test('lists redfish and returns its factory', () => {
    expect(bmcDriverNames()).toEqual(['redfish']);
    expect(getBmcDriver('redfish')).toBe(createRedfishDriver);
  });

  test.each(['ipmi', 'toString', '__proto__'])('unknown name %s gives undefined', (name) => {
    expect(getBmcDriver(name)).toBeUndefined();
  });
});
