/** Verdict and severity colours, shared by the path sections, the reach block and the matrix appendix. */
import type { FindingSeverity, Verdict } from '../../shared/egress/types';
import { VERDICT_COLOR as SHARED_VERDICT_COLOR } from '../../shared/graph/palette';

export const SEVERITY_COLOR: Readonly<Record<FindingSeverity, string>> = { error: '#cf222e', warning: '#9a6700', info: '#0b5cad' };

/** One colour per verdict, from the palette the app and the diagram exports share (same values as before). */
export const VERDICT_COLOR: Readonly<Record<Verdict, string>> = SHARED_VERDICT_COLOR;
