import type { TimelineMarkKind } from './timeline-figures';

/**
 * The words of the stream inspector's timeline, per UI language. Plain strings (with `{0}`
 * placeholders), not functions: the host picks the language and posts them to the diagram
 * webview as JSON, so the webview needs no localisation of its own.
 */
export interface TimelineLabels {
  lang: 'en' | 'ja';
  flowTab: string;
  timelineTab: string;
  compare: string;
  /** Accessible name of the chunk strip: `{0}` chunks over `{1}`. */
  stripLabel: string;
  chartLabel: string;
  /** The second chart: characters arrived and characters on screen over time. */
  displayChartLabel: string;
  arrived: string;
  shown: string;
  figuresCaption: string;
  eventsCaption: string;
  sizesCaption: string;
  gapsCaption: string;
  /** Shown when the trace kept only the first `{0}` of `{1}` chunks (an older or very long request). */
  partial: string;
  figure: string;
  value: string;
  time: string;
  event: string;
  size: string;
  chunksColumn: string;
  /** Figure names. */
  ttft: string;
  chunks: string;
  chars: string;
  posts: string;
  tokensPerSecond: string;
  peakTokensPerSecond: string;
  chunkChars: string;
  meanGap: string;
  maxGap: string;
  burstiness: string;
  burstinessHint: string;
  paints: string;
  displayLag: string;
  /** Table rows for events. */
  chunk: string;
  post: string;
  paint: string;
  gap: string;
  marks: Record<TimelineMarkKind, string>;
  /** `{0}` characters. */
  charsUnit: string;
  /** Units. */
  ms: string;
  perSecond: string;
  /** `median {0}, 90th percentile {1}, largest {2}`. */
  sizeSummary: string;
  /** `95th percentile {0} ms, largest {1} ms`. */
  lagSummary: string;
  /** Compare: legend entries for the two requests. */
  first: string;
  second: string;
  showEvents: string;
}

export const timelineEn: TimelineLabels = {
  lang: 'en',
  flowTab: 'Flow',
  timelineTab: 'Timeline',
  compare: 'Compare…',
  stripLabel: '{0} chunks over {1}',
  chartLabel: 'Tokens per second over time',
  displayChartLabel: 'Characters arrived and shown over time',
  arrived: 'Arrived',
  shown: 'Shown',
  figuresCaption: 'Figures',
  eventsCaption: 'Events in time order',
  sizesCaption: 'Chunk sizes',
  gapsCaption: 'Longest gaps between chunks',
  partial: 'Only the first {0} of {1} chunks were recorded one by one.',
  figure: 'Figure',
  value: 'Value',
  time: 'Time',
  event: 'Event',
  size: 'Size',
  chunksColumn: 'Chunks',
  ttft: 'Time to first token',
  chunks: 'Chunks',
  chars: 'Characters',
  posts: 'Messages posted to the webview',
  tokensPerSecond: 'Tokens per second',
  peakTokensPerSecond: 'Peak tokens per second',
  chunkChars: 'Chunk size (characters)',
  meanGap: 'Mean gap between chunks',
  maxGap: 'Longest gap between chunks',
  burstiness: 'Burstiness (CV of gaps)',
  burstinessHint: '0 is even; about 1 is random; above 1 is bursty',
  paints: 'Paints while streaming',
  displayLag: 'Display lag behind arrival',
  chunk: 'Chunk',
  post: 'Posted to the webview',
  paint: 'Paint',
  gap: 'Gap',
  marks: {
    send: 'Send',
    request: 'HTTP request',
    headers: 'Response headers',
    retry: 'Retry',
    firstByte: 'First byte',
    firstToken: 'First token',
    firstPaint: 'First paint',
    lastPaint: 'Last paint',
    stop: 'Stop',
    end: 'End',
  },
  charsUnit: '{0} chars',
  ms: '{0} ms',
  perSecond: '{0}/s',
  sizeSummary: 'median {0}, 90th percentile {1}, largest {2}',
  lagSummary: '95th percentile {0} ms, largest {1} ms',
  first: 'A',
  second: 'B',
  showEvents: 'Show every event',
};

export const timelineJa: TimelineLabels = {
  lang: 'ja',
  flowTab: 'フロー',
  timelineTab: 'タイムライン',
  compare: '比較…',
  stripLabel: '{1} の間に {0} チャンク',
  chartLabel: '時間ごとの毎秒トークン数',
  displayChartLabel: '時間ごとの到着した文字数と表示した文字数',
  arrived: '到着',
  shown: '表示',
  figuresCaption: '指標',
  eventsCaption: '時刻順のイベント',
  sizesCaption: 'チャンクのサイズ',
  gapsCaption: 'チャンク間の最も長い間隔',
  partial: '{1} チャンクのうち最初の {0} 個だけが個別に記録されています。',
  figure: '指標',
  value: '値',
  time: '時刻',
  event: 'イベント',
  size: 'サイズ',
  chunksColumn: 'チャンク数',
  ttft: '最初のトークンまでの時間',
  chunks: 'チャンク数',
  chars: '文字数',
  posts: 'Webview に送ったメッセージ数',
  tokensPerSecond: '毎秒トークン数',
  peakTokensPerSecond: '毎秒トークン数の最大',
  chunkChars: 'チャンクのサイズ (文字)',
  meanGap: 'チャンク間の平均間隔',
  maxGap: 'チャンク間の最長間隔',
  burstiness: 'バースト度 (間隔の変動係数)',
  burstinessHint: '0 は均一、約 1 はランダム、1 を超えるとバースト的',
  paints: 'ストリーミング中の描画回数',
  displayLag: '到着から表示までの遅れ',
  chunk: 'チャンク',
  post: 'Webview に送信',
  paint: '描画',
  gap: '間隔',
  marks: {
    send: '送信',
    request: 'HTTP リクエスト',
    headers: 'レスポンスヘッダー',
    retry: '再試行',
    firstByte: '最初のバイト',
    firstToken: '最初のトークン',
    firstPaint: '最初の描画',
    lastPaint: '最後の描画',
    stop: '停止',
    end: '終了',
  },
  charsUnit: '{0} 文字',
  ms: '{0} ms',
  perSecond: '{0}/秒',
  sizeSummary: '中央値 {0}、90 パーセンタイル {1}、最大 {2}',
  lagSummary: '95 パーセンタイル {0} ms、最大 {1} ms',
  first: 'A',
  second: 'B',
  showEvents: 'すべてのイベントを表示',
};

export function timelineLabelsFor(language: string | undefined): TimelineLabels {
  return language && /^ja(\b|[-_])/i.test(language) ? timelineJa : timelineEn;
}

/** Fills `{0}`, `{1}`... in a label. */
export function fill(label: string, ...values: Array<string | number>): string {
  return label.replace(/\{(\d+)\}/g, (whole, i: string) => String(values[Number(i)] ?? whole));
}
