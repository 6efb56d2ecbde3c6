import * as vscode from 'vscode';
import { readProviderSettings, secretKeyFor } from './settings';

/** `rill.setApiKey`: stores the key of the current provider in SecretStorage; empty input removes it. */
export async function setApiKey(secrets: vscode.SecretStorage): Promise<void> {
  const { provider } = readProviderSettings();
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Rill: API key for "{0}"', provider),
    prompt: vscode.l10n.t('Stored in VS Code\'s secret storage, never in settings. Leave empty to remove the stored key.'),
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim() === '') {
    await secrets.delete(secretKeyFor(provider));
    void vscode.window.showInformationMessage(vscode.l10n.t('Rill: the API key for "{0}" was removed.', provider));
  } else {
    await secrets.store(secretKeyFor(provider), key.trim());
    void vscode.window.showInformationMessage(vscode.l10n.t('Rill: the API key for "{0}" was saved.', provider));
  }
}
