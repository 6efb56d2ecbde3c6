import type * as vscode from 'vscode';
import type { HostTool } from '../host-tool';
import { createFileTool } from './create-file';
import { diagnosticsTool } from './diagnostics';
import { editFileTool } from './edit-file';
import { listFilesTool } from './list-files';
import { readFileTool } from './read-file';
import { runCommandTool } from './run-command';
import { searchTextTool } from './search-text';
import { workspacePaths } from './workspace-paths';

export { CHANGE_SCHEME, openChangeDiff, registerChangeDiffProvider } from './change-diff';

export interface BuiltinToolDeps {
  log: { info(message: string): void; warn(message: string): void };
  /**
   * The extension's storage locations (context.globalStorageUri, storageUri, logUri, and
   * extensionUri if wanted): the folders holding them, and VS Code's user-data dir, are refused.
   */
  storageUris: readonly vscode.Uri[];
  /** `rill.agent.commandTimeoutSeconds` * 1000, read at each command. */
  commandTimeoutMs: () => number;
  /** How long a new terminal may take to start shell integration (default 15 s). */
  shellIntegrationTimeoutMs?: number;
}

/** Rill's seven built-in tools as HostTools, in the contract's order (core/tools/definitions.ts). */
export function createBuiltinTools(deps: BuiltinToolDeps): HostTool[] {
  const paths = workspacePaths(deps.storageUris);
  return [
    readFileTool(paths),
    listFilesTool(paths),
    searchTextTool(paths),
    diagnosticsTool(paths),
    editFileTool(paths),
    createFileTool(paths),
    runCommandTool(paths, { commandTimeoutMs: deps.commandTimeoutMs, log: deps.log, ...(deps.shellIntegrationTimeoutMs !== undefined ? { shellIntegrationTimeoutMs: deps.shellIntegrationTimeoutMs } : {}) }),
  ];
}
