export { writeEvidencePdf } from './write-evidence-pdf';
export type { EvidenceInput, EvidenceSelection } from './types';
export type { DiagramLayout, DiagramNode, DiagramEdge, DiagramTone } from './diagram-layout';
export { buildPathDiagram } from './diagram-layout';
