import {
  CredentialReportExpiredException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { CredentialReportAdapter, CredentialReportUnavailableError } from '../../../functions/iam/credential-report.js';
import { sampleText } from '../../helpers/samples.js';
import { PERIODIC_EVALUATOR_CALLS } from '../../../functions/evaluator/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';

const iam = mockClient(IAMClient);
const sentCommands = recordSentCommands(iam);
afterAll(() => expectDeclaredCalls(sentCommands, PERIODIC_EVALUATOR_CALLS));
const CSV = sampleText('iam/credential-report.coolfriends-oil.csv');
const GENERATED = new Date('2026-11-28T08:00:00Z');

function adapter(maxWaitMs = 10_000) {
  const slept: number[] = [];
  const instance = new CredentialReportAdapter(new IAMClient({}), { maxWaitMs, pollMs: 1_000, sleep: async (ms) => void slept.push(ms) });
  return { instance, slept };
}

beforeEach(() => iam.reset());

describe('CredentialReportAdapter', () => {
  test('polls Generate until COMPLETE, then returns the decoded CSV', async () => {
    iam.on(GenerateCredentialReportCommand).resolvesOnce({ State: 'STARTED' }).resolvesOnce({ State: 'INPROGRESS' }).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(CSV), ReportFormat: 'text/csv', GeneratedTime: GENERATED });
    const { instance, slept } = adapter();
    await expect(instance.fetch()).resolves.toEqual({ text: CSV, generatedAt: GENERATED });
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
    expect(slept).toEqual([1_000, 1_000]);
  });

  test('an expired report (ReportExpired) is generated anew', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(new CredentialReportExpiredException({ message: 'expired', $metadata: {} }))
      .resolves({ Content: new TextEncoder().encode(CSV), GeneratedTime: GENERATED });
    await expect(adapter().instance.fetch()).resolves.toMatchObject({ text: CSV });
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
  });

  test('a report still in progress (ReportInProgress) is waited for', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(new CredentialReportNotReadyException({ message: 'not ready', $metadata: {} }))
      .resolves({ Content: new TextEncoder().encode(CSV) });
    const { instance, slept } = adapter();
    await expect(instance.fetch()).resolves.toEqual({ text: CSV });
    expect(slept).toEqual([1_000]);
  });

  test('the wait is bounded: a report that never completes is an error naming the state', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const { instance, slept } = adapter(3_000);
    await expect(instance.fetch()).rejects.toThrow(CredentialReportUnavailableError);
    await expect(adapter(3_000).instance.fetch()).rejects.toThrow(/within 3 s \(last state INPROGRESS\)/);
    expect(slept).toEqual([1_000, 1_000, 1_000]);
  });

  test('other errors (access denied) surface at once', async () => {
    iam.on(GenerateCredentialReportCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    await expect(adapter().instance.fetch()).rejects.toThrow(/not authorized/);
  });
});
