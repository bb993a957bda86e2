// `host:port` endpoints of inventory (switch SSH, server OS SSH): the grammar and its parse.

/** A hostname or IPv4 address, or an IPv6 address in brackets, then an optional `:port`. */
const ENDPOINT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::(\d+))?$/;

export interface HostPort {
  /** Without brackets for IPv6. */
  host: string;
  port: number;
}

/** `10.0.0.11:22` -> {host, port}; the port defaults to `defaultPort`. undefined when the text is not an endpoint. */
export function parseHostPort(text: string, defaultPort = 22): HostPort | undefined {
  const m = ENDPOINT.exec(text);
  if (!m) return undefined;
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** The canonical text of an endpoint: `host:port`, IPv6 hosts in brackets. */
export function formatHostPort(e: HostPort): string {
  return `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}
