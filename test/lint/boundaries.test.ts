/**
 * The layers' import direction (eslint.config.js), proved by linting code that imports the wrong
 * way from a file path in each layer. The files need not exist: ESLint picks the configuration by path.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: join(import.meta.dirname, '..', '..') });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const BOUNDARY = expect.stringMatching(/^no-restricted-(imports|syntax): .*Wrong-way import: /);

describe('eslint: imports run one way', () => {
  test.each([
    ['rules/encryption/new-rule.ts', "import { resourceLabel } from '../../functions/shared/resources.js';\nexport const x = resourceLabel;\n"],
    ['rules/catalog-extra.ts', "import { scan } from '../cli/run.js';\nexport const x = scan;\n"],
    ['rules/backup/deeper/helper.ts', "export { LAMBDA_BUNDLING } from '../../../infra/bundling.js';\n"],
    ['functions/alerts/new-alert.ts', "import { loadSettings } from '../../infra/settings.js';\nexport const x = loadSettings;\n"],
    ['functions/notifier/index-extra.ts', "export const m = await import('../../cli/run.js');\n"],
    ['functions/handler-extra.ts', "import type { FUNCTIONS } from '../bench/lambda.js';\nexport type X = typeof FUNCTIONS;\n"],
    ['infra/constructs/new-construct.ts', "import { FUNCTIONS } from '../../bench/lambda.js';\nexport const x = FUNCTIONS;\n"],
    ['infra/new-stack.ts', "import { scan } from '../cli/run.js';\nexport const x = scan;\n"],
    ['cli/new-format.ts', "import { loadSettings } from '../infra/settings.js';\nexport const x = loadSettings;\n"],
    ['cli/new-format.ts', "import { benchLambdas } from '../bench/lambda.js';\nexport const x = benchLambdas;\n"],
  ])('%s: a wrong-way import is an error', async (filePath, code) => {
    expect(await problems(filePath, code)).toEqual([BOUNDARY]);
  });

  test.each([
    [
      'rules/encryption/new-rule.ts',
      "import { defineItemRule } from '../types.js';\nimport { planRules } from '../backup/plan.js';\nexport const x = [defineItemRule, planRules];\n",
    ],
    [
      'functions/alerts/new-alert.ts',
      "import { CATALOG } from '../../rules/catalog.js';\nimport { resourceLabel } from '../shared/resources.js';\nexport const x = [CATALOG, resourceLabel];\n",
    ],
    [
      'infra/constructs/new-construct.ts',
      "import { LAMBDA_BUNDLING } from '../bundling.js';\nimport { CATALOG } from '../../rules/catalog.js';\nimport { toFinding } from '../../functions/findings/to-finding.js';\nexport const x = [LAMBDA_BUNDLING, CATALOG, toFinding];\n",
    ],
    [
      'cli/new-format.ts',
      "import { toFinding } from '../functions/findings/to-finding.js';\nimport { CATALOG } from '../rules/catalog.js';\nexport const x = [toFinding, CATALOG];\n",
    ],
    [
      'bench/new-bench.ts',
      "import { LAMBDA_BUNDLING } from '../infra/bundling.js';\nimport { scan } from '../cli/run.js';\nexport const x = [LAMBDA_BUNDLING, scan];\n",
    ],
  ])('%s: imports the right way are clean', async (filePath, code) => {
    expect(await problems(filePath, code)).toEqual([]);
  });

  test('the package restrictions of each layer still hold beside the boundaries', async () => {
    expect(await problems('rules/encryption/new-rule.ts', "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const x = EC2Client;\n")).toEqual([
      expect.stringMatching(/rules\/ never calls AWS/),
    ]);
    expect(await problems('functions/alerts/new-alert.ts', "import * as z from 'zod';\nexport const x = z;\n")).toEqual([expect.stringMatching(/zod\/mini/)]);
  });
});
