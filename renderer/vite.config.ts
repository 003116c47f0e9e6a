// Renderer build: `vite build --config renderer/vite.config.ts` → renderer/dist.
// `base: './'` keeps asset URLs relative so the same build loads from file:// in Electron and from
// the loopback bridge in browser mode.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `import.meta.dirname` (Node ≥ 20.11) instead of node:url: lint keeps Node imports out of renderer/.
const root = import.meta.dirname;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${root}/dist`,
    emptyOutDir: true,
    // cytoscape alone is ~450 kB minified; it is split into its own chunk below.
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'cytoscape', test: /node_modules[\\/]cytoscape/ }],
        },
      },
    },
  },
  worker: { format: 'es' },
});
