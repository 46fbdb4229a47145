/**
 * `npm run bench -- live`: the live scan against a local stand-in for the AWS APIs (the e2e tests'
 * fake, real SDK clients and wire protocols), run in its own process and answering every call after
 * 20 ms. Printed: the calls made against the lower bound the data allows (Config query pages of 100,
 * one credential report, one call per backup plan and per selection, SSM pages of 50, one call per
 * account or Region setting), and the wall time, for one 10,000-resource account and for a practice of
 * 4 accounts × 4 Regions read concurrently, beside the time their chains of dependent calls need.
 * Target (issue 17): calls at the lower bound; accounts and Regions read concurrently.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { silentProgress } from '../cli/live/progress.js';
import type { ReadPlan } from '../cli/live/read.js';
import { liveScan } from '../cli/live/run.js';
import { LiveSession } from '../cli/live/session.js';
import { fakeAwsEnv } from '../test/helpers/fake-aws.js';
import { benchWorld, CALLER, lowerBound, PLANS, SELECTIONS_PER_PLAN, type WorldShape } from './live-world.js';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const ROOT = join(import.meta.dirname, '..');

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The fake AWS in a child process: its endpoint, and a way to end it and get its call counts. */
async function fakeAws(shape: WorldShape): Promise<{ endpoint: string; finish: () => Promise<{ calls: number; counts: Record<string, number> }> }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(import.meta.dirname, 'fake-aws-child.ts'), JSON.stringify(shape)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  const { endpoint } = JSON.parse(String(first.value)) as { endpoint: string };
  return {
    endpoint,
    finish: async () => {
      child.stdin.write('counts\n');
      const answer = JSON.parse(String((await lines.next()).value)) as { calls: number; counts: Record<string, number> };
      await once(child, 'exit');
      return answer;
    },
  };
}

async function measure(name: string, shape: WorldShape, plan: ReadPlan, roleName?: string): Promise<string[]> {
  const options = { organization: plan.accounts.kind === 'organization', allRegions: plan.regions === 'all' };
  const bound = lowerBound(benchWorld(shape), options);
  const fake = await fakeAws(shape);
  const saved = { ...process.env };
  Object.assign(process.env, fakeAwsEnv(fake.endpoint));
  try {
    const session = new LiveSession({ ...(roleName !== undefined && { roleName }) });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await liveScan({ plan, session, progress: silentProgress });
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const { calls, counts } = await fake.finish();
    const places = shape.accounts.length * shape.regions.length;
    return [
      `  ${name}: ${fmt(places * shape.resourcesPerRegion)} resources in ${shape.accounts.length} account(s) × ${shape.regions.length} Region(s), ${fmt(result.evaluations.length)} evaluations`,
      `    calls           ${fmt(calls)} made vs lower bound ${fmt(bound.calls)}: ${fmt(calls / bound.calls, 2)}×   target 1.00×`,
      `    wall time       ${fmt(ms)} ms (scan CPU ${fmt((used.user + used.system) / 1000)} ms); longest chain of dependent calls ${bound.chain} × ${LATENCY_MS} ms = ${fmt(bound.chain * LATENCY_MS)} ms, all ${fmt(bound.calls)} calls one after another ${fmt(bound.calls * LATENCY_MS)} ms`,
      `    by call         ${Object.entries(counts)
        .map(([call, n]) => `${call} ${n}`)
        .join(', ')}`,
    ];
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

export async function benchLive(): Promise<string[]> {
  const lines = [
    `Live scan (--live) against a fake AWS in its own process, ${LATENCY_MS} ms per call, ${PLANS} backup plans × ${SELECTIONS_PER_PLAN} selections per Region`,
  ];
  lines.push(
    ...(await measure(
      'one account, one Region',
      { accounts: [CALLER.accountId], regions: ['us-east-1'], resourcesPerRegion: 10_000, latencyMs: LATENCY_MS },
      { accounts: { kind: 'caller' }, regions: ['us-east-1'] },
    )),
  );
  const practice: WorldShape = {
    accounts: [CALLER.accountId, '444455556666', '777788889999', '123456789012'],
    regions: ['eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2'],
    resourcesPerRegion: 2_500,
    latencyMs: LATENCY_MS,
  };
  lines.push(
    ...(await measure('a practice, --organization --all-regions', practice, { accounts: { kind: 'organization' }, regions: 'all' }, 'clinic-assessor')),
  );
  return lines;
}
