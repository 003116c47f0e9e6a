/**
 * The command registry: `egress-atlas <name>` dispatches here. Each command is a `CliCommand`
 * (command.ts) so it runs in-process in tests.
 */
import type { CliCommand } from '../command';
import { checkCommand } from './check';
import { costCommand } from './cost';
import { demosCommand } from './demos';
import { diagramCommand } from './diagram';
import { pricesCommand } from './prices';
import { pullCommand } from './pull';
import { reachCommand } from './reach';
import { reportCommand } from './report';
import { resolveCommand } from './resolve';
import { snapshotCommand } from './snapshot';
import { trafficCommand } from './traffic';
import { uiCommand } from './ui';
import { verifyCommand } from './verify';

export const COMMANDS: readonly CliCommand[] = [resolveCommand, reachCommand, checkCommand, snapshotCommand, pullCommand, reportCommand, diagramCommand, trafficCommand, costCommand, pricesCommand, verifyCommand, demosCommand, uiCommand];
