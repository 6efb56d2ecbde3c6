import type * as vscode from 'vscode';
import { redact } from '../core/redact';

/**
 * The only way Rill writes to its output channel: every line passes through `redact`, with the
 * secrets of the request at hand, so a key cannot reach the log even inside a server's message.
 */
export class RedactingLog {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  info(message: string, secrets: readonly string[] = []): void {
    this.channel.info(redact(message, secrets));
  }

  warn(message: string, secrets: readonly string[] = []): void {
    this.channel.warn(redact(message, secrets));
  }

  error(message: string, secrets: readonly string[] = []): void {
    this.channel.error(redact(message, secrets));
  }
}
