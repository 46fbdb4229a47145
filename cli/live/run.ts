/** The live scan as a function: a read plan in, evaluations and summary out, in the offline scan's shape. The CLI and the bench call it. */
import type { InputFile } from '../../functions/reports/model.js';
import { InputReader, type OnRead, type ReaderOptions } from '../load.js';
import { summarize } from '../report.js';
import { loadParameters, type OfflineScan } from '../run.js';
import { selectRules, type RuleSelection } from '../selection.js';
import { evaluateLive } from './evaluate.js';
import type { ProgressDisplay } from './progress.js';
import { readLive, type ReadPlan } from './read.js';
import type { LiveSession } from './session.js';

export interface LiveScanInputs {
  readonly plan: ReadPlan;
  /** `--rules` / `--skip-rules`: by default every rule. */
  readonly rules?: RuleSelection;
  readonly session: LiveSession;
  readonly progress: ProgressDisplay;
  readonly paramsFile?: string;
  readonly exemptionTagKey?: string;
  /** Where a relative --params path starts (and the input limits). */
  readonly read?: ReaderOptions;
  /** Evaluate as of this time (--as-of); by default, when the read started. */
  readonly now?: Date;
  readonly clock?: () => Date;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function liveScan(inputs: LiveScanInputs): Promise<OfflineScan> {
  const inputFiles: InputFile[] = [];
  const onRead: OnRead = (file) => void inputFiles.push(file);
  // Bad parameters are bad input: said before anything is read.
  const params = await loadParameters(inputs.paramsFile, new InputReader({ ...inputs.read, onRead }));
  const { rules, leftOut } = selectRules(inputs.rules);
  const read = await readLive({ ...inputs.plan, rules }, inputs.session, inputs.progress.report, inputs.clock);
  const now = inputs.now ?? read.startedAt;
  const live = evaluateLive(read, { params, now, rules, ...(inputs.exemptionTagKey !== undefined && { exemptionTagKey: inputs.exemptionTagKey }) });
  const places = live.live.accounts.flatMap((account) => account.regions.map((region) => `${account.accountId}/${region.region}`));
  const items = live.live.accounts.reduce((sum, account) => sum + account.regions.reduce((n, region) => n + region.items, 0), 0);
  const seconds = ((read.finishedAt.getTime() - read.startedAt.getTime()) / 1000).toFixed(1);
  inputs.progress.finish(
    `Read ${plural(live.live.accounts.length, 'account')} in ${plural(places.length, 'place')} (account × Region), ${items} items, in ${seconds} s${live.live.complete ? '' : '; not everything could be read (see the warnings)'}.`,
  );
  return {
    evaluations: live.evaluations,
    summary: summarize(live.evaluations, {
      rulesRun: live.rulesRun,
      rulesSkipped: [...leftOut, ...live.rulesSkipped],
      itemsEvaluated: live.itemsEvaluated,
      skippedItems: live.skippedItems,
      credentialReports: live.credentialReports,
      inputs: places,
      now,
      live: { summary: live.live, warnings: live.warnings },
    }),
    parameters: params,
    inputFiles,
  };
}
