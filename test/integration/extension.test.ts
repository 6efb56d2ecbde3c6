import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

const manifest = vscode.extensions.getExtension('rill.rill')?.packageJSON as
  | { contributes: { commands: Array<{ command: string }> } }
  | undefined;

describe('Rill inside VS Code desktop', () => {
  before(async () => {
    await vscode.extensions.getExtension('rill.rill')?.activate();
  });

  it('registers every command it contributes', async () => {
    assert.ok(manifest, 'the extension is installed under development');
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of manifest.contributes.commands) assert.ok(registered.has(command), `${command} is not registered`);
  });

  it('opens the chat as an editor panel', async () => {
    // The command returns once the panel is created; the tab model catches up a moment later.
    const opened = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no webview tab became active within 5 s')), 5000);
      const listener = vscode.window.tabGroups.onDidChangeTabs(() => {
        if (vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview) {
          clearTimeout(timer);
          listener.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('rill.openChat');
    await opened;
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputWebview, 'the active tab is a webview');
    assert.match((tab.input as vscode.TabInputWebview).viewType, /rill\.chat$/);
  });
});
