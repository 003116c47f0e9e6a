/** Verdict and severity colours, shared by the path sections, the reach block and the matrix appendix. */
import type { FindingSeverity, Verdict } from '../../shared/egress/types';

export const SEVERITY_COLOR: Readonly<Record<FindingSeverity, string>> = { error: '#cf222e', warning: '#9a6700', info: '#0b5cad' };

export const VERDICT_COLOR: Readonly<Record<Verdict, string>> = {
  'internet': '#1a7f37', 'private': '#00796b', 'on-premises': '#6f42c1', 'dropped': '#cf222e', 'denied': '#cf222e', 'no-outbound': '#cf222e', 'unknown': '#9a6700',
};
