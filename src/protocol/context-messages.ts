/**
 * Context the user attaches to a prompt (issue 13), as the host and the webview both see it. Types
 * only, so both sides can `import type` them. The host owns the attachments: the composer only
 * shows the chips the host sends and asks for changes, so a command run from an editor and a chip
 * removed in the webview never disagree.
 */

/**
 * `file`: a workspace file, read when the prompt is sent. `selection`: lines of a file, captured
 * when attached. `folder`: the files a folder holds (their list, not their text). `problems`: the
 * diagnostics of one file, or of the whole workspace when `path` is absent.
 */
export type AttachmentKind = 'file' | 'folder' | 'selection' | 'problems';

/** One attachment, shown as a chip above the prompt box and, once sent, above the user's message. */
export interface AttachmentView {
  /** Unique within the conversation, matches `^[a-z0-9-]{1,64}$`. */
  id: string;
  kind: AttachmentKind;
  /** Workspace-relative, with "/" (a multi-root workspace's paths start with the folder's name). */
  path?: string;
  /** 1-based and inclusive: a selection's lines. */
  startLine?: number;
  endLine?: number;
}

/**
 * Part of an attachment that did not fit the model's context window, reported with the answer:
 * lines `fromLine`..`toLine` (1-based, inclusive) of its `totalLines` were left out. When
 * `fromLine` is the attachment's first line, none of it was sent.
 */
export interface ContextLeftOut {
  kind: AttachmentKind;
  path?: string;
  fromLine: number;
  toLine: number;
  totalLines: number;
}

/** The composer's ways to add context; `menu` asks the user which (a quick pick). */
export type AddContextRequest = 'menu' | 'activeFile' | 'selection' | 'pickFile' | 'problems' | 'workspaceProblems';

/** What a link or `path:line` mention in an answer names, once the host has checked it. */
export interface FileRef {
  /** The text as the webview found it (a link's href, or a mention), the key the webview looks up. */
  ref: string;
  /** Whether it names a file in the workspace; only those become clickable. */
  exists: boolean;
}
