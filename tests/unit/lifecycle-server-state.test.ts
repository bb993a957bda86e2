// The server lifecycle: every allowed and every forbidden transition, and the evidence entering `available` needs.

import { SERVER_STATES, transitionMeaning, transitionRefusal, type ServerState } from '../../engine/src/domain/server-lifecycle';

const clean = { cleaned: false, needsCleaning: false };

/** The lifecycle as DESIGN.md draws it, written out independently of the implementation's table. */
const ALLOWED: [ServerState, ServerState][] = [
  ['available', 'allocated'], ['available', 'cleaning'], ['available', 'maintenance'],
  ['allocated', 'provisioning'], ['allocated', 'cleaning'], ['allocated', 'failed'],
  ['provisioning', 'active'], ['provisioning', 'cleaning'], ['provisioning', 'failed'],
  ['active', 'cleaning'], ['active', 'failed'],
  ['cleaning', 'available'], ['cleaning', 'maintenance'], ['cleaning', 'failed'],
  ['failed', 'cleaning'], ['failed', 'maintenance'],
  ['maintenance', 'cleaning'], ['maintenance', 'available'], ['maintenance', 'failed'],
];

const allPairs = SERVER_STATES.flatMap((from) => SERVER_STATES.map((to) => [from, to] as [ServerState, ServerState]));
const isAllowed = (from: ServerState, to: ServerState) => ALLOWED.some(([f, t]) => f === from && t === to);

test.each(allPairs.filter(([f, t]) => isAllowed(f, t)))('%s -> %s is allowed and has a meaning', (from, to) => {
  expect(transitionMeaning(from, to)).toEqual(expect.any(String));
  expect(transitionRefusal(from, to, { cleaned: true, needsCleaning: false })).toBeNull();
});

test.each(allPairs.filter(([f, t]) => !isAllowed(f, t)))('%s -> %s is forbidden, naming where the server may go', (from, to) => {
  expect(transitionMeaning(from, to)).toBeUndefined();
  const refusal = transitionRefusal(from, to, { cleaned: true, needsCleaning: false });
  expect(refusal).toContain(`cannot go from ${from} to ${to}`);
  expect(refusal).toContain(`from ${from} it may go to:`);
});

test.each<[string, ServerState, { cleaned: boolean; needsCleaning: boolean }, string | null]>([
  ['cleaning -> available without a successful clean', 'cleaning', clean, 'only after a successful clean'],
  ['cleaning -> available after a successful clean', 'cleaning', { cleaned: true, needsCleaning: true }, null],
  ['maintenance -> available for a server used since its last clean', 'maintenance', { cleaned: false, needsCleaning: true }, 'send it through cleaning first'],
  ['maintenance -> available for a server never used since its clean', 'maintenance', clean, null],
])('%s', (_name, from, facts, refusal) => {
  const got = transitionRefusal(from, 'available', facts);
  if (refusal === null) expect(got).toBeNull();
  else expect(got).toContain(refusal);
});
