import * as vscode from 'vscode';
import type { ModelAccess } from './model-access';
import type { SessionManager } from './session-manager';

const ERROR_SHOWN_MS = 8000;

/**
 * The status bar item: provider and model; while an answer streams, a spinner and its speed;
 * an error for a few seconds after one. A click opens the chat.
 */
export class RillStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rill.status', vscode.StatusBarAlignment.Right, 100);
  private ticker?: ReturnType<typeof setInterval>;
  private errorUntil = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly manager: SessionManager,
    private readonly access: ModelAccess,
  ) {
    this.item.name = 'Rill';
    this.item.command = 'rill.chatView.focus';
    this.disposables.push(
      manager.onDidChangeStreaming(({ finished }) => this.onStreaming(finished?.state === 'error' ? finished.error : undefined)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('rill') && void this.showIdle()),
    );
    void this.showIdle();
    this.item.show();
  }

  private onStreaming(error: string | undefined): void {
    const busy = this.manager.busySessions().length > 0;
    void vscode.commands.executeCommand('setContext', 'rill.streaming', busy);
    if (busy && !this.ticker) {
      this.ticker = setInterval(() => this.showStreaming(), 500);
      this.showStreaming();
    } else if (!busy) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      if (error) this.showError(error);
      else void this.showIdle();
    }
  }

  private showStreaming(): void {
    const [session] = this.manager.busySessions();
    const stats = session?.liveStats;
    const seconds = stats?.firstChunkAt === undefined ? 0 : (performance.now() - stats.firstChunkAt) / 1000;
    // Chunks stand in for tokens while streaming (most providers send one token per chunk); the
    // answer's footer shows the exact figure from the usage report when it ends.
    const rate = seconds > 0.2 && stats ? ` ${(stats.chunks / seconds).toFixed(0)} tok/s` : '';
    this.item.text = `$(loading~spin) Rill${rate}`;
    this.item.tooltip = vscode.l10n.t('Rill is answering. Click to open the chat; Escape stops the answer.');
    this.item.backgroundColor = undefined;
  }

  private showError(error: string): void {
    this.errorUntil = Date.now() + ERROR_SHOWN_MS;
    this.item.text = `$(error) Rill`;
    this.item.tooltip = error;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    setTimeout(() => {
      if (Date.now() >= this.errorUntil && !this.ticker) void this.showIdle();
    }, ERROR_SHOWN_MS);
  }

  private async showIdle(): Promise<void> {
    if (this.ticker || Date.now() < this.errorUntil) return;
    const environment = await this.access.environment();
    this.item.text = `$(comment-discussion) ${environment.model}`;
    this.item.tooltip = vscode.l10n.t('Rill: {0}, model {1}. Click to open the chat.', environment.providerLabel, environment.model);
    this.item.backgroundColor = undefined;
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
