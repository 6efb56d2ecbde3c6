import { defaultAnswerReserve } from '../../core/context/budget';
import { resolveContextTokens } from '../../core/context/model-context';
import type { ModelAccess } from '../model-access';
import { readRequestSettings } from '../settings';
import { tokenCounterFor } from '../token-counters';

export interface PromptRoom {
  /** Tokens that code or attachments may take in the next prompt. */
  tokens: number;
  count: (text: string) => number;
}

/**
 * How many tokens pasted code may use in one prompt: what the model's window leaves after the
 * answer's reserve, the system prompt and the prompt's own words (`around`), less a tenth for
 * counting that is not the model's own. Shared by Explain Selection and attached context, so both
 * cut at the same line for the same model.
 */
export async function promptRoom(access: ModelAccess, around: readonly string[]): Promise<PromptRoom> {
  const settings = readRequestSettings();
  const opened = await access.open();
  const model = opened.ok ? opened.model : opened.environment.model;
  const counter = tokenCounterFor(model);
  const count = (text: string): number => counter.count(text);
  const window = resolveContextTokens(model, settings.contextTokens).tokens;
  const overhead = count(settings.systemPrompt) + around.reduce((sum, text) => sum + count(text), 0) + 16;
  const tokens = Math.max(0, Math.floor((window - (settings.maxTokens ?? defaultAnswerReserve(window)) - overhead) * 0.9));
  return { tokens, count };
}
