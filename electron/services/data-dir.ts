/**
 * Where browser mode keeps its recent list: `--data-dir`, else `EGRESS_ATLAS_DATA_DIR`, else
 * `$XDG_CONFIG_HOME/egress-atlas`, else `~/.config/egress-atlas` (XDG Base Directory defaults).
 * Electron uses `app.getPath('userData')` instead (electron/app/main.ts).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function browserDataDir(
  flag: string | null,
  env: Readonly<Record<string, string | undefined>>,
  home: string = homedir(),
): string {
  if (flag) return resolve(flag);
  const fromEnv = env.EGRESS_ATLAS_DATA_DIR;
  if (fromEnv) return resolve(fromEnv);
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (xdg && xdg.startsWith('/')) return join(xdg, 'egress-atlas');
  return join(home, '.config', 'egress-atlas');
}
