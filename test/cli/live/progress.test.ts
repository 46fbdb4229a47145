/** The live scan's progress on stderr: a board redrawn in place on a terminal, one line per finished stage elsewhere. */
import { lineProgress, terminalProgress, type ProgressEvent } from '../../../cli/live/progress.js';

const EVENTS: ProgressEvent[] = [
  { accountId: '111122223333', stage: 'IAM credential report', state: 'start' },
  { accountId: '111122223333', region: 'us-east-1', stage: 'Config query', state: 'start' },
  { accountId: '111122223333', region: 'us-east-1', stage: 'backup selections', state: 'start' },
  { accountId: '111122223333', region: 'us-east-1', stage: 'Config query', state: 'progress', items: 300 },
  { accountId: '111122223333', region: 'eu-west-1', stage: 'Config recorder', state: 'skipped', note: 'Config is not recording: Config-based rules skipped' },
  { accountId: '111122223333', stage: 'IAM credential report', state: 'done' },
];

test('not a terminal: one plain line as each stage ends, none as it starts or pages', () => {
  let out = '';
  const progress = lineProgress((text) => void (out += text));
  for (const event of EVENTS) progress.report(event);
  progress.report({ accountId: '111122223333', region: 'us-east-1', stage: 'Config query', state: 'done', items: 412 });
  progress.report({ accountId: '444455556666', stage: 'assume role', state: 'failed', note: 'access denied' });
  progress.finish('Read 2 accounts.');
  expect(out.split('\n')).toEqual([
    'live 111122223333 eu-west-1 Config recorder: skipped: Config is not recording: Config-based rules skipped',
    'live 111122223333 IAM credential report: done',
    'live 111122223333 us-east-1 Config query: done, 412 read',
    'live 444455556666 assume role: failed: access denied',
    'live Read 2 accounts.',
    '',
  ]);
});

test('a terminal: each account and Region with its running stages and items read, problems kept, the board cleared at the end', () => {
  const writes: string[] = [];
  let now = 0;
  const stream = { columns: 120, rows: 40, write: (text: string) => writes.push(text) > 0, isTTY: true, on: () => stream, removeListener: () => stream };
  const progress = terminalProgress(stream, () => (now += 1000));
  for (const event of EVENTS) progress.report(event);
  const board = writes.join('');
  expect(board).toContain('  … 111122223333 us-east-1  Config query, backup selections  (300 items)');
  expect(board).toContain('  ! 111122223333 eu-west-1  Config recorder: Config is not recording: Config-based rules skipped');
  expect(board).toMatch(/Reading AWS: 1 done, 1 in progress, 1 with problems; 300 items read/);
  progress.finish('Read 1 account in 2 places.');
  expect(writes.at(-1)).toBe('Read 1 account in 2 places.\n');
});
