/**
 * The bench's fake AWS in its own process, so that what the stand-in for AWS spends on answering is
 * not counted as the scan's own time. Reads the world's shape from argv, prints its endpoint, and on
 * any line of stdin prints its call counts and exits.
 */
import { createInterface } from 'node:readline';
import { FakeAws } from '../test/helpers/fake-aws.js';
import { benchWorld, type WorldShape } from './live-world.js';

const shape = JSON.parse(process.argv[2] ?? '{}') as WorldShape;
const fake = new FakeAws(benchWorld(shape));
process.stdout.write(`${JSON.stringify({ endpoint: await fake.start() })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  void line;
  process.stdout.write(`${JSON.stringify({ calls: fake.calls.length, counts: fake.counts() })}\n`);
  await fake.stop();
  process.exit(0);
}
