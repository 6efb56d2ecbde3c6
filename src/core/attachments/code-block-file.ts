/**
 * Which file a code block in an answer is meant for (issue 13's Apply to file). Models name it in
 * the fence's info string or in a comment on the block's first line; both spellings vary by model
 * and by the prompt's example, so several are read. A prose comment ('// compute the sum') must not
 * be taken for a file name, hence the strict look of a path. The host still confines the path to the
 * workspace and shows the change before writing.
 */

export interface CodeBlockFile {
  path: string;
  /** The block's first line only names the file and is not part of the code to apply. */
  dropFirstLine: boolean;
}

/** Names that are files without an extension. */
const EXTENSIONLESS = new Set([
  'Makefile', 'GNUmakefile', 'makefile', 'Dockerfile', 'Containerfile', 'Gemfile', 'Rakefile', 'Procfile', 'Jenkinsfile',
  'Vagrantfile', 'Brewfile', 'Podfile', 'Justfile', 'justfile', 'Caddyfile', 'Snakefile', 'BUILD', 'WORKSPACE', 'LICENSE', 'CODEOWNERS',
]);

/** `key=value` attributes naming the file: `title="src/a.ts"`, `filename=app.py`. */
const ATTRIBUTE = /(?:^|\s)(?:title|filename|file|path|name)=(?:"([^"]*)"|'([^']*)'|(\S+))/i;

/** First-line comments that can hold a path, by comment syntax; the path is matched group 1. */
const COMMENTS: readonly RegExp[] = [
  /^\/\/\s*(.*?)\s*$/,
  /^\/\*\s*(.*?)\s*\*\/$/,
  /^<!--\s*(.*?)\s*-->$/,
  /^#(?![!#])\s*(.*?)\s*$/,
  /^--(?!-)\s*(.*?)\s*$/,
  /^;+\s*(.*?)\s*$/,
];
/** 'file: ', 'filepath: ', 'File path: ' before the path in a comment. */
const LABEL = /^(?:file\s*(?:path|name)?|path)\s*:\s*/i;

/**
 * `info` is the whole fence info string after the backticks, e.g. 'ts src/a.ts', 'typescript:src/a.ts',
 * 'ts title="src/a.ts"', 'python filename=app.py', 'src/a.ts' alone; or the code's first line is a
 * path comment: '// src/a.ts', '// filepath: src/a.ts', '# file: app.py', '<!-- src/index.html -->',
 * '/* src/a.css *\/', '-- db/q.sql', '; a.ini'. A candidate must look like a relative or absolute path
 * with a file extension (or a known extensionless name like Makefile, Dockerfile), no spaces unless
 * quoted in title="...", and must not be a URL.
 */
export function codeBlockFile(info: string, code: string): CodeBlockFile | undefined {
  const fromInfo = pathInInfo(info.trim());
  if (fromInfo !== undefined) return { path: fromInfo, dropFirstLine: false };
  const fromComment = pathInFirstLine(code);
  return fromComment === undefined ? undefined : { path: fromComment, dropFirstLine: true };
}

function pathInInfo(info: string): string | undefined {
  if (info === '') return undefined;
  const attribute = ATTRIBUTE.exec(info);
  if (attribute) {
    const quoted = attribute[1] ?? attribute[2];
    const path = asPath(quoted ?? attribute[3] ?? '', quoted !== undefined);
    if (path !== undefined) return path;
  }
  const words = info.split(/\s+/);
  const first = words[0]!;
  // 'typescript:src/a.ts'; but 'C:\p\a.ts' is a drive, not a language.
  const colon = /^([\w+#-]+):(.+)$/.exec(first);
  if (colon && !/^[a-zA-Z]:[\\/]/.test(first)) {
    const path = asPath(colon[2]!, false);
    if (path !== undefined) return path;
  }
  // One word is the language unless it is plainly a path ('src/a.ts', 'app.py'); then the later words.
  if (words.length === 1) return /[./\\]/.test(first) ? asPath(first, false) : undefined;
  for (const word of words.slice(1)) {
    if (word.includes('=')) continue;
    const path = asPath(word, false);
    if (path !== undefined) return path;
  }
  return undefined;
}

function pathInFirstLine(code: string): string | undefined {
  const firstLine = (code.split('\n', 1)[0] ?? '').replace(/\r$/, '').trim();
  for (const comment of COMMENTS) {
    const match = comment.exec(firstLine);
    if (!match) continue;
    const path = asPath(match[1]!.replace(LABEL, ''), false);
    if (path !== undefined) return path;
  }
  return undefined;
}

/** The candidate as a path with '/' separators, or undefined when it does not look like one. */
function asPath(candidate: string, spacesAllowed: boolean): string | undefined {
  let path = candidate.trim().replace(/^[`'"]|[`'"]$/g, '');
  if (path === '' || path.length > 400) return undefined;
  if (!spacesAllowed && /\s/.test(path)) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (/[\u0000-\u001f<>|*?{}=]/.test(path) || path.includes('"')) return undefined;
  // A URL (any scheme, or protocol-relative) is a link, not a file; a drive letter is not a scheme.
  if ((/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path) && !/^[a-zA-Z]:[\\/]/.test(path)) || /^[\\/]{2}/.test(path) || /^www\./i.test(path)) return undefined;
  path = path.replace(/\\/g, '/');
  while (path.startsWith('./')) path = path.slice(2);
  if (path.endsWith('/')) return undefined;
  const name = path.slice(path.lastIndexOf('/') + 1);
  // 'a.ts', 'x.tar.gz'; not 'v1.2' (a version) nor 'e.g.' (prose).
  const hasExtension = /^[^.].*\.[\w-]*[A-Za-z][\w-]*$/.test(name);
  const isDotfile = /^\.[\w-][\w.-]*$/.test(name);
  return hasExtension || isDotfile || EXTENSIONLESS.has(name) ? path : undefined;
}
