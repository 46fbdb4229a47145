/**
 * The esbuild options every monitor Lambda is built with. The stack hands them to NodejsFunction
 * (constructs/monitor-function.ts) and `npm run bench` builds with the very same object, so the sizes
 * and cold starts it prints are those of what ships. Plain data: importing it loads neither esbuild
 * nor the CDK, so infra/ depends on nothing in bench/ (bench/ imports this instead).
 */
import type { BuildOptions } from 'esbuild';

export const LAMBDA_BUNDLING = {
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
} satisfies BuildOptions;

/**
 * Single-account stacks build with this define: code guarded by `process.env.CCM_BUNDLE ===
 * 'single-account'` then drops the org-wide paths (STS, SNS, member roles) from the bundle.
 */
export const SINGLE_ACCOUNT_DEFINE = { 'process.env.CCM_BUNDLE': '"single-account"' } as const;
