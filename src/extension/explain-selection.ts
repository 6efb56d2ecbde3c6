import * as vscode from 'vscode';
import { enclosingBlock } from '../core/explain/enclosing-block';
import { cutToBudget, defaultExplainTemplate, fillExplainTemplate } from '../core/explain/explain-prompt';
import type { ChatView } from './chat-view';
import type { ModelAccess } from './model-access';
import { promptRoom } from './context/prompt-room';

/**
 * `rill.explainSelection`: sends the selected code, with its file name, language and line range,
 * under the explain template, to the chat in the sidebar. Without a selection it explains the
 * block around the cursor (the innermost symbol, else the indentation block). A selection larger
 * than the model's context window is cut at a whole line, and the prompt says so.
 */
export async function explainSelection(access: ModelAccess, target: () => Promise<ChatView | undefined>): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Rill: open a file and select the code to explain.'));
    return undefined;
  }
  const range = editor.selection.isEmpty ? await blockAround(editor) : wholeLines(editor.document, editor.selection);
  if (!range || editor.document.getText(range).trim() === '') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Rill: select the code to explain.'));
    return undefined;
  }
  const { document } = editor;
  const startLine = range.start.line + 1;
  const code = document.getText(range);
  const template = vscode.workspace.getConfiguration('rill').get<string>('prompts.explain', '').trim() || defaultExplainTemplate(vscode.env.language);
  const input = { code: '', language: document.languageId, file: vscode.workspace.asRelativePath(document.uri), startLine, endLine: range.end.line + 1 };
  // The code may use what the window leaves after the answer's reserve, the system prompt and the template itself.
  const room = await promptRoom(access, [fillExplainTemplate(template, input)]);
  const kept = cutToBudget(code, room.tokens, room.count, startLine);
  let prompt = fillExplainTemplate(template, { ...input, code: kept.code, endLine: kept.endLine });
  if (kept.cut) {
    prompt += `\n\n${vscode.l10n.t('(The selection was cut to lines {0}-{1} of {2}-{3} to fit the model\'s context window.)', startLine, kept.endLine, startLine, range.end.line + 1)}`;
  }
  const view = await target();
  if (!view) return undefined;
  void view.session.ask(prompt);
  return prompt;
}

/**
 * A selection made by line (Shift+Down) ends at column 0 of the next line; that line is not part
 * of what the user selected.
 */
export function wholeLines(document: vscode.TextDocument, selection: vscode.Selection): vscode.Range {
  if (selection.end.character > 0 || selection.end.line === selection.start.line) return selection;
  const last = selection.end.line - 1;
  return new vscode.Range(selection.start, new vscode.Position(last, document.lineAt(last).text.length));
}

/** The innermost symbol around the cursor, else the indentation block, else nothing. */
async function blockAround(editor: vscode.TextEditor): Promise<vscode.Range | undefined> {
  const position = editor.selection.active;
  const symbols = await Promise.resolve(
    vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', editor.document.uri),
  ).catch(() => undefined);
  let best: vscode.DocumentSymbol | undefined;
  const visit = (list: readonly vscode.DocumentSymbol[] | undefined) => {
    for (const symbol of list ?? []) {
      if (!symbol.range?.contains(position)) continue;
      best = symbol;
      visit(symbol.children);
    }
  };
  visit(Array.isArray(symbols) && symbols[0] && 'range' in symbols[0] ? symbols : undefined);
  if (best) return best.range;
  const lines = editor.document.getText().split(/\r?\n/);
  const block = enclosingBlock(lines, position.line);
  if (!block) return undefined;
  return new vscode.Range(block.start, 0, block.end, lines[block.end]?.length ?? 0);
}
