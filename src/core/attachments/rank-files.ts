/**
 * `#file:` completion's order: names that start with the query, then names containing it, then
 * paths containing it; shorter paths first within each. Case is ignored. Pure, so it is tested
 * without VS Code.
 */
export function rankFiles(files: readonly string[], query: string, limit: number): string[] {
  const q = query.toLowerCase().replace(/\\/g, '/');
  const scored: Array<{ file: string; score: number }> = [];
  for (const file of files) {
    const lower = file.toLowerCase();
    const name = lower.slice(lower.lastIndexOf('/') + 1);
    const score = q === '' ? 3 : name.startsWith(q) ? 0 : name.includes(q) ? 1 : lower.includes(q) ? 2 : -1;
    if (score >= 0) scored.push({ file, score });
  }
  scored.sort((a, b) => a.score - b.score || a.file.length - b.file.length || (a.file < b.file ? -1 : 1));
  return scored.slice(0, limit).map((entry) => entry.file);
}
