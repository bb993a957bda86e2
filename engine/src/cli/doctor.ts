// `maestro doctor`: lists orphans (VLANs, ports, IPs, servers) and uncleaned servers; exit 1 when there are any.

import { parseFlags, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, printJson, withClient } from './engine-client';

export const doctor: Command = {
  words: ['doctor'],
  summary: 'report orphaned VLANs, ports, IPs and servers (exit 1 when any)',
  usage: `maestro doctor [--data-dir DIR] [--json]

Reads every switch's VLANs and ports and the engine's allocations, and prints
one line per finding: kind, object, why. Exit code 0 when there are none, 1
otherwise. Kinds: orphan_vlan, orphan_port, orphan_ip, orphan_server,
uncleaned_server, switch_unreachable.
${CLIENT_HELP}`,

  async run(args, io) {
    const { values } = parseFlags(args, { ...dataDirFlag, json: { type: 'boolean' } });
    const report = await withClient(values['data-dir'], io, (c) => c.runDoctor());
    if (values.json) printJson(io, report);
    else {
      for (const f of report.findings) io.stdout.write(`${f.kind}\t${f.object}\t${f.why}\n`);
      const { switches, ports, servers, tenancies, ips } = report.checked;
      const checked = `checked ${switches} switch(es), ${ports} port(s), ${servers} server(s), ${tenancies} tenancy network(s), ${ips} IP(s)`;
      io.stderr.write(`${report.findings.length} finding(s); ${checked}\n`);
    }
    return report.findings.length === 0 ? 0 : 1;
  },
};
