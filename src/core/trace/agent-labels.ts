/**
 * The words of an agent request's diagram, per UI language: rounds, tool calls, approvals. As in
 * labels.ts, API names stay untranslated, numbers arrive formatted, and every label is escaped
 * for Mermaid after it is composed.
 */
export interface AgentLabels {
  title: string;
  round(round: string): string;
  againWithoutTools: string;
  toolsOffered(count: string): string;
  noTools: string;
  omitted(count: string): string;
  compacted(count: string): string;
  toolsRefused: string;
  requestTook(time: string): string;
  /** Where a tool comes from, after its name. */
  source: { builtin: string; mcp: string; vscode: string };
  args(chars: string): string;
  approvalAsked(tool: string): string;
  allowed(wait: string): string;
  denied(wait: string): string;
  waiting(tool: string): string;
  result(chars: string, took: string): string;
  cut(chars: string): string;
  failed(took: string): string;
  deniedByTool(took: string): string;
  notRun(tools: string): string;
  streaming(tool: string): string;
  aborted(tool: string, ran: string): string;
  stepsNotDrawn(count: string): string;
  roundsNotDrawn(first: string, last: string, calls: string): string;
  notRecorded(rounds: string, steps: string): string;
  roundLimit(rounds: string): string;
  totals(rounds: string, calls: string, ran: string, waited?: string): string;
}

/** `1 round`, `2 rounds`: counts arrive formatted, so `1` is the only singular. */
function counted(count: string, one: string, many: string): string {
  return `${count} ${count === '1' ? one : many}`;
}

export const agentEn: AgentLabels = {
  title: 'Rill: trace of one agent request',
  round: (n) => `round ${n}`,
  againWithoutTools: 'sent again without tools',
  toolsOffered: (n) => `${counted(n, 'tool', 'tools')} offered`,
  noTools: 'no tools',
  omitted: (n) => `${counted(n, 'tool', 'tools')} left out: the limit of 128, invalid or repeated names`,
  compacted: (n) => `${counted(n, 'earlier tool result', 'earlier tool results')} shortened to fit the context window`,
  toolsRefused: 'the server refused the tools',
  requestTook: (t) => `request ${t}`,
  source: { builtin: 'built-in', mcp: 'MCP', vscode: 'VS Code tool' },
  args: (chars) => `arguments ${chars}`,
  approvalAsked: (tool) => `${tool}: approval asked`,
  allowed: (wait) => `Allow · waited ${wait}`,
  denied: (wait) => `Deny · waited ${wait}`,
  waiting: (tool) => `${tool}: waiting for approval`,
  result: (chars, took) => `result ${chars} · took ${took}`,
  cut: (chars) => `${chars} cut`,
  failed: (took) => `error after ${took}`,
  deniedByTool: (took) => `denied after ${took}`,
  notRun: (tools) => `not run: ${tools}`,
  streaming: (tool) => `${tool}: arguments streaming`,
  aborted: (tool, ran) => `AbortController.abort(): ${tool} stopped after ${ran}`,
  stepsNotDrawn: (n) => `${counted(n, 'more tool call', 'more tool calls')} not drawn`,
  roundsNotDrawn: (first, last, calls) => `rounds ${first} – ${last} not drawn (${counted(calls, 'tool call', 'tool calls')})`,
  notRecorded: (rounds, steps) => `not recorded: ${counted(rounds, 'more round', 'more rounds')}, ${counted(steps, 'more tool call', 'more tool calls')}`,
  roundLimit: (n) => `round limit: ${counted(n, 'round', 'rounds')}`,
  totals: (rounds, calls, ran, waited) =>
    `${counted(rounds, 'round', 'rounds')}, ${counted(calls, 'tool call', 'tool calls')}${calls === '0' ? '' : `: tools ran ${ran}`}${waited ? `, approvals waited ${waited}` : ''}`,
};

export const agentJa: AgentLabels = {
  title: 'Rill: エージェント要求 1 件のトレース',
  round: (n) => `ラウンド ${n}`,
  againWithoutTools: 'ツールなしで再送信',
  toolsOffered: (n) => `ツール ${n} 個を提示`,
  noTools: 'ツールなし',
  omitted: (n) => `ツール ${n} 個を除外: 上限 128、不正または重複した名前`,
  compacted: (n) => `コンテキストに収めるため以前のツール結果 ${n} 件を短縮`,
  toolsRefused: 'サーバーがツールを拒否',
  requestTook: (t) => `要求 ${t}`,
  source: { builtin: '組み込み', mcp: 'MCP', vscode: 'VS Code ツール' },
  args: (chars) => `引数 ${chars}`,
  approvalAsked: (tool) => `${tool}: 承認を依頼`,
  allowed: (wait) => `許可 · ${wait} 待機`,
  denied: (wait) => `拒否 · ${wait} 待機`,
  waiting: (tool) => `${tool}: 承認待ち`,
  result: (chars, took) => `結果 ${chars} · 所要 ${took}`,
  cut: (chars) => `${chars}を省略`,
  failed: (took) => `${took} 後にエラー`,
  deniedByTool: (took) => `${took} 後に拒否`,
  notRun: (tools) => `実行せず: ${tools}`,
  streaming: (tool) => `${tool}: 引数を受信中`,
  aborted: (tool, ran) => `AbortController.abort(): ${tool} を ${ran} で停止`,
  stepsNotDrawn: (n) => `ほかのツール呼び出し ${n} 件は省略`,
  roundsNotDrawn: (first, last, calls) => `ラウンド ${first} – ${last} は省略 (ツール呼び出し ${calls} 件)`,
  notRecorded: (rounds, steps) => `記録なし: ほかに ${rounds} ラウンド、ツール呼び出し ${steps} 件`,
  roundLimit: (n) => `ラウンド上限: ${n} ラウンド`,
  totals: (rounds, calls, ran, waited) => `${rounds} ラウンド、ツール呼び出し ${calls} 件${calls === '0' ? '' : `: ツール実行 ${ran}`}${waited ? `、承認待ち ${waited}` : ''}`,
};
