import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Classic zod adds ~440 KiB to every Lambda bundle and ~70 ms to its cold start; zod/mini is the same validator.
const ZOD_MINI = { name: 'zod', message: "Import * as z from 'zod/mini' in code that ships in Lambda bundles." };

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
      'no-restricted-imports': [
        'error',
        {
          paths: [ZOD_MINI],
          patterns: [
            { group: ['@aws-sdk/*', 'aws-sdk', '@smithy/*'], message: 'rules/ never calls AWS: adapters live in functions/.' },
            { group: ['@middy/*'], message: 'rules/ is plain functions: middleware belongs in functions/.' },
            { group: ['@aws-lambda-powertools/*', 'pino', 'winston'], message: 'rules/ does not log: return the reason in the annotation.' },
            { group: ['node:process', 'process', 'node:fs', 'fs', 'node:fs/*', 'fs/*'], message: 'rules/ takes its inputs as arguments.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'rules/ takes its inputs as arguments, not from process.env.' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'rules/ takes its inputs as arguments.' }],
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ZOD_MINI] }] },
  },
);
