import * as l10n from '@vscode/l10n';
import type { ToolStepState } from '../protocol/agent-messages';
import type { MessageAction } from '../protocol/messages';

/**
 * Every user-facing string of the webview. The host puts the UI language's bundle into the page
 * (see webview-html.ts); `l10n.t` falls back to the English text when there is none.
 */
export function loadStrings(): void {
  const element = document.getElementById('rill-l10n');
  if (!element?.textContent) return;
  try {
    l10n.config({ contents: JSON.parse(element.textContent) as Record<string, string> });
  } catch {
    // A broken bundle leaves the UI in English rather than blank.
  }
}

export const strings = {
  get placeholder() {
    return l10n.t('Ask Rill… (Enter to send, Shift+Enter for a new line)');
  },
  get send() {
    return l10n.t('Send');
  },
  get stop() {
    return l10n.t('Stop');
  },
  get you() {
    return l10n.t('You');
  },
  assistant: 'Rill',
  get demoBanner() {
    return l10n.t("Demo model: these answers come from Rill's built-in offline demo, not a real LLM. Set rill.provider, rill.baseUrl and rill.model to use one.");
  },
  get stopped() {
    return l10n.t('Stopped. The answer so far is kept.');
  },
  get truncated() {
    return l10n.t('Incomplete');
  },
  get failed() {
    return l10n.t('Error');
  },
  get reasoning() {
    return l10n.t('Reasoning');
  },
  get toolCall() {
    return l10n.t('Tool call');
  },
  usage: (prompt: number, completion: number) => l10n.t('{0} prompt + {1} answer tokens', prompt, completion),
  speed: (tokensPerSecond: number) => l10n.t('{0} tokens/s', tokensPerSecond.toFixed(1)),
  droppedTurns: (n: number) =>
    n === 1
      ? l10n.t("1 earlier turn was left out to fit the model's context window.")
      : l10n.t("{0} earlier turns were left out to fit the model's context window.", n),
  action(action: MessageAction): string {
    switch (action) {
      case 'retry':
        return l10n.t('Retry');
      case 'continue':
        return l10n.t('Continue');
      case 'setApiKey':
        return l10n.t('Set API Key');
      case 'selectModel':
        return l10n.t('Select Model');
      case 'trimAndRetry':
        return l10n.t('Trim and Retry');
      case 'openSettings':
        return l10n.t('Open Settings');
    }
  },
  get copy() {
    return l10n.t('Copy');
  },
  get openImage() {
    return l10n.t('Open image in browser');
  },
  get image() {
    return l10n.t('Image');
  },
  get diagramError() {
    return l10n.t('This diagram could not be drawn:');
  },
  get diagram() {
    return l10n.t('Diagram');
  },
  get flowDiagram() {
    return l10n.t('Streaming Flow Diagram');
  },
  get regenerate() {
    return l10n.t('Regenerate');
  },
  get edit() {
    return l10n.t('Edit');
  },
  get insert() {
    return l10n.t('Insert at Cursor');
  },
  get openInEditor() {
    return l10n.t('Open in Editor');
  },
  get newChat() {
    return l10n.t('New Chat');
  },
  get history() {
    return l10n.t('History');
  },
  get exportChat() {
    return l10n.t('Export as Markdown');
  },
  get rename() {
    return l10n.t('Rename');
  },
  get delete() {
    return l10n.t('Delete');
  },
  get untitled() {
    return l10n.t('New conversation');
  },
  get searchHistory() {
    return l10n.t('Search conversations');
  },
  get savedConversations() {
    return l10n.t('Saved conversations');
  },
  get showMore() {
    return l10n.t('Show more');
  },
  get noMatches() {
    return l10n.t('No conversation matches.');
  },
  matchingConversations: (count: number) => l10n.t('{0} conversations match', count),
  get jumpToLatest() {
    return l10n.t('Jump to latest');
  },
  get loadOlder() {
    return l10n.t('Load earlier messages');
  },
  olderLoaded: (count: number) => l10n.t('{0} earlier messages loaded above', count),
  get editing() {
    return l10n.t('Editing your last message: Enter resends it, Escape cancels.');
  },
  get messages() {
    return l10n.t('Conversation');
  },
  answered: (text: string) => l10n.t('Rill: {0}', text),
  /** Agent mode: the tool steps of an answer (see agent/tool-step-view.ts). */
  tool: {
    stepLabel: (name: string) => l10n.t('Tool call: {0}', name),
    state(state: ToolStepState): string {
      switch (state) {
        case 'streaming':
          return l10n.t('Preparing…');
        case 'pending-approval':
          return l10n.t('Waiting for your approval');
        case 'running':
          return l10n.t('Running…');
        case 'done':
          return l10n.t('Done');
        case 'denied':
          return l10n.t('Denied');
        case 'error':
          return l10n.t('Failed');
        case 'stopped':
          return l10n.t('Stopped');
      }
    },
    get allow() {
      return l10n.t('Allow');
    },
    get allowConversation() {
      return l10n.t('Allow for this conversation');
    },
    get deny() {
      return l10n.t('Deny');
    },
    approvalAsked: (name: string) => l10n.t('Rill wants to run the tool {0}. Allow or deny it.', name),
    commandAsked: (command: string) => l10n.t('Rill wants to run the command: {0}. Allow or deny it.', command),
    get command() {
      return l10n.t('Command');
    },
    get result() {
      return l10n.t('Result');
    },
    resultSize: (chars: number) => l10n.t('{0} characters', chars.toLocaleString()),
    shown: (shown: number, total: number) => l10n.t('Showing the first {0} of {1} characters.', shown.toLocaleString(), total.toLocaleString()),
    get showMore() {
      return l10n.t('Show more');
    },
    argumentsCut: (chars: number) => l10n.t('Arguments shortened here: {0} characters.', chars.toLocaleString()),
    cutChars: (chars: number) => l10n.t("{0} characters of the tool's output were cut before the model saw it.", chars.toLocaleString()),
    get diffPreview() {
      return l10n.t('Proposed change');
    },
    get toolsUnsupported() {
      return l10n.t('This model cannot use tools; it answered without them.');
    },
    get compacted() {
      return l10n.t('Result shortened to fit the context window.');
    },
    get openDiff() {
      return l10n.t('Open in Diff Editor');
    },
    newFile: (path: string) => l10n.t('New file {0}', path),
    changeSummary: (path: string, added: number, removed: number) => l10n.t('{0}: +{1} −{2}', path, added, removed),
    linesCut: (lines: number) => l10n.t('{0} more lines: open the diff editor to see the whole change.', lines),
    get toggle() {
      return l10n.t('Tools');
    },
    get toggleOn() {
      return l10n.t('Tools on: the model can read the workspace and, with your approval, change it. Click to turn tools off for this conversation.');
    },
    get toggleOff() {
      return l10n.t('Tools off for this conversation. Click to turn them on.');
    },
    get untrusted() {
      return l10n.t('Restricted Mode: only read-only tools.');
    },
    get unsupported() {
      return l10n.t('This model rejected tools; turn tools off and on to try again.');
    },
  },
  /** The composer's attachments: chips, the Add Context button, `#` completion, drops (see context/). */
  composerContext: {
    get chips() {
      return l10n.t('Context for your next message');
    },
    remove: (label: string) => l10n.t('Remove {0}', label),
    get workspaceProblems() {
      return l10n.t('Problems (workspace)');
    },
    problemsOf: (name: string) => l10n.t('Problems: {0}', name),
    file: (path: string) => l10n.t('File {0}', path),
    folder: (path: string) => l10n.t('Folder {0}', path),
    lines: (path: string, start: number, end: number) => l10n.t('{0}, lines {1} to {2}', path, start, end),
    line: (path: string, line: number) => l10n.t('{0}, line {1}', path, line),
    problemsIn: (path: string) => l10n.t('Problems in {0}', path),
    get problemsInWorkspace() {
      return l10n.t('Problems in the whole workspace');
    },
    get add() {
      return l10n.t('Add Context');
    },
    get addTooltip() {
      return l10n.t('Add context: the active file, the selection, a file or folder, or problems. Type # in your message, or hold Shift and drop files here.');
    },
    get suggestions() {
      return l10n.t('Context suggestions');
    },
    get mentionFile() {
      return l10n.t('Attach a workspace file');
    },
    get mentionSelection() {
      return l10n.t("Attach the editor's selection");
    },
    get mentionProblems() {
      return l10n.t('Attach the Problems of the whole workspace');
    },
    get searchingFiles() {
      return l10n.t('Searching files…');
    },
    get noFiles() {
      return l10n.t('No matching files');
    },
    get dismiss() {
      return l10n.t('Dismiss');
    },
    get dropHere() {
      return l10n.t('Drop to attach to your next message');
    },
    get dropUnreadable() {
      return l10n.t('Only files from VS Code can be attached: drop them from the Explorer, with Shift held.');
    },
  },
  /** The answer side of attached context: sent chips, what was left out, file links, Apply to file. */
  answerContext: {
    get sentContext() {
      return l10n.t('Context sent with this message');
    },
    openFile: (path: string) => l10n.t('Open {0}', path),
    openFileAt: (path: string, line: number) => l10n.t('Open {0} at line {1}', path, line),
    leftOut: (items: string) => l10n.t('Left out to fit the context window: {0}', items),
    leftOutWhole: (name: string) => l10n.t('all of {0}', name),
    leftOutLines: (name: string, from: number, to: number, total: number) => l10n.t('{0} lines {1}-{2} of {3}', name, from, to, total),
    applyTo: (path: string) => l10n.t('Apply to {0}', path),
    applyToTitle: (path: string) => l10n.t('Review this code as a change to {0} in the diff editor; nothing is written until you accept it.', path),
    get applyToSelection() {
      return l10n.t('Apply to selection');
    },
    get applyToSelectionTitle() {
      return l10n.t("Review this code in place of the active editor's selection in the diff editor; nothing is written until you accept it.");
    },
  },
};
