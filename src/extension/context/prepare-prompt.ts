import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import { findMentions, formatContext } from '../../core/attachments';
import type { AttachmentView, ContextLeftOut } from '../../protocol/context-messages';
import type { WorkspacePaths } from '../tools/builtin/workspace-paths';
import type { AttachSources, Attached } from './attach-sources';
import type { PendingAttachment } from './pending-context';
import type { PromptRoom } from './prompt-room';
import { readContext } from './read-context';

/** A prompt with its context, ready to join the conversation. */
export interface PreparedPrompt {
  /** The chips the sent message shows. */
  attachments: AttachmentView[];
  /** The attachments as the model receives them, before the prompt's text; absent without any. */
  context?: string;
  leftOut: ContextLeftOut[];
  /** What could not be attached or read, for the user; the prompt is sent without it. */
  problems: string[];
}

export interface PrepareDeps {
  sources: AttachSources;
  paths: WorkspacePaths;
  /** The tokens the attachments may use next to this prompt's words. */
  room(around: readonly string[]): Promise<PromptRoom>;
  /** The editor `#selection` means: the one the user was in last (the chat itself may have focus now). */
  editor(): vscode.TextEditor | undefined;
}

/**
 * Gathers a prompt's context: the chips the user added, then the `#file:`, `#selection` and
 * `#problems` mentions typed in the prompt (the text keeps them, so the user sees what was asked),
 * reads each, and fits them into what the model's window leaves for them. Nothing here fails the
 * prompt: an attachment that cannot be read is named in `problems` and left out.
 */
export async function preparePrompt(pending: readonly PendingAttachment[], text: string, deps: PrepareDeps, signal: AbortSignal): Promise<PreparedPrompt> {
  const problems: string[] = [];
  const all: PendingAttachment[] = [...pending];
  for (const mention of findMentions(text)) {
    let attached: Attached;
    if (mention.kind === 'file' && mention.path !== undefined) attached = await deps.sources.fromText(mention.path);
    else if (mention.kind === 'selection') attached = await deps.sources.selection(deps.editor());
    else if (mention.kind === 'problems') attached = mention.path === undefined ? deps.sources.problems() : await problemsOfPath(deps.sources, mention.path);
    else continue;
    if (!attached.ok) {
      problems.push(attached.message);
      continue;
    }
    const view = attached.view;
    if (all.some((item) => item.view.kind === view.kind && item.view.path === view.path && item.view.startLine === view.startLine)) continue;
    all.push({ view: { id: randomUUID(), ...view }, ...(attached.captured ? { captured: attached.captured } : {}) });
  }
  if (all.length === 0) return { attachments: [], leftOut: [], problems };
  const read = await readContext(all, deps.paths, signal);
  problems.push(...read.problems);
  if (read.items.length === 0) return { attachments: [], leftOut: [], problems };
  const room = await deps.room([text]);
  const formatted = formatContext(read.items, room.tokens, room.count);
  return { attachments: read.read.map((item) => ({ ...item.view })), context: formatted.text, leftOut: formatted.leftOut, problems };
}

/** `#problems:path`: the file must be in the workspace; its problems are listed by its attachment path. */
async function problemsOfPath(sources: AttachSources, path: string): Promise<Attached> {
  const file = await sources.fromText(path);
  return file.ok && file.view.path !== undefined ? sources.problems(file.view.path) : file;
}
