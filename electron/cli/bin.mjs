#!/usr/bin/env node
// The `egress-atlas` launcher (package.json "bin"). Registers tsx so the TypeScript sources run
// as they are — `npx egress-atlas ...` works after `npm ci` with no build step — then hands over
// to main.ts. The exit code goes through process.exitCode so pending output is flushed.
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('./main.ts');
process.exitCode = await runFromProcess();
