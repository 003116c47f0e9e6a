/**
 * The app's diagram export (renderer/diagram-export.ts) warns, as `egress-atlas diagram` does, when
 * a Mermaid file passes Mermaid's default limits (GitHub shows an error instead of the diagram),
 * with advice that fits the view exported. Workspace shows the warning as a notice banner.
 */
import { describe, expect, it } from 'vitest';
import { mermaidWarning } from '../../renderer/diagram-export';
import { MERMAID_MAX_EDGES, MERMAID_MAX_TEXT_SIZE } from '../../shared/graph/export';

describe('mermaidWarning', () => {
  it('says nothing within the limits', () => {
    expect(mermaidWarning('flowchart LR\n', MERMAID_MAX_EDGES, 'full')).toBeUndefined();
  });

  it('past maxEdges or maxTextSize: what is wrong, and advice that does not name the view already drawn', () => {
    expect(mermaidWarning('flowchart LR\n', MERMAID_MAX_EDGES + 1, 'full')).toBe(
      `The Mermaid file was saved, but ${MERMAID_MAX_EDGES + 1} edges is more than Mermaid's default maxEdges (${MERMAID_MAX_EDGES}): GitHub will not render it; export the VNet overview (View: VNet overview) or a selection instead, or use draw.io or SVG.`,
    );
    const overview = mermaidWarning('x'.repeat(MERMAID_MAX_TEXT_SIZE + 1), 10, 'overview');
    expect(overview).toContain(`more than Mermaid's default maxTextSize (${MERMAID_MAX_TEXT_SIZE})`);
    expect(overview).toContain('this is already the VNet overview: export a selection instead');
    expect(mermaidWarning('flowchart LR\n', MERMAID_MAX_EDGES + 1, 'path')).toMatch(/use draw\.io or SVG for this selection\.$/);
  });
});
