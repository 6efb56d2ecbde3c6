/**
 * What a path from the model may look like before it is resolved, by the file system's flavour.
 * These refusals come first because they are about spelling, not location: a spelling Windows
 * rewrites behind our back (`name.` is `name`, `a:stream` is a hidden stream, `\\?\` skips
 * normalisation) could otherwise slip past every later check.
 */

export type PathStyle = 'posix' | 'win32';

/** Characters no file name needs: NUL ends a C string early, the rest are never typed. */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;
const DRIVE = /^[a-zA-Z]:/;
/** `\\?\C:\x`, `\\.\pipe\x`: Win32 device namespace, where `..` and `/` are not normalised. */
const DEVICE = /^[\\/]{2}[?.]([\\/]|$)/;
/** CON, NUL, COM1... open devices in any folder, with any extension. */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Why this path is refused as written, or undefined when its spelling is fine. */
export function spellingProblem(input: string, style: PathStyle): string | undefined {
  if (input.includes('\u0000')) return 'it contains a NUL byte.';
  if (CONTROL.test(input)) return 'it contains a control character (a new line, tab or escape).';
  if (style === 'posix') {
    if (DRIVE.test(input) || input.includes('\\')) {
      return 'it is a Windows-style path; this workspace uses "/" (give a path relative to the workspace folder, like "src/app.ts").';
    }
    if (input === '~' || input.startsWith('~/')) return '"~" is the home folder, outside the workspace (it is not expanded here).';
    return undefined;
  }
  if (DEVICE.test(input)) return 'device paths (\\\\?\\ and \\\\.\\) are not allowed.';
  if (DRIVE.test(input) && !/^[a-zA-Z]:[\\/]/.test(input)) return `"${input.slice(0, 2)}" without a "\\" after it is relative to a hidden current folder of that drive.`;
  if (/^[\\/](?![\\/])/.test(input)) return 'a path starting with one "\\" is relative to the current drive; give a path relative to the workspace folder.';
  const body = input.replace(DRIVE, '');
  if (body.includes(':')) return 'it contains ":" (on Windows that names an alternate data stream).';
  for (const segment of body.split(/[\\/]/)) {
    if (segment === '' || segment === '.' || segment === '..') continue;
    // Windows drops trailing dots and spaces: ".vscode." would open ".vscode", "..." would be odd.
    if (/[. ]$/.test(segment)) return `the name "${segment}" ends with a dot or a space, which Windows silently removes.`;
    if (RESERVED.test(segment)) return `"${segment}" is a reserved device name on Windows.`;
  }
  if (/[<>"|?*]/.test(body)) return 'it contains a character Windows does not allow in names (< > " | ? *).';
  return undefined;
}

/** The path's segments, split the way this flavour splits them. */
export function segments(path: string, style: PathStyle): string[] {
  return path.split(style === 'win32' ? /[\\/]/ : '/').filter((segment) => segment !== '');
}

/**
 * Folders of VS Code's own that no tool may touch, wherever they are found: the remote server's
 * install with its user data and extensions (`~/.vscode-server`, `-insiders`, `.vscode-remote`).
 * The user-data dir and the extension's storage are passed in as forbidden roots (only the host
 * knows where they are). Compared without case: refusing more never hurts.
 */
export function isVsCodeStorageSegment(segment: string): boolean {
  return /^\.vscode-(server|remote)/i.test(segment);
}

/**
 * What the model may read but never write: `.vscode/` holds the workspace's settings, tasks and
 * launch configurations (a setting can change what Rill approves, a task can run at folder open),
 * `.git/` holds hooks that run on the next commit, and a `.code-workspace` file holds settings too.
 */
export function writeProtectedSegment(parts: readonly string[]): string | undefined {
  for (const segment of parts) {
    const lower = segment.toLowerCase();
    if (lower === '.vscode' || lower === '.git') return segment;
  }
  const last = parts[parts.length - 1];
  return last !== undefined && last.toLowerCase().endsWith('.code-workspace') ? last : undefined;
}
