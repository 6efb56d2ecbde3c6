import * as vscode from 'vscode';
import type { ChatView } from './chat-view';

const RECENT_KEY = 'rill.recentPrompts';
const RECENT_MAX = 20;

/**
 * `rill.ask`: a quick question from the command palette. What the user types is always the first
 * entry; below it, recent prompts to pick from again. The answer streams into the chat that
 * `target` reveals (the sidebar by default, `rill.ask.target`).
 */
export async function askFromPalette(memento: vscode.Memento, target: () => Promise<ChatView | undefined>): Promise<string | undefined> {
  const recent = memento.get<string[]>(RECENT_KEY, []);
  const picker = vscode.window.createQuickPick<vscode.QuickPickItem & { prompt: string }>();
  picker.title = vscode.l10n.t('Rill: Ask');
  picker.placeholder = vscode.l10n.t('Ask a question; Enter sends it to the chat');
  picker.matchOnDescription = true;
  const recentItems = recent.map((prompt) => ({ label: prompt, description: vscode.l10n.t('recent'), prompt }));
  const refresh = () => {
    const typed = picker.value.trim();
    picker.items = typed ? [{ label: typed, description: vscode.l10n.t('ask'), alwaysShow: true, prompt: typed }, ...recentItems] : recentItems;
  };
  refresh();
  picker.onDidChangeValue(refresh);
  const prompt = await new Promise<string | undefined>((resolve) => {
    picker.onDidAccept(() => resolve(picker.selectedItems[0]?.prompt ?? (picker.value.trim() || undefined)));
    picker.onDidHide(() => resolve(undefined));
    picker.show();
  });
  picker.dispose();
  if (!prompt) return undefined;
  await memento.update(RECENT_KEY, [prompt, ...recent.filter((p) => p !== prompt)].slice(0, RECENT_MAX));
  const view = await target();
  if (!view) return undefined;
  void view.session.ask(prompt);
  return prompt;
}
