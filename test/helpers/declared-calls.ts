/**
 * Holds a function's declared calls (functions/<fn>/permissions.ts) to what its tests see it send:
 * every command that reaches an aws-sdk-client-mock in a test file must be declared. With the policy
 * simulation proving each declared call allowed, a call the code makes but the role lacks cannot pass.
 */
import { afterEach, expect } from '@jest/globals';
import type { DeclaredCall } from '../../functions/shared/permissions.js';

interface Mock {
  calls(): readonly { readonly args: readonly unknown[] }[];
}

/** Collects the command names the mocks received, after each test (before the next test resets them). */
export function recordSentCommands(...mocks: readonly Mock[]): Set<string> {
  const sent = new Set<string>();
  afterEach(() => {
    for (const mock of mocks) {
      for (const call of mock.calls()) {
        const command = call.args[0];
        if (typeof command === 'object' && command !== null) sent.add(command.constructor.name);
      }
    }
  });
  return sent;
}

/** For an afterAll: every sent command is one of the declared calls (and something was sent). */
export function expectDeclaredCalls(sent: ReadonlySet<string>, declared: readonly Pick<DeclaredCall, 'command'>[]): void {
  const known = new Set(declared.map((call) => call.command));
  expect(sent.size).toBeGreaterThan(0);
  expect([...sent].filter((command) => !known.has(command)).sort()).toEqual([]);
}
