/**
 * rill_edit_file's one rule, pure: `oldText` must occur exactly once, so the model can never change
 * a place it did not mean (a second, identical block elsewhere in the file). Overlapping occurrences
 * count too ("aa" is twice in "aaa"): either could be the one the model meant.
 */

export type Replacement =
  | {
      ok: true;
      text: string;
      /** Where the replaced text started in the original, and how long it was (in UTF-16 units). */
      index: number;
      length: number;
      /** What was put there: `newText`, with CRLF line ends when the file uses them. */
      inserted: string;
    }
  | { ok: false; count: number };

/** How many times `needle` occurs, overlapping ones included; stops counting at `max`. */
export function countOccurrences(haystack: string, needle: string, max = 1000): number {
  if (needle === '') return 0;
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0 && count < max; at = haystack.indexOf(needle, at + 1)) count++;
  return count;
}

/**
 * Replaces the one occurrence of `oldText` by `newText`. When the file's lines end in CRLF and the
 * model wrote plain "\n" (models almost always do), both texts are read with CRLF line ends, so the
 * edit neither fails for an invisible reason nor mixes line ends into the file.
 */
export function replaceOnce(text: string, oldText: string, newText: string): Replacement {
  const count = countOccurrences(text, oldText);
  if (count === 1) return replaced(text, oldText, newText);
  if (count === 0 && text.includes('\r\n') && /(^|[^\r])\n/.test(oldText)) {
    const crlfOld = toCrlf(oldText);
    const crlfCount = countOccurrences(text, crlfOld);
    if (crlfCount === 1) return replaced(text, crlfOld, toCrlf(newText));
    return { ok: false, count: crlfCount };
  }
  return { ok: false, count };
}

function replaced(text: string, oldText: string, newText: string): Replacement {
  const index = text.indexOf(oldText);
  return { ok: true, text: text.slice(0, index) + newText + text.slice(index + oldText.length), index, length: oldText.length, inserted: newText };
}

function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Why the edit cannot apply, for the model: how many times, and what to do about it. */
export function replacementProblem(path: string, count: number): string {
  if (count === 0) {
    return `oldText was not found in ${path}. It must match the file exactly, whitespace and indentation included; read the file again with rill_read_file and copy the text from it.`;
  }
  const times = count >= 1000 ? '1000 or more times' : `${count} times`;
  return `oldText occurs ${times} in ${path}; it must occur exactly once. Include more of the surrounding lines in oldText so that it matches only the place to change.`;
}
