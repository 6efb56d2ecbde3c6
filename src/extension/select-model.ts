import * as vscode from 'vscode';
import type { ModelAccess } from './model-access';
import type { RedactingLog } from './redacting-log';
import { readProviderSettings } from './settings';

/**
 * `rill.selectModel`: lists the models the server reports (`GET /v1/models`) and stores the
 * choice in `rill.model`. When the server cannot list them (Azure deployments, a server without
 * the endpoint, no connection), the user types the id instead, told why.
 */
export async function selectModel(access: ModelAccess, log: RedactingLog): Promise<string | undefined> {
  const settings = readProviderSettings();
  const current = settings.provider === 'azure' && settings.azure.deployment ? settings.azure.deployment : settings.model;
  let ids: string[] = [];
  let why = '';
  const opened = await access.open();
  if (opened.ok) {
    try {
      const client = opened.endpoint.createClient(opened.endpoint.fetch ?? globalThis.fetch) as unknown as {
        models: { list(options?: { timeout?: number; maxRetries?: number }): AsyncIterable<{ id: string }> };
      };
      for await (const model of client.models.list({ timeout: 10_000, maxRetries: 0 })) ids.push(model.id);
      ids = [...new Set(ids)].sort();
    } catch (error) {
      why = vscode.l10n.t('{0} did not list its models ({1}).', opened.url, error instanceof Error ? error.message : String(error));
      log.warn(why, opened.secrets);
    }
  } else {
    why = opened.problem;
  }

  let chosen: string | undefined;
  if (ids.length > 0) {
    const typeOwn = vscode.l10n.t('Enter a model id…');
    const pick = await vscode.window.showQuickPick(
      [...ids.map((id) => ({ label: id, description: id === current ? vscode.l10n.t('current') : undefined })), { label: typeOwn, alwaysShow: true }],
      { title: vscode.l10n.t('Rill: Select Model'), placeHolder: vscode.l10n.t('{0} models at {1}', ids.length, opened.ok ? opened.url : '') },
    );
    if (!pick) return undefined;
    chosen = pick.label === typeOwn ? await askForId(current, '') : pick.label;
  } else {
    chosen = await askForId(current, why);
  }
  if (!chosen) return undefined;
  const key = settings.provider === 'azure' && settings.azure.endpoint ? 'azure.deployment' : 'model';
  await vscode.workspace.getConfiguration('rill').update(key, chosen, vscode.ConfigurationTarget.Global);
  return chosen;
}

function askForId(current: string, why: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Rill: Select Model'),
    prompt: why ? `${why} ${vscode.l10n.t('Type the model id.')}` : vscode.l10n.t('Type the model id.'),
    value: current,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('A model id cannot be empty.')),
  }).then((value) => value?.trim());
}
