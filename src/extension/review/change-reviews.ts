import * as vscode from 'vscode';
import type { ChangePreview } from '../tools/host-tool';
import { CHANGE_SCHEME, openChangeDiff } from '../tools/builtin/change-diff';

/** `closed`: the diff was closed without a decision (Apply to file takes it as discard; a waiting tool call still waits). */
export type ReviewDecision = 'accept' | 'discard' | 'closed';

export interface Review {
  /** Resolves once the diff editor shows the change. */
  opened: Promise<void>;
  /** The user's decision: Accept or Discard in the diff editor's title bar (or the notification), or closing the diff. */
  decision: Promise<ReviewDecision>;
}

const t = vscode.l10n.t;

/**
 * One review path for every proposed change, whether the model's edit tool or an answer's code
 * block (Apply to file) proposed it: VS Code's diff editor shows the file as it is and as it would
 * be, and its title bar offers Accept and Discard (`rill.acceptChange`, `rill.discardChange`, shown
 * for Rill's proposals only). Nothing is written here: the caller writes on `accept`, after checking
 * that the file is still what the diff showed.
 */
export class ChangeReviews implements vscode.Disposable {
  /** Open proposals, by the URI of the diff's right side. */
  private readonly waiting = new Map<string, (decision: ReviewDecision) => void>();
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      // A diff closed without a decision ends the review: its title-bar buttons are gone with it.
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        for (const tab of event.closed) {
          const input = tab.input;
          if (input instanceof vscode.TabInputTextDiff) this.decide(input.modified.toString(), 'closed');
        }
      }),
    ];
  }

  /**
   * Opens `change` for review. `notify` also shows a notification with Accept and Discard (for
   * Apply to file, where nothing else in the chat waits for the answer).
   */
  review(change: ChangePreview, options: { notify: boolean }): Review {
    let settle: (decision: ReviewDecision) => void = () => undefined;
    const decision = new Promise<ReviewDecision>((resolve) => (settle = resolve));
    const opened = openChangeDiff(change).then((right) => {
      const key = right.toString();
      this.waiting.set(key, settle);
      void decision.then(() => this.close(key));
      if (options.notify) {
        const accept = t('Accept');
        const discard = t('Discard');
        void vscode.window.showInformationMessage(t('Rill: apply this change to {0}? Review it in the diff editor.', change.path), accept, discard).then((choice) => {
          if (choice === accept) this.decide(key, 'accept');
          else if (choice === discard) this.decide(key, 'discard');
        });
      }
    });
    opened.catch(() => settle('closed'));
    return { opened, decision };
  }

  dispose(): void {
    for (const settle of this.waiting.values()) settle('closed');
    this.waiting.clear();
    for (const d of this.disposables) d.dispose();
  }

  /** `rill.acceptChange` and `rill.discardChange`; registered by the extension (see activate-context.ts). */
  commands(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('rill.acceptChange', (uri?: unknown) => this.decideFrom(uri, 'accept')),
      vscode.commands.registerCommand('rill.discardChange', (uri?: unknown) => this.decideFrom(uri, 'discard')),
    ];
  }

  /** A title-bar button passes the diff's URI; from the palette, the active diff editor is meant. */
  decideFrom(uri: unknown, decision: ReviewDecision): void {
    const target = uri instanceof vscode.Uri ? uri : activeProposal();
    if (!target || !this.decide(target.toString(), decision)) {
      void vscode.window.showInformationMessage(t('Rill: there is no proposed change waiting in this editor.'));
    }
  }

  private decide(key: string, decision: ReviewDecision): boolean {
    const settle = this.waiting.get(key);
    if (!settle) return false;
    this.waiting.delete(key);
    settle(decision);
    return true;
  }

  /** Closes the diff of a decided proposal. */
  private close(key: string): void {
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === key) void vscode.window.tabGroups.close(tab);
      }
    }
  }
}

/** The right side of the active diff editor, when it shows one of Rill's proposals. */
function activeProposal(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === CHANGE_SCHEME) return input.modified;
  const editor = vscode.window.activeTextEditor;
  return editor?.document.uri.scheme === CHANGE_SCHEME ? editor.document.uri : undefined;
}
