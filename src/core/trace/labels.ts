import { agentEn, agentJa, type AgentLabels } from './agent-labels';

/**
 * The words of the sequence diagrams, per UI language. API names (`webview.postMessage`,
 * `openai.chat.completions.create`, `data: [DONE]`, field names) are never translated: they are
 * what a reader searches for. Numbers arrive already formatted (locale-independent), and every
 * label is escaped for Mermaid after it is composed, so these strings may hold any character.
 */
export interface TraceLabels {
  lang: 'en' | 'ja';
  /** Participants. */
  user: string;
  webview: string;
  host: string;
  llm: string;
  tool: string;
  /** `accTitle` of a request's diagram, and of the generic flow. */
  traceTitle: string;
  flowTitle: string;
  /** What the user did: `send`, `resend`, `regenerate`, `continue`, `retry`, `trimAndRetry`, `action`, `command`, `stop`. */
  trigger(trigger: string): string;
  at(time: string): string;
  /** Joins figures in a label: `a, b` or `a、b`. */
  list(parts: string[]): string;
  requestBuilt(messages: string, promptTokens: string, model: string, provider: string): string;
  droppedTurns(turns: string): string;
  attemptFailed(attempt: string, reason: string): string;
  waitThenRetry(wait: string): string;
  noResponse(reason: string): string;
  /** Stream phases, by the kind of content. */
  phase: { text: string; reasoning: string; toolCall: string; refusal: string };
  chunks(count: string): string;
  chars(count: string): string;
  batches(count: string): string;
  received(bytes: string): string;
  largestGap(time: string): string;
  ttft(time: string, api?: string): string;
  streamed(time: string): string;
  rate(rate: string): string;
  tokensFromUsage(tokens: string): string;
  tokensFromChunks(chunks: string): string;
  total(time: string): string;
  headers(time: string): string;
  render: string;
  firstPaint(time?: string): string;
  lastPaint(time?: string): string;
  noContent: string;
  chunkByChunk: string;
  moreChunks(shown: string, total: string): string;
  notRecorded(recorded: string): string;
  stoppedByUser: string;
  error(kind: string): string;
  cutOff(kind: string): string;
  closedWithoutFinish: string;
  /** A `done` answer without `finish_reason`: its `[DONE]` was taken as the end (gateways such as Snowflake Cortex). */
  doneWithoutFinish: string;
  streamBroke(kind: string): string;
  idleAbort: string;
  shown(state: string): string;
  toolsRequested(list: string): string;
  toolArgs(name: string, chars: string): string;
  /** Agent requests: rounds, tool calls, approvals. */
  agent: AgentLabels;
  /** The generic flow's notes. */
  flow: {
    build: string;
    retryWhen: string;
    retryError: string;
    retryWait: string;
    tokenStream: string;
    batchNote: string;
    renderNote: string;
    toolNote: string;
    stop: string;
    finalRender: string;
    continueOffered: string;
  };
}

function pick(words: Record<string, string>, key: string): string {
  return Object.hasOwn(words, key) ? (words[key] as string) : key;
}

export const en: TraceLabels = {
  lang: 'en',
  user: 'User',
  webview: 'Webview (frontend)',
  host: 'Extension Host (backend)',
  llm: 'LLM API',
  tool: 'Tool',
  traceTitle: 'Rill: trace of one streaming request',
  flowTitle: 'Rill: how a streaming request flows',
  trigger: (t) =>
    pick(
      {
        send: 'Send',
        resend: 'Edit and resend',
        regenerate: 'Regenerate',
        continue: 'Continue',
        retry: 'Retry',
        trimAndRetry: 'Trim and Retry',
        action: 'Retry or Continue',
        command: 'VS Code command',
        stop: 'Stop',
      },
      t,
    ),
  at: (t) => `at ${t}`,
  list: (parts) => parts.join(', '),
  requestBuilt: (m, p, model, provider) => `request built: ${m} messages, ${p} prompt tokens, model ${model} (${provider})`,
  droppedTurns: (n) => `${n} earlier turns left out to fit the context window`,
  attemptFailed: (n, reason) => `attempt ${n} failed: ${reason}`,
  waitThenRetry: (w) => `wait ${w}, then try again`,
  noResponse: (reason) => `no response: ${reason}`,
  phase: { text: 'answer', reasoning: 'reasoning', toolCall: 'tool calls', refusal: 'refusal' },
  chunks: (n) => `${n} chunks`,
  chars: (n) => `${n} chars`,
  batches: (n) => `${n} batches`,
  received: (b) => `${b} received`,
  largestGap: (t) => `largest gap ${t}`,
  ttft: (t, api) => `TTFT ${t}${api ? ` (API ${api})` : ''}`,
  streamed: (t) => `streamed in ${t}`,
  rate: (r) => `${r} tok/s`,
  tokensFromUsage: (n) => `usage: ${n} completion tokens`,
  tokensFromChunks: (n) => `no usage: ${n} chunks`,
  total: (t) => `total ${t}`,
  headers: (t) => `headers after ${t}`,
  render: 'render',
  firstPaint: (t) => (t ? `first paint ${t}` : 'first paint'),
  lastPaint: (t) => (t ? `last paint ${t}` : 'last paint'),
  noContent: 'no content',
  chunkByChunk: 'token stream, chunk by chunk',
  moreChunks: (shown, total) => `first ${shown} of ${total} chunks shown`,
  notRecorded: (n) => `only the first ${n} chunks were recorded`,
  stoppedByUser: 'stopped by the user',
  error: (kind) => `error: ${kind}`,
  cutOff: (kind) => `cut off: ${kind}`,
  closedWithoutFinish: 'stream closed without finish_reason',
  doneWithoutFinish: 'no finish_reason: data: [DONE] ends the answer',
  streamBroke: (kind) => `stream broke: ${kind}`,
  idleAbort: 'AbortController.abort(): no bytes within the idle timeout',
  shown: (state) => `shown as ${state}`,
  toolsRequested: (list) => `requested by the model (shown, not run): ${list}`,
  toolArgs: (name, chars) => `${name} (${chars} of arguments)`,
  agent: agentEn,
  flow: {
    build: 'build the request: system prompt and the turns that fit the context window',
    retryWhen: '429, 5xx or no connection, before the first byte',
    retryError: 'error (with retry-after)',
    retryWait: 'wait (retry-after or backoff), then try again',
    tokenStream: 'token stream',
    batchNote: 'the next batch once the webview has the last',
    renderNote: 'at most once per animation frame',
    toolNote: 'tool-call arguments assembled by index',
    stop: 'the user presses Stop',
    finalRender: 'final render',
    continueOffered: 'kept, with Continue',
  },
};

export const ja: TraceLabels = {
  lang: 'ja',
  user: 'ユーザー',
  webview: 'フロントエンド',
  host: 'バックエンド',
  llm: 'LLM',
  tool: 'ツール',
  traceTitle: 'Rill: ストリーミング要求 1 件のトレース',
  flowTitle: 'Rill: ストリーミング要求の流れ',
  trigger: (t) =>
    pick(
      {
        send: '送信',
        resend: '編集して再送信',
        regenerate: '再生成',
        continue: '続きを生成',
        retry: '再試行',
        trimAndRetry: '削って再試行',
        action: '再試行または続きを生成',
        command: 'VS Code コマンド',
        stop: '停止',
      },
      t,
    ),
  at: (t) => `${t} 時点`,
  list: (parts) => parts.join('、'),
  requestBuilt: (m, p, model, provider) => `要求を作成: メッセージ ${m} 件、プロンプト ${p} トークン、モデル ${model} (${provider})`,
  droppedTurns: (n) => `コンテキストに収めるため以前の ${n} ターンを省略`,
  attemptFailed: (n, reason) => `試行 ${n} が失敗: ${reason}`,
  waitThenRetry: (w) => `${w} 待って再試行`,
  noResponse: (reason) => `応答なし: ${reason}`,
  phase: { text: '回答', reasoning: '推論', toolCall: 'ツール呼び出し', refusal: '拒否' },
  chunks: (n) => `${n} チャンク`,
  chars: (n) => `${n} 文字`,
  batches: (n) => `${n} バッチ`,
  received: (b) => `${b} 受信`,
  largestGap: (t) => `最大間隔 ${t}`,
  ttft: (t, api) => `最初のトークンまで ${t}${api ? ` (API ${api})` : ''}`,
  streamed: (t) => `ストリーム ${t}`,
  rate: (r) => `${r} tok/s`,
  tokensFromUsage: (n) => `usage: 完了トークン ${n}`,
  tokensFromChunks: (n) => `usage なし: ${n} チャンク`,
  total: (t) => `合計 ${t}`,
  headers: (t) => `ヘッダーまで ${t}`,
  render: '描画',
  firstPaint: (t) => (t ? `初回描画 ${t}` : '初回描画'),
  lastPaint: (t) => (t ? `最終描画 ${t}` : '最終描画'),
  noContent: '内容なし',
  chunkByChunk: 'トークンストリーム (チャンクごと)',
  moreChunks: (shown, total) => `全 ${total} チャンクのうち最初の ${shown} を表示`,
  notRecorded: (n) => `記録したのは最初の ${n} チャンクのみ`,
  stoppedByUser: 'ユーザーが停止',
  error: (kind) => `エラー: ${kind}`,
  cutOff: (kind) => `途中で終了: ${kind}`,
  closedWithoutFinish: 'finish_reason なしでストリームが閉じた',
  doneWithoutFinish: 'finish_reason なし: data: [DONE] で回答は完了',
  streamBroke: (kind) => `ストリームが途切れた: ${kind}`,
  idleAbort: 'AbortController.abort(): 無通信タイムアウト',
  shown: (state) => `${state} として表示`,
  toolsRequested: (list) => `モデルが要求 (表示のみ、実行せず): ${list}`,
  toolArgs: (name, chars) => `${name} (引数 ${chars})`,
  agent: agentJa,
  flow: {
    build: '要求を作成: システムプロンプトとコンテキストに収まるターン',
    retryWhen: '最初のバイトより前の 429、5xx、接続失敗',
    retryError: 'エラー (retry-after 付き)',
    retryWait: '待機 (retry-after またはバックオフ) して再試行',
    tokenStream: 'トークンストリーム',
    batchNote: 'Webview が前のバッチを受け取ってから次のバッチ',
    renderNote: 'アニメーションフレームごとに最大 1 回',
    toolNote: 'ツール呼び出しの引数を index ごとに組み立て',
    stop: 'ユーザーが停止を押す',
    finalRender: '最終描画',
    continueOffered: '保持し、続きを生成を提示',
  },
};

/** The labels for a UI language tag (`ja`, `ja-JP` → Japanese; anything else → English). */
export function labelsFor(language: string | undefined): TraceLabels {
  return language && /^ja(\b|[-_])/i.test(language) ? ja : en;
}
