import * as vscode from 'vscode';
import { PRESETS } from '../core/providers/presets';

/** `rill.chooseProvider`: fills in provider and base URL from a preset (Ollama, LM Studio, ...). */
export async function chooseProvider(): Promise<void> {
  const pick = await vscode.window.showQuickPick(
    PRESETS.map((preset) => ({ label: preset.label, description: preset.baseUrl || undefined, preset })),
    { title: vscode.l10n.t('Rill: Choose Provider'), placeHolder: vscode.l10n.t('Where should Rill send requests?') },
  );
  if (!pick) return;
  const { preset } = pick;
  const config = vscode.workspace.getConfiguration('rill');
  await config.update('provider', preset.provider, vscode.ConfigurationTarget.Global);
  await config.update('baseUrl', preset.baseUrl, vscode.ConfigurationTarget.Global);
  if (preset.exampleModel) await config.update('model', preset.exampleModel, vscode.ConfigurationTarget.Global);
  if (preset.provider === 'azure') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'rill.azure');
  } else if (preset.needsKey) {
    await vscode.commands.executeCommand('rill.setApiKey');
  } else {
    await vscode.commands.executeCommand('rill.selectModel');
  }
}
