import * as vscode from 'vscode';
import type { ChatView } from '../chat-view';
import type { ModelAccess } from '../model-access';
import type { RedactingLog } from '../redacting-log';
import { ChangeReviews } from '../review/change-reviews';
import { workspacePaths } from '../tools/builtin/workspace-paths';
import { AttachSources } from './attach-sources';
import { ContextActions } from './context-actions';
import { preparePrompt } from './prepare-prompt';
import { promptRoom } from './prompt-room';
import type { PrepareContext } from './session-context';

export interface ContextParts {
  actions: ContextActions;
  prepare: PrepareContext;
  reviews: ChangeReviews;
}

/**
 * Attached context's side of activation: the sources and actions the chat views use, the step
 * that reads a prompt's attachments, the review of proposed changes, and the commands
 * `rill.addFileToChat` and `rill.addSelectionToChat` (both attach to the chat used last and focus it).
 */
export function activateContext(
  context: vscode.ExtensionContext,
  deps: { log: RedactingLog; access: ModelAccess; storageUris: readonly vscode.Uri[]; chat: () => Promise<ChatView | undefined> },
): ContextParts {
  const paths = workspacePaths(deps.storageUris);
  const sources = new AttachSources(paths);
  const reviews = new ChangeReviews();
  // The chat may have focus when a prompt is sent; `#selection` and Apply mean the editor used last.
  let lastEditor = vscode.window.activeTextEditor;
  const editor = (): vscode.TextEditor | undefined => {
    const active = vscode.window.activeTextEditor;
    if (active) return active;
    if (lastEditor && !lastEditor.document.isClosed) return lastEditor;
    return vscode.window.visibleTextEditors[0];
  };
  const actions = new ContextActions({ paths, sources, reviews, log: deps.log, editor });
  const prepare: PrepareContext = (pending, text) =>
    preparePrompt(pending, text, { sources, paths, room: (around) => promptRoom(deps.access, around), editor }, new AbortController().signal);

  const attachTo = async (attach: (view: ChatView) => Promise<void>): Promise<unknown> => {
    const view = await deps.chat();
    if (!view) return undefined;
    await attach(view);
    await view.reveal();
    return view.session.context.pending.list();
  };
  context.subscriptions.push(
    reviews,
    ...reviews.commands(),
    vscode.window.onDidChangeActiveTextEditor((active) => {
      if (active) lastEditor = active;
    }),
    // From the Explorer: the item it was run on, or every selected item; otherwise the active editor's file.
    vscode.commands.registerCommand('rill.addFileToChat', (uri?: unknown, uris?: unknown) =>
      attachTo(async (view) => {
        const targets = Array.isArray(uris) && uris.every((u) => u instanceof vscode.Uri) && uris.length ? (uris as vscode.Uri[]) : uri instanceof vscode.Uri ? [uri] : [];
        if (targets.length === 0) actions.attach(view.session, await sources.activeFile(editor()));
        for (const target of targets) actions.attach(view.session, await sources.fromUri(target));
      }),
    ),
    vscode.commands.registerCommand('rill.addSelectionToChat', () => attachTo(async (view) => actions.attach(view.session, await sources.selection(editor())))),
  );
  return { actions, prepare, reviews };
}
