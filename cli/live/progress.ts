/**
 * Progress of a live read, on stderr. On a terminal: a board redrawn in place with log-update (the
 * renderer listr2 itself builds on), one row per account and Region being read, its stages and the
 * items read so far, the finished ones folded into a count. Otherwise (a pipe, CI, a log file): one
 * plain line as each stage ends.
 */
import { createLogUpdate } from 'log-update';

export type StageState = 'start' | 'progress' | 'done' | 'failed' | 'skipped';

export interface ProgressEvent {
  readonly accountId: string;
  /** Absent for what is read once per account (assuming the role, the credential report). */
  readonly region?: string;
  readonly stage: string;
  readonly state: StageState;
  /** Items read so far (progress) or in all (done). */
  readonly items?: number;
  readonly note?: string;
}

export type Progress = (event: ProgressEvent) => void;

export interface ProgressDisplay {
  readonly report: Progress;
  /** Clears the board (a terminal) and says what was read. */
  finish(summary: string): void;
}

const where = (event: Pick<ProgressEvent, 'accountId' | 'region'>): string =>
  event.region === undefined ? event.accountId : `${event.accountId} ${event.region}`;

/** One line per finished stage, for logs and pipes. */
export function lineProgress(write: (text: string) => void): ProgressDisplay {
  return {
    report(event) {
      if (event.state === 'start' || event.state === 'progress') return;
      const count = event.items === undefined ? '' : `, ${event.items} read`;
      const note = event.note === undefined ? '' : `: ${event.note}`;
      write(`live ${where(event)} ${event.stage}: ${event.state}${count}${note}\n`);
    },
    finish(summary) {
      write(`live ${summary}\n`);
    },
  };
}

interface Row {
  readonly label: string;
  readonly active: Set<string>;
  items: number;
  problem?: string;
  started: boolean;
}

/** Rows shown at most; the rest are counted. */
const MAX_ROWS = 12;
const REDRAW_MS = 80;

export interface TerminalStream {
  write(text: string): boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** The board on a terminal (stderr). */
export function terminalProgress(stream: TerminalStream, clock: () => number = Date.now): ProgressDisplay {
  const draw = createLogUpdate(stream as NodeJS.WriteStream);
  const rows = new Map<string, Row>();
  let lastDraw = 0;
  let pending: NodeJS.Timeout | undefined;
  const render = (): string => {
    const all = [...rows.values()];
    const busy = all.filter((row) => row.active.size > 0);
    const troubled = all.filter((row) => row.active.size === 0 && row.problem !== undefined);
    const done = all.filter((row) => row.active.size === 0 && row.problem === undefined && row.started);
    const items = all.reduce((sum, row) => sum + row.items, 0);
    const lines = [
      `Reading AWS: ${done.length} done, ${busy.length} in progress, ${troubled.length} with problems; ${items.toLocaleString('en-US')} items read`,
    ];
    for (const row of busy.slice(0, MAX_ROWS))
      lines.push(`  … ${row.label}  ${[...row.active].join(', ')}${row.items > 0 ? `  (${row.items.toLocaleString('en-US')} items)` : ''}`);
    if (busy.length > MAX_ROWS) lines.push(`  … and ${busy.length - MAX_ROWS} more`);
    for (const row of troubled.slice(0, MAX_ROWS)) lines.push(`  ! ${row.label}  ${row.problem ?? ''}`);
    const width = Math.max(40, (stream.columns ?? 100) - 1);
    return lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line)).join('\n');
  };
  const redraw = (): void => {
    pending = undefined;
    lastDraw = clock();
    draw(render());
  };
  return {
    report(event) {
      const key = where(event);
      let row = rows.get(key);
      if (row === undefined) rows.set(key, (row = { label: key, active: new Set(), items: 0, started: false }));
      row.started = true;
      if (event.state === 'start') row.active.add(event.stage);
      else if (event.state !== 'progress') row.active.delete(event.stage);
      if (event.stage === 'Config query' && event.items !== undefined) row.items = event.items;
      if (event.state === 'failed' || event.state === 'skipped') row.problem = `${event.stage}: ${event.note ?? event.state}`;
      // Redrawn at most every REDRAW_MS: a page of 100 items arrives far more often than a terminal needs.
      if (clock() - lastDraw >= REDRAW_MS) redraw();
      else pending ??= setTimeout(redraw, REDRAW_MS);
    },
    finish(summary) {
      if (pending !== undefined) clearTimeout(pending);
      draw.clear();
      draw.done();
      stream.write(`${summary}\n`);
    },
  };
}

export const silentProgress: ProgressDisplay = { report: () => undefined, finish: () => undefined };
