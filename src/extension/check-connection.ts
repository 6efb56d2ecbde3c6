import * as vscode from 'vscode';
import { classifyError } from '../core/stream/classify-error';
import type { ModelAccess } from './model-access';
import { describeProblem } from './problem-text';
import type { RedactingLog } from './redacting-log';
import { redact } from '../core/redact';

export interface ConnectionCheck {
  ok: boolean;
  message: string;
  models?: number;
}

/**
 * `rill.checkConnection`: asks the server for its models (`GET /v1/models`), a real request with
 * the real key and proxy, and says what it found or what failed, in the same words as the chat.
 * Returns the result, so the walkthrough and tests can read it.
 */
export async function checkConnection(access: ModelAccess, log: RedactingLog): Promise<ConnectionCheck> {
  const opened = await access.open();
  let result: ConnectionCheck;
  if (!opened.ok) {
    result = { ok: false, message: opened.problem };
  } else {
    try {
      const client = opened.endpoint.createClient(opened.endpoint.fetch ?? globalThis.fetch) as unknown as {
        models: { list(options?: { timeout?: number; maxRetries?: number }): AsyncIterable<{ id: string }> };
      };
      const ids: string[] = [];
      for await (const model of client.models.list({ timeout: 10_000, maxRetries: 0 })) ids.push(model.id);
      const listed = ids.includes(opened.model) || ids.length === 0;
      result = {
        ok: true,
        models: ids.length,
        message: listed
          ? vscode.l10n.t('Rill: connected to {0}; models available: {1}.', opened.url, ids.length)
          : vscode.l10n.t('Rill: connected to {0}; models available: {1}, but not "{2}". Pick one with "Rill: Select Model".', opened.url, ids.length, opened.model),
      };
    } catch (error) {
      const problem = classifyError(error, false);
      result = { ok: false, message: redact(describeProblem(problem, { url: opened.url, local: opened.local, model: opened.model }), opened.secrets) };
    }
  }
  if (result.ok) {
    log.info(result.message);
    void vscode.window.showInformationMessage(result.message);
  } else {
    log.warn(`Connection check failed: ${result.message}`);
    void vscode.window.showErrorMessage(result.message);
  }
  return result;
}
