import ignore from 'ignore';

/** A .gitignore bigger than this is not a list of patterns a person wrote: it is not read. */
export const MAX_IGNORE_FILE_BYTES = 256 * 1024;

export interface IgnoreRules {
  /** `relative`: a path inside the folder, forward slashes, no leading `./`. */
  ignores(relative: string): boolean;
}

const NOTHING: IgnoreRules = { ignores: () => false };

/**
 * A workspace folder's root `.gitignore` as rules, through the `ignore` package (git's own
 * matching: negations, directory patterns, anchoring). Listing and searching leave those files
 * out: build output and dependencies are rarely what the model is after, and they would fill its
 * context. Only the root file is read; nested `.gitignore`s and `.git/info/exclude` are not.
 */
export function gitignoreRules(text: string | undefined): IgnoreRules {
  if (text === undefined || text.trim() === '') return NOTHING;
  const rules = ignore().add(text);
  return {
    ignores: (relative) => {
      try {
        return rules.ignores(relative);
      } catch {
        return false; // a path `ignore` cannot judge (absolute, `..`) is not left out by it
      }
    },
  };
}

/**
 * Whether a glob asks for ignored files on purpose: its literal start (up to the last `/` before
 * any glob character) is itself ignored, as in `dist/**` or `build/out/*.js`. Then nothing is left
 * out for being ignored: the model named the folder.
 */
export function patternNamesIgnored(pattern: string | undefined, rules: IgnoreRules): boolean {
  if (pattern === undefined) return false;
  const literal = pattern.split(/[*?[{]/, 1)[0] ?? '';
  const folder = literal.slice(0, literal.lastIndexOf('/') + 1).replace(/^\.\//, '');
  return folder !== '' && rules.ignores(folder);
}
