/** Texts for the tokenizer and estimator tests: English prose, TypeScript, Japanese prose. */

export const ENGLISH = `A context window is the amount of text a language model can consider at once. When a
conversation grows longer than the window, something has to give: either the oldest messages are
left out, or the request fails. Rill keeps the system prompt and the newest question, then adds
earlier turns from the most recent backwards until the budget is spent. The user is told when
older turns were left out, so that an answer which forgets something said an hour ago is not a
surprise. Counting tokens exactly matters because the limits are strict: a request that is one
token over is rejected by the server, and a budget that is far too cautious wastes context that
could have carried useful history.`;

export const CODE = `export function retryDelayMs(attempt: number, hintMs: number | undefined, random: () => number = Math.random): number {
  if (hintMs !== undefined && hintMs >= 0 && hintMs <= 60_000) return hintMs;
  const backoff = Math.min(500 * 2 ** (attempt - 1), 8000);
  return Math.round(backoff * (1 - random() * 0.25));
}

class Conversation {
  private readonly messages: ChatMessageView[] = [];
  addUser(text: string): ChatMessageView {
    return this.push({ role: 'user', text, state: 'done' });
  }
  toApiMessages(systemPrompt: string): ChatCompletionMessageParam[] {
    const out: ChatCompletionMessageParam[] = [];
    if (systemPrompt) out.push({ role: 'system', content: systemPrompt });
    for (const m of this.messages) {
      if (m.state === 'streaming' || m.text.length === 0) continue;
      out.push({ role: m.role, content: m.text });
    }
    return out;
  }
}`;

export const JAPANESE = `コンテキストウィンドウとは、言語モデルが一度に考慮できるテキストの量のことです。会話がウィンドウより長くなると、
古いメッセージを省くか、リクエストが失敗するかのどちらかになります。Rill はシステムプロンプトと最新の質問を必ず残し、
予算が尽きるまで新しい順に以前のやり取りを加えます。古いやり取りが省かれたときは画面に表示されるので、一時間前に話した
内容を忘れた回答が返ってきても驚くことはありません。サーバーの上限は厳密なので、トークンを正確に数えることが大切です。`;
