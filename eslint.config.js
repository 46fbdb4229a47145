import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Classic zod adds ~440 KiB to every Lambda bundle and ~70 ms to its cold start; zod/mini is the same validator.
const ZOD_MINI = { name: 'zod', message: "Import * as z from 'zod/mini' in code that ships in Lambda bundles." };

/**
 * Imports run one way: rules/ ← functions/ ← infra/, cli/ ← bench/, scripts/, test/. A relative
 * import leaves a layer through as many `../` as the importing file lies deep, so each depth gets
 * its own pattern: exact, without a module resolver. Static imports, re-exports and import()
 * alike. The layer's own package restrictions (`paths`, `patterns`) come along, because a later
 * `no-restricted-imports` setting replaces an earlier one for the same file.
 * @param {string} dir the layer's top-level folder
 * @param {{ leaving: string, message: string, paths?: unknown[], patterns?: unknown[] }} options
 *   `leaving`: regex of the top-level folders it may not reach ('' for none at all)
 */
function layer(dir, { leaving, message, paths = [], patterns = [] }) {
  return [1, 2, 3, 4, 5].map((depth) => {
    const outside = `^(\\.\\./){${depth}}${leaving}${leaving === '' ? '' : '(/|$)'}`;
    return {
      files: [`${dir}/${'*/'.repeat(depth - 1)}*.ts`],
      rules: {
        'no-restricted-imports': ['error', { paths, patterns: [...patterns, { regex: outside, message }] }],
        'no-restricted-syntax': ['error', { selector: `ImportExpression[source.value=/${outside.replaceAll('/', '\\/')}/]`, message }],
      },
    };
  });
}

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Rules are pure functions over AWS's data shapes: no SDK, no middleware, no logger, no environment.
    files: ['rules/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'rules/ takes its inputs as arguments, not from process.env.' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'rules/ takes its inputs as arguments.' }],
    },
  },
  ...layer('rules', {
    leaving: '',
    message: 'Wrong-way import: rules/ imports nothing outside rules/: functions/, infra/ and cli/ build on the rules, never the other way.',
    paths: [ZOD_MINI],
    patterns: [
      { group: ['@aws-sdk/*', 'aws-sdk', '@smithy/*'], message: 'rules/ never calls AWS: adapters live in functions/.' },
      { group: ['@middy/*'], message: 'rules/ is plain functions: middleware belongs in functions/.' },
      { group: ['@aws-lambda-powertools/*', 'pino', 'winston'], message: 'rules/ does not log: return the reason in the annotation.' },
      { group: ['node:process', 'process', 'node:fs', 'fs', 'node:fs/*', 'fs/*'], message: 'rules/ takes its inputs as arguments.' },
    ],
  }),
  ...layer('functions', {
    leaving: '(infra|cli|bench|scripts|test)',
    message: 'Wrong-way import: functions/ (what ships in Lambda) imports only rules/ and functions/: not the CDK app, the CLI, benchmarks, scripts or tests.',
    paths: [ZOD_MINI],
  }),
  ...layer('infra', {
    leaving: '(bench|cli|scripts|test)',
    message: 'Wrong-way import: infra/ imports rules/, functions/ and infra/ only: shared build settings live in infra/ (bench/ imports them from here).',
  }),
  ...layer('cli', {
    leaving: '(infra|bench|scripts|test)',
    message: 'Wrong-way import: cli/ imports rules/, functions/ and cli/ only: the offline scanner must not load the CDK app or the benchmarks.',
  }),
);
