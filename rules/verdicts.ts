import type { Verdict } from './types.js';

export const compliant = (annotation: string): Verdict => ({ compliance: 'COMPLIANT', annotation });
export const nonCompliant = (annotation: string): Verdict => ({ compliance: 'NON_COMPLIANT', annotation });
export const notApplicable = (annotation: string): Verdict => ({ compliance: 'NOT_APPLICABLE', annotation });
