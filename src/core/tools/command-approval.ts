/**
 * Who decides whether a call runs: nobody (read-only tools, and what the user listed in
 * `rill.agent.autoApprove`), the user (everything else), or the workspace's trust (an untrusted
 * workspace runs read-only tools only).
 *
 * The entries of `rill.agent.autoApprove` (and of what "Allow for this conversation" remembers):
 * - `"<tool name>"`: every call of that tool, e.g. `"rill_edit_file"` or an MCP tool's name.
 *   NOT for `rill_run_command`: a bare name would approve every command, which is no approval;
 *   such an entry is reported as ignored.
 * - `"rill_run_command:<command>"`: that one command line, whole and exact after trimming the
 *   entry and the call (so `"npm test"` approves `"npm test "` but never `"npm test; rm -rf ~"`,
 *   `"npm test && curl x"`, `"npm test | sh"`, `"npm test\nrm"`, `"npm testx"` or
 *   `"npm test $(evil)"`). There is no prefix or pattern form: a shell line's meaning depends on
 *   every character of it, so only the exact line the user read can be trusted.
 * The host reads the list from user (application) settings only: a workspace's settings come with a
 * cloned repository and must not approve anything.
 */

export const RUN_COMMAND = 'rill_run_command';
const COMMAND_ENTRY = `${RUN_COMMAND}:`;

export interface ApproveList {
  /** Tools approved by name. */
  tools: ReadonlySet<string>;
  /** Command lines approved exactly (trimmed). */
  commands: ReadonlySet<string>;
  /** Entries that approve nothing, with why: for a warning in the settings, never silently. */
  ignored: readonly { entry: string; why: string }[];
}

/** Reads the setting's value (any JSON a user may have written) into an ApproveList. */
export function parseApproveList(value: unknown): ApproveList {
  const tools = new Set<string>();
  const commands = new Set<string>();
  const ignored: { entry: string; why: string }[] = [];
  const entries: unknown[] = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      ignored.push({ entry: JSON.stringify(entry) ?? String(entry), why: 'not a string' });
      continue;
    }
    const text = entry.trim();
    if (text.startsWith(COMMAND_ENTRY)) {
      const command = normaliseCommand(text.slice(COMMAND_ENTRY.length));
      if (command === '') ignored.push({ entry, why: 'no command after "rill_run_command:"' });
      else commands.add(command);
    } else if (text === RUN_COMMAND) {
      ignored.push({ entry, why: 'commands are approved one by one: write "rill_run_command:<the exact command>"' });
    } else if (/^[a-zA-Z0-9_-]{1,64}$/.test(text)) {
      tools.add(text);
    } else {
      ignored.push({ entry, why: 'not a tool name, nor "rill_run_command:<command>"' });
    }
  }
  return { tools, commands, ignored };
}

/** The form a command is compared and run in: the runner runs exactly this, so what was approved is what runs. */
export function normaliseCommand(command: string): string {
  return command.trim();
}

/** The entry "Allow for this conversation" (or a settings quick fix) would remember for a call. */
export function approvalEntry(name: string, args: Record<string, unknown>): string | undefined {
  if (name !== RUN_COMMAND) return name;
  const command = typeof args.command === 'string' ? normaliseCommand(args.command) : '';
  return command === '' ? undefined : `${COMMAND_ENTRY}${command}`;
}

export interface ApprovalPolicy {
  /** `rill.agent.autoApprove`, from user settings. */
  autoApprove: ApproveList;
  /** What the user allowed for this conversation, in the same form. */
  conversation?: ApproveList;
  /** `vscode.workspace.isTrusted`. */
  trusted: boolean;
}

export type ApprovalVerdict =
  | { kind: 'run'; why: 'read-only' | 'auto-approved' | 'allowed-in-conversation' }
  | { kind: 'ask' }
  | { kind: 'refuse'; message: string };

/**
 * What happens to one call before it runs. `readOnly` is the caller's knowledge of the tool
 * (built-in readers, MCP tools annotated `readOnlyHint`). Untrusted beats every list.
 */
export function decideApproval(call: { name: string; arguments: Record<string, unknown> }, readOnly: boolean, policy: ApprovalPolicy): ApprovalVerdict {
  if (readOnly) return { kind: 'run', why: 'read-only' };
  if (!policy.trusted) {
    return { kind: 'refuse', message: 'This workspace is not trusted (VS Code Restricted Mode): only read-only tools may run. The user can trust the workspace to allow edits and commands.' };
  }
  if (approves(policy.autoApprove, call)) return { kind: 'run', why: 'auto-approved' };
  if (policy.conversation && approves(policy.conversation, call)) return { kind: 'run', why: 'allowed-in-conversation' };
  return { kind: 'ask' };
}

function approves(list: ApproveList, call: { name: string; arguments: Record<string, unknown> }): boolean {
  if (call.name !== RUN_COMMAND) return list.tools.has(call.name);
  const command = call.arguments.command;
  if (typeof command !== 'string') return false;
  const exact = normaliseCommand(command);
  return exact !== '' && list.commands.has(exact);
}
