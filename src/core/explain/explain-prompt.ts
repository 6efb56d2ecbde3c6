/** What Explain Selection sends: the code, where it comes from, under a template. */
export interface ExplainInput {
  code: string;
  language: string;
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

/** The built-in templates, by UI language; `rill.prompts.explain` replaces them. */
export const EXPLAIN_TEMPLATES: Record<'en' | 'ja', string> = {
  en: 'Explain what this {language} code from {file} (lines {startLine}-{endLine}) does, step by step, and point out anything surprising or risky.\n\n```{language}\n{code}\n```',
  ja: '{file} の {startLine}〜{endLine} 行目にあるこの {language} のコードが何をしているか、順を追って説明し、意外な点や危険な点があれば指摘してください。\n\n```{language}\n{code}\n```',
};

export function defaultExplainTemplate(uiLanguage: string): string {
  return uiLanguage.toLowerCase().startsWith('ja') ? EXPLAIN_TEMPLATES.ja : EXPLAIN_TEMPLATES.en;
}

/**
 * Fills the template's placeholders. Each is replaced once, left to right, so code that happens to
 * contain `{file}` is never itself expanded. A fence inside the code is lengthened around it so
 * the selection cannot end the code block early.
 */
export function fillExplainTemplate(template: string, input: ExplainInput): string {
  const fence = '`'.repeat(Math.max(3, longestRun(input.code, '`') + 1));
  const values: Record<string, string> = {
    code: input.code,
    language: input.language,
    file: input.file,
    startLine: String(input.startLine),
    endLine: String(input.endLine),
  };
  const withFence = template.replace(/```(\{language\})?\n\{code\}\n```/, (_m, lang: string | undefined) => `${fence}${lang ?? ''}\n{code}\n${fence}`);
  return withFence.replace(/\{(code|language|file|startLine|endLine)\}/g, (_m, key: string) => values[key] ?? '');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/**
 * Keeps the selection within `maxTokens`: whole lines from the top, as many as fit. Returns the
 * kept code and the last line kept, so the prompt can say what was left out.
 */
export function cutToBudget(code: string, maxTokens: number, count: (text: string) => number, startLine: number): { code: string; endLine: number; cut: boolean } {
  const lines = code.split('\n');
  const endLine = startLine + lines.length - 1;
  if (count(code) <= maxTokens) return { code, endLine, cut: false };
  // Binary search on the number of lines: counting is the expensive part.
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (count(lines.slice(0, mid).join('\n')) <= maxTokens) low = mid;
    else high = mid - 1;
  }
  return { code: lines.slice(0, low).join('\n'), endLine: startLine + Math.max(low, 1) - 1, cut: true };
}
