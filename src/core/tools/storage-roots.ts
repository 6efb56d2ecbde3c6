import { posix, win32 } from 'node:path';
import type { PathStyle } from './path-syntax';

/**
 * The folders no tool may touch, from the storage locations VS Code gives the extension. Each is a
 * folder VS Code keeps for every extension side by side, so its PARENT is refused: the global
 * storage of all extensions (`<user-data>/User/globalStorage`), this workspace's storage
 * (`.../workspaceStorage/<id>`), this session's extension-host logs. When the global storage has its
 * usual shape (`<user-data>/User/globalStorage/<extension id>`), the whole user-data dir is refused
 * too: it holds settings.json (which can approve tools), keybindings and the secret store.
 */
export function forbiddenRoots(storagePaths: readonly string[], style: PathStyle): string[] {
  const p = style === 'win32' ? win32 : posix;
  const roots = new Set<string>();
  for (const given of storagePaths) {
    if (!p.isAbsolute(given)) continue;
    const path = p.resolve(given);
    const parent = p.dirname(path);
    if (parent !== path && p.dirname(parent) !== parent) roots.add(parent);
    const userDir = p.dirname(parent);
    if (p.basename(parent).toLowerCase() === 'globalstorage' && p.basename(userDir).toLowerCase() === 'user') {
      const userData = p.dirname(userDir);
      if (p.dirname(userData) !== userData) roots.add(userData);
    }
  }
  return [...roots];
}
