// A small CLI command matcher for simulated switches: keyword templates with typed arguments,
// unique-prefix abbreviation (`conf t`, `sh vlan br`), and why a line matched nothing.

import { MTU_MAX, MTU_MIN, VLAN_MAX, VLAN_MIN } from '../../../engine/src/domain/port-config';

/** Argument values by placeholder name (`<vlan>` -> args.vlan). `<text>` holds the rest of the line verbatim. */
export type Args = Record<string, string>;

/**
 * One command: a template of keywords and placeholders (`switchport access
 * vlan <vlan>`), and what it does. `run` returns the output to print; output
 * starting with `% ` is an error, as on the device.
 */
export interface Command<C> {
  template: string;
  run(args: Args, ctx: C): string | void;
}

const inRange = (lo: number, hi: number) => (t: string) => /^\d+$/.test(t) && Number(t) >= lo && Number(t) <= hi;

/** What each placeholder accepts. */
const PLACEHOLDERS: Record<string, (token: string) => boolean> = {
  vlan: inRange(VLAN_MIN, VLAN_MAX),
  vlans: (t) => /^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(t),
  mtu: inRange(MTU_MIN, MTU_MAX),
  num: inRange(0, 65535),
  word: () => true,
  text: () => true,
};

interface Candidate<C> {
  command: Command<C>;
  words: string[];
  args: Args;
  /** A `<text>` placeholder consumed the rest of the line. */
  done: boolean;
}

export type Match<C> = { command: Command<C>; args: Args } | { error: string };

/** Why a line matched no command: which token (0-based) and where it starts in the line (`at`). */
export type MatchFailure =
  | { kind: 'invalid' | 'ambiguous'; token: number; text: string; at: number }
  | { kind: 'incomplete'; at: number };

/**
 * Finds the command `line` means among `commands` (earlier entries win when
 * several match), or why none does; each simulated CLI words the failure its way.
 */
export function findCommand<C>(commands: Command<C>[], line: string): { command: Command<C>; args: Args } | { failure: MatchFailure } {
  const tokens = [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], at: m.index ?? 0 }));
  let candidates: Candidate<C>[] = commands.map((command) => ({ command, words: command.template.split(' '), args: {}, done: false }));
  for (const [i, token] of tokens.entries()) {
    const open = candidates.filter((c) => !c.done && i < c.words.length);
    const keyword = resolveKeyword(open.map((c) => c.words[i]).filter((w) => !w.startsWith('<')), token.text.toLowerCase());
    const next = open.flatMap((c) => advance(c, i, token, keyword, line));
    if (next.length === 0 && keyword === 'ambiguous') return { failure: { kind: 'ambiguous', token: i, ...token } };
    if (next.length === 0 && !candidates.some((c) => c.done)) return { failure: { kind: 'invalid', token: i, ...token } };
    candidates = [...candidates.filter((c) => c.done), ...next];
  }
  const complete = candidates.find((c) => c.done || c.words.length === tokens.length);
  return complete ? { command: complete.command, args: complete.args } : { failure: { kind: 'incomplete', at: line.trimEnd().length } };
}

/**
 * findCommand with EOS-worded errors: `% Invalid input (at token N: 'x')`,
 * `% Ambiguous command (at token N: 'x')`, `% Incomplete command`.
 */
export function matchCommand<C>(commands: Command<C>[], line: string): Match<C> {
  const found = findCommand(commands, line);
  if (!('failure' in found)) return found;
  const f = found.failure;
  if (f.kind === 'incomplete') return { error: '% Incomplete command' };
  return { error: `% ${f.kind === 'ambiguous' ? 'Ambiguous command' : 'Invalid input'} (at token ${f.token}: '${f.text}')` };
}

/** The keyword a token abbreviates: an exact match, else the only keyword it is a prefix of. */
function resolveKeyword(keywords: string[], token: string): string | 'ambiguous' | null {
  if (keywords.includes(token)) return token;
  const prefixed = [...new Set(keywords.filter((k) => k.startsWith(token)))];
  if (prefixed.length === 1) return prefixed[0];
  return prefixed.length > 1 ? 'ambiguous' : null;
}

function advance<C>(c: Candidate<C>, i: number, token: { text: string; at: number }, keyword: string | null, line: string): Candidate<C>[] {
  const word = c.words[i];
  const placeholder = /^<(\w+)>$/.exec(word)?.[1];
  if (placeholder === undefined) return word === keyword ? [c] : [];
  if (!PLACEHOLDERS[placeholder](token.text)) return [];
  const value = placeholder === 'text' ? line.slice(token.at).trimEnd() : token.text;
  return [{ ...c, args: { ...c.args, [placeholder]: value }, done: placeholder === 'text' }];
}
