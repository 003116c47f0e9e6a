// cytoscape-svg 0.4.0 ships no types. It adds `cy.svg(options) → string` (see renderer/graph/canvas.ts).
declare module 'cytoscape-svg' {
  const extension: (cy: unknown) => void;
  export default extension;
}
