import type { CommandSpec, OptionSpecs } from '../cli/CommandSpec.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { logoutCommand } from './logout.js';
import { lsCommand } from './ls.js';
import { rmCommand } from './rm.js';
import { showCommand } from './show.js';
import { statsCommand } from './stats.js';
import { watchCommand } from './watch.js';

/** Every `lapse` command, in the order `lapse --help` lists them. */
export const COMMANDS: readonly CommandSpec<OptionSpecs>[] = [
  demoCommand,
  watchCommand,
  lsCommand,
  showCommand,
  rmCommand,
  logoutCommand,
  statsCommand,
  doctorCommand,
];
