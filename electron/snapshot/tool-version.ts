/**
 * The tool version written into every snapshot's metadata and printed by `egress-atlas --version`.
 * Read from package.json through a JSON import: Vite inlines it into the Electron bundle and tsx /
 * vitest resolve it directly, so no path to package.json has to exist at run time.
 */
import packageJson from '../../package.json';

export const TOOL_VERSION: string = packageJson.version;
