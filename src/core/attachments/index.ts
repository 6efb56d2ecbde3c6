// Context the user attaches and the answer points back to (issue 13), the pure half: formatting
// attachments to a token budget, `#` mentions in the composer, file links in answers, and the file a
// code block is meant for. The host (extension/) reads the files; the webview shows chips and links.
export { formatContext } from './format-context';
export type { AttachmentContent, FormattedContext } from './format-context';
export { MENTION_KINDS, findMentions, mentionAt } from './mentions';
export type { Mention, MentionKind, MentionQuery } from './mentions';
export { findPathMentions, parseFileRef } from './file-refs';
export type { FileRefTarget, TextMention } from './file-refs';
export { codeBlockFile } from './code-block-file';
export type { CodeBlockFile } from './code-block-file';
