// `maestro instances list` and `maestro instances get`: server instances with their server, address and state.

import type { InstanceInfo } from '../api/instance-wire';
import { parseFlags, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, printJson, table, withClient } from './engine-client';

const dash = (s: string | null | undefined) => (s ? s : '-');
const address = (i: InstanceInfo) => (i.ipAddress ? `${i.ipAddress}/${i.prefixLength}` : '-');

export const instancesList: Command = {
  words: ['instances', 'list'],
  summary: 'list server instances with their server, address and state',
  usage: `maestro instances list [--tenancy ID] [--data-dir DIR] [--json]

Instances in the engine's store (no device is read); --tenancy shows one tenancy's.
${CLIENT_HELP}`,

  async run(args, io) {
    const { values } = parseFlags(args, { ...dataDirFlag, json: { type: 'boolean' }, tenancy: { type: 'string' } });
    const instances = await withClient(values['data-dir'], io, (c) => c.listInstances({ tenancyId: values.tenancy }));
    if (values.json) printJson(io, instances);
    else {
      table(io, ['ID', 'TENANCY', 'PROFILE', 'SERVER', 'HOSTNAME', 'IMAGE', 'ADDRESS', 'POWER', 'STATE'], instances.map((i) => [
        i.id, i.tenancyId, i.profile, dash(i.serverId), dash(i.hostname), i.image, address(i), i.powerState, i.state,
      ]));
    }
    return 0;
  },
};

export const instancesGet: Command = {
  words: ['instances', 'get'],
  summary: 'show one server instance; --observe also reads its BMC and switch ports',
  usage: `maestro instances get <id> [--observe] [--data-dir DIR] [--json]

With --observe the engine reads the server's power state from its BMC and its
switch ports from the switches, and lists every difference from the intent
(drift). Exit code 0 either way.
${CLIENT_HELP}`,

  async run(args, io) {
    const { values, positionals } = parseFlags(args, { ...dataDirFlag, json: { type: 'boolean' }, observe: { type: 'boolean' } }, ['id']);
    const i = await withClient(values['data-dir'], io, (c) => c.getInstance(positionals[0], { observe: values.observe ?? false }));
    if (values.json) {
      printJson(io, i);
      return 0;
    }
    const rows: [string, string][] = [
      ['id', i.id], ['state', i.stateReason ? `${i.state}: ${i.stateReason}` : i.state], ['tenancy', i.tenancyId], ['profile', i.profile],
      ['server', dash(i.serverId)], ['image', i.image], ['hostname', dash(i.hostname)], ['address', address(i)], ['gateway', dash(i.gateway)],
      ['power', i.powerState], ['secure erase on delete', i.secureEraseOnDelete ? 'yes' : 'no'], ['bmc', dash(i.bmcEndpoint)],
      ['ports', i.switchPorts.map((p) => `${p.nic}(${p.mac})@${p.switchId}/${p.port}`).join(', ') || '-'],
      ['ssh keys', String(i.sshAuthorizedKeys.length)], ['user data', i.userData ? `${Buffer.byteLength(i.userData)} bytes` : '-'],
      ['created', i.createdAt], ['last job', dash(i.jobId)],
    ];
    if (values.observe) {
      rows.push(['observed power', dash(i.observedPowerState)], ['observed tenancy', dash(i.observedTenancyId)]);
      rows.push(['drift', i.drift.length === 0 ? 'none' : i.drift.join('\n')]);
    }
    table(io, ['FIELD', 'VALUE'], rows.flatMap(([k, v]) => v.split('\n').map((line, n) => [n === 0 ? k : '', line])));
    return 0;
  },
};
