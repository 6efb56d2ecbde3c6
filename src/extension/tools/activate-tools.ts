import * as vscode from 'vscode';
import type { RedactingLog } from '../redacting-log';
import type { HostTool } from './host-tool';
import { ToolCatalog } from './tool-catalog';

/**
 * The tools' side of activation: the catalog (built-in, MCP and VS Code tools) and the
 * `rill.configureTools` command. The catalog is disposed with the extension, which ends the MCP
 * servers' processes; `deactivate` may also await `catalog.close()` to let them exit first.
 */
export function activateTools(context: vscode.ExtensionContext, deps: { log: RedactingLog; builtin: () => readonly HostTool[] }): ToolCatalog {
  const version = (context.extension.packageJSON as { version?: unknown }).version;
  const catalog = new ToolCatalog({ builtin: deps.builtin, log: deps.log, state: context.globalState, version: typeof version === 'string' ? version : undefined });
  context.subscriptions.push(
    catalog,
    vscode.commands.registerCommand('rill.configureTools', () => catalog.configure()),
  );
  return catalog;
}
