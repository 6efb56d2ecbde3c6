import type { ToolDefinition } from '../agent';

/**
 * Rill's built-in tools as the model sees them. The names and arguments are a contract (issue 12,
 * item 2): other tests, saved conversations and users' `rill.agent.autoApprove` lists name them,
 * so they never change. The schemas are also what `arguments.ts` validates against, so what the
 * model is told and what is checked cannot drift apart.
 */

export const BUILTIN_TOOL_NAMES = [
  'rill_read_file',
  'rill_list_files',
  'rill_search_text',
  'rill_diagnostics',
  'rill_edit_file',
  'rill_create_file',
  'rill_run_command',
] as const;

export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

/** The small JSON Schema subset the built-in tools use (and `arguments.ts` understands). */
export interface PropertySchema {
  type: 'string' | 'integer';
  description: string;
  /** Integers: the smallest value allowed. */
  minimum?: number;
  /** Strings: the shortest length allowed. */
  minLength?: number;
  /** Strings: a regular expression the value must match somewhere (JSON Schema's `pattern`). */
  pattern?: string;
}

/** JSON Schema's way to say "not only whitespace". */
const NOT_BLANK = '\\S';

export interface ObjectSchema {
  type: 'object';
  properties: Record<string, PropertySchema>;
  required: string[];
  additionalProperties: false;
}

export interface BuiltinTool extends ToolDefinition {
  name: BuiltinToolName;
  description: string;
  parameters: ObjectSchema & { [key: string]: unknown };
  /** Runs without asking, and is the only kind offered in an untrusted workspace. */
  readOnly: boolean;
}

const PATH: PropertySchema = {
  type: 'string',
  minLength: 1,
  pattern: NOT_BLANK,
  description:
    'A path relative to the workspace folder (in a multi-root workspace, to the first folder, or start it with a folder\'s name: "api/src/x.ts"). Use forward slashes.',
};
const PATTERN: PropertySchema = {
  type: 'string',
  minLength: 1,
  pattern: NOT_BLANK,
  description: 'A glob relative to the workspace, e.g. "src/**/*.ts". Default: every file (ignored files left out).',
};

function tool(name: BuiltinToolName, readOnly: boolean, description: string, properties: Record<string, PropertySchema>, required: string[]): BuiltinTool {
  return { name, readOnly, description, parameters: { type: 'object', properties, required, additionalProperties: false } };
}

export const BUILTIN_TOOLS: readonly BuiltinTool[] = [
  tool(
    'rill_read_file',
    true,
    'Read a text file in the workspace. Lines come numbered ("12| text"); long files are cut, and the note says which startLine to ask for next.',
    {
      path: PATH,
      startLine: { type: 'integer', minimum: 1, description: 'First line to read (1-based). Default: 1.' },
      endLine: { type: 'integer', minimum: 1, description: 'Last line to read, inclusive. Default: the end of the file, within the limit.' },
    },
    ['path'],
  ),
  tool('rill_list_files', true, 'List files in the workspace whose paths match a glob.', { pattern: PATTERN }, []),
  tool(
    'rill_search_text',
    true,
    'Search the workspace files for text (plain text, case-insensitive). Returns "path:line: text" for each match, capped.',
    { query: { type: 'string', minLength: 1, pattern: NOT_BLANK, description: 'The text to find.' }, pattern: { ...PATTERN, description: 'Only search files matching this glob.' } },
    ['query'],
  ),
  tool(
    'rill_diagnostics',
    true,
    'The errors and warnings VS Code reports (compiler, linter) for one file, or for the whole workspace.',
    { path: { ...PATH, description: `${PATH.description} Default: every file with problems.` } },
    [],
  ),
  tool(
    'rill_edit_file',
    false,
    'Replace text in an existing file. oldText must appear exactly once in the file (include enough surrounding lines to make it unique); it is replaced by newText. The user reviews the change first.',
    {
      path: PATH,
      oldText: { type: 'string', minLength: 1, description: 'The exact text to replace, including whitespace.' },
      newText: { type: 'string', description: 'The replacement text (may be empty to delete).' },
    },
    ['path', 'oldText', 'newText'],
  ),
  tool(
    'rill_create_file',
    false,
    'Create a new file with the given content; its folders are created too. Fails if the file exists (use rill_edit_file). The user reviews it first.',
    { path: PATH, content: { type: 'string', description: 'The whole content of the new file.' } },
    ['path', 'content'],
  ),
  tool(
    'rill_run_command',
    false,
    "Run one shell command in VS Code's terminal, in the first workspace folder. Returns its exit code and the end of its output. The user approves the exact command first; it is stopped after a timeout.",
    { command: { type: 'string', minLength: 1, pattern: NOT_BLANK, description: 'The command line, exactly as it should run.' } },
    ['command'],
  ),
];

const BY_NAME = new Map<string, BuiltinTool>(BUILTIN_TOOLS.map((definition) => [definition.name, definition]));

export function isBuiltinTool(name: string): name is BuiltinToolName {
  return BY_NAME.has(name);
}

export function builtinTool(name: BuiltinToolName): BuiltinTool {
  const definition = BY_NAME.get(name);
  if (!definition) throw new Error(`not a built-in tool: ${name}`); // unreachable: the type says it is one
  return definition;
}

/**
 * The built-in tools to offer, in the contract's order. An untrusted workspace (VS Code's
 * Restricted Mode) gets only the read-only ones: nothing it holds may lead to an edit or a command.
 */
export function builtinTools(options: { trusted: boolean }): BuiltinTool[] {
  return BUILTIN_TOOLS.filter((definition) => options.trusted || definition.readOnly);
}
