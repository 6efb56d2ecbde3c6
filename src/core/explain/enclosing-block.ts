/**
 * The lines of the block around `line` (0-based) when the language offers no symbols: the nearest
 * line above with less indentation opens it (a function, a class, an `if`), and it runs until the
 * indentation drops back to that level. Returns 0-based inclusive bounds, or `undefined` on a blank
 * document.
 */
export function enclosingBlock(lines: readonly string[], line: number): { start: number; end: number } | undefined {
  const indent = (i: number): number | undefined => {
    const text = lines[i] ?? '';
    return text.trim() === '' ? undefined : text.length - text.trimStart().length;
  };
  let at = Math.min(Math.max(line, 0), lines.length - 1);
  while (at >= 0 && indent(at) === undefined) at--;
  if (at < 0) return undefined;
  const own = indent(at) ?? 0;
  // The opener: the nearest earlier line indented less than this one (top level: this line).
  let start = at;
  if (own > 0) {
    for (let i = at - 1; i >= 0; i--) {
      const level = indent(i);
      if (level !== undefined && level < own) {
        start = i;
        break;
      }
    }
  }
  const base = indent(start) ?? 0;
  let end = start;
  for (let i = start + 1; i < lines.length; i++) {
    const level = indent(i);
    if (level === undefined) continue;
    if (level <= base) {
      // A closing brace or `end` at the opener's level belongs to the block.
      if (/^\s*[}\])]|^\s*end\b/.test(lines[i] ?? '')) end = i;
      break;
    }
    end = i;
  }
  return { start, end };
}
