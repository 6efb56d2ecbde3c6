import * as vscode from 'vscode';
import { DEFAULT_MAX_ROUNDS } from '../../core/agent';
import { parseApproveList, type ApproveList } from '../../core/tools';

export interface AgentSettings {
  /** `rill.agent.enabled`: new conversations offer tools. */
  enabled: boolean;
  maxRounds: number;
  autoApprove: ApproveList;
  commandTimeoutMs: number;
}

/**
 * Agent settings come from the user's own settings only. A workspace's `.vscode/settings.json`
 * arrives with a cloned repository: it must not approve tools, start processes or lift limits, so
 * its values (and folder values) are never read here, even where the manifest's `application`
 * scope already keeps VS Code from applying them.
 */
export function readAgentSettings(): AgentSettings {
  const config = vscode.workspace.getConfiguration('rill');
  const user = <T>(key: string): T | undefined => config.inspect<T>(key)?.globalValue;
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const value = user<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
  };
  return {
    enabled: user<unknown>('agent.enabled') !== false,
    maxRounds: integer('agent.maxRounds', DEFAULT_MAX_ROUNDS, 1, 200),
    autoApprove: parseApproveList(user<unknown>('agent.autoApprove')),
    commandTimeoutMs: integer('agent.commandTimeoutSeconds', 120, 1, 3600) * 1000,
  };
}
