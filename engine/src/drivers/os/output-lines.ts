// Splits a command's byte stream into text lines as chunks arrive, whatever the chunk boundaries.

import { StringDecoder } from 'node:string_decoder';

/** One output stream (stdout or stderr) of a remote command. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  /** The lines completed by `chunk`, without `\n` or a trailing `\r`; a multi-byte character cut by the chunk boundary waits for the rest. */
  push(chunk: Buffer): string[] {
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop()!;
    return lines.map(stripCr);
  }

  /** The unterminated last line, if the stream ended without a line break. */
  end(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest === '' ? [] : [stripCr(rest)];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
