import { builtinTool, type BuiltinToolName, type ObjectSchema, type PropertySchema } from './definitions';

/** Each built-in tool's arguments once checked: what the VS Code side may rely on. */
export interface BuiltinArguments {
  rill_read_file: { path: string; startLine?: number; endLine?: number };
  rill_list_files: { pattern?: string };
  rill_search_text: { query: string; pattern?: string };
  rill_diagnostics: { path?: string };
  rill_edit_file: { path: string; oldText: string; newText: string };
  rill_create_file: { path: string; content: string };
  rill_run_command: { command: string };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Checks a call's parsed arguments against the tool's own schema (definitions.ts), and the one rule
 * a schema cannot say: startLine <= endLine. Never throws: a failure is a message written for the
 * model, naming the argument and what was expected, so its next call can be right.
 *
 * Choices: an unknown argument is refused rather than ignored (a model that sends `line` instead of
 * `startLine` would otherwise read the wrong range without knowing); `null` for an optional argument
 * means absent (models in OpenAI's strict mode send that); numbers in strings are not coerced.
 */
export function checkArguments<N extends BuiltinToolName>(name: N, args: Record<string, unknown>): Checked<BuiltinArguments[N]> {
  const schema = builtinTool(name).parameters;
  const problems = [...unknownArguments(schema, args), ...Object.entries(schema.properties).flatMap(([key, property]) => checkProperty(schema, key, property, args[key]))];
  if (problems.length === 0 && name === 'rill_read_file') {
    const { startLine, endLine } = args;
    if (typeof startLine === 'number' && typeof endLine === 'number' && startLine > endLine) {
      problems.push(`startLine (${startLine}) is after endLine (${endLine}).`);
    }
  }
  if (problems.length > 0) return { ok: false, message: `Invalid arguments for ${name}: ${problems.join(' ')}` };
  const value: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) if (args[key] !== undefined && args[key] !== null) value[key] = args[key];
  return { ok: true, value: value as BuiltinArguments[N] };
}

function unknownArguments(schema: ObjectSchema, args: Record<string, unknown>): string[] {
  const known = Object.keys(schema.properties);
  const extra = Object.keys(args).filter((key) => !Object.hasOwn(schema.properties, key));
  if (extra.length === 0) return [];
  const allowed = known.length > 0 ? `it takes only ${known.join(', ')}` : 'it takes no arguments';
  return [`unknown argument${extra.length > 1 ? 's' : ''} ${extra.map((key) => JSON.stringify(key)).join(', ')} (${allowed}).`];
}

function checkProperty(schema: ObjectSchema, key: string, property: PropertySchema, value: unknown): string[] {
  if (value === undefined || value === null) return schema.required.includes(key) ? [`"${key}" is required (${property.type}).`] : [];
  if (property.type === 'string') {
    if (typeof value !== 'string') return [`"${key}" must be a string, not ${describe(value)}.`];
    if (property.minLength !== undefined && value.length < property.minLength) return [`"${key}" must not be empty.`];
    if (property.pattern !== undefined && !new RegExp(property.pattern, 'u').test(value)) return [`"${key}" must not be only whitespace.`];
    return [];
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) return [`"${key}" must be an integer, not ${describe(value)}.`];
  if (property.minimum !== undefined && value < property.minimum) return [`"${key}" must be at least ${property.minimum} (lines are 1-based), not ${value}.`];
  return [];
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
