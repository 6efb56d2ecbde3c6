/** Sent first in every request; a setting (`rill.systemPrompt`) will override it. */
export const DEFAULT_SYSTEM_PROMPT =
  'You are Rill, a concise coding assistant inside VS Code. Answer in Markdown; put code in fenced blocks with a language tag.';
