import type { ApprovalChoice } from './agent-messages';
import type { AddContextRequest } from './context-messages';
import type { FromWebviewMessage, MessageAction } from './messages';

/** Longest prompt accepted from the webview; a larger message is refused, not truncated. */
export const MAX_PROMPT_CHARS = 1_000_000;
/** Longest text the webview may hand over for the clipboard or an editor. */
export const MAX_CODE_CHARS = 10_000_000;

const ACTIONS: readonly MessageAction[] = ['retry', 'continue', 'setApiKey', 'selectModel', 'trimAndRetry', 'openSettings'];
const CHOICES: readonly ApprovalChoice[] = ['allow', 'deny', 'allow-conversation'];
const CONTEXT_REQUESTS: readonly AddContextRequest[] = ['menu', 'activeFile', 'selection', 'pickFile', 'problems', 'workspaceProblems'];
/** A path or URI from the webview: checked again, against the workspace, before anything is read. */
export const MAX_PATH_CHARS = 4096;
/** Longest history search query; more is not a search anyone types. */
export const MAX_SEARCH_CHARS = 256;
/** Files dropped or links resolved at once. */
export const MAX_PATHS = 200;
const ID = /^[a-z0-9-]{1,64}$/i;
/** Paints reported in one message; the webview sends them at least every quarter second. */
export const MAX_PAINTS = 1000;

type Check = (value: unknown) => boolean;
const id: Check = (v) => typeof v === 'string' && ID.test(v);
const prompt: Check = (v) => typeof v === 'string' && v.trim().length > 0 && v.length <= MAX_PROMPT_CHARS;
const code: Check = (v) => typeof v === 'string' && v.length <= MAX_CODE_CHARS;
const language: Check = (v) => typeof v === 'string' && /^[\w+#.-]{0,40}$/.test(v);
const url: Check = (v) => typeof v === 'string' && v.length <= 8192;
const action: Check = (v) => ACTIONS.includes(v as MessageAction);
/** Tool call ids come from servers (`call_abc`, `chatcmpl-tool-…`, `rill_2_0`): at most 64 characters, kept by CallIds. */
const stepId: Check = (v) => typeof v === 'string' && /^[\w.:-]{1,80}$/.test(v);
const time: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const list = (item: Check): Check => (v) => Array.isArray(v) && v.length > 0 && v.length <= MAX_PAINTS && v.every(item);
/** A length the trace keeps in a Uint32Array. */
const count: Check = (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffff_ffff;
const path: Check = (v) => typeof v === 'string' && v.length <= MAX_PATH_CHARS;
const paths: Check = (v) => Array.isArray(v) && v.length > 0 && v.length <= MAX_PATHS && v.every((p) => typeof p === 'string' && p.length > 0 && p.length <= MAX_PATH_CHARS);

/** Each message type and the checks of its fields: exactly these fields, nothing more. */
const SHAPES: Record<FromWebviewMessage['type'], Record<string, Check>> = {
  ready: {},
  loadOlder: { beforeId: id },
  stop: { at: time },
  newSession: {},
  exportSession: {},
  send: { text: prompt, at: time },
  draft: { text: (v) => typeof v === 'string' && v.length <= MAX_PROMPT_CHARS },
  action: { messageId: id, action },
  regenerate: { messageId: id },
  resend: { messageId: id, text: prompt, at: time },
  painted: { messageId: id, which: (v) => v === 'first' || v === 'last', at: time },
  paints: { messageId: id, at: list(time), chars: list(count) },
  showDiagram: { messageId: id },
  switchSession: { sessionId: id },
  renameSession: { sessionId: id },
  deleteSession: { sessionId: id },
  copy: { text: code },
  listSessions: {},
  searchSessions: { query: (v) => typeof v === 'string' && v.length <= MAX_SEARCH_CHARS },
  insertCode: { code },
  openCode: { code, language },
  openLink: { url },
  toolApproval: { messageId: id, stepId, choice: (v) => CHOICES.includes(v as ApprovalChoice) },
  openDiff: { messageId: id, stepId },
  setTools: { enabled: (v) => typeof v === 'boolean' },
  addContext: { what: (v) => CONTEXT_REQUESTS.includes(v as AddContextRequest) },
  attachPaths: { paths },
  removeContext: { id },
  suggestFiles: { query: (v) => typeof v === 'string' && v.length <= 256 },
  resolveFileRefs: { refs: paths },
  openFile: { path: (v) => path(v) && (v as string).length > 0, line: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10_000_000 },
  applyCode: { code, path },
};

/**
 * Returns the message when it is exactly one of the protocol's closed set, else `undefined`.
 * The host never acts on anything this refuses: the webview renders model output and must be
 * treated as untrusted.
 */
export function parseFromWebview(value: unknown): FromWebviewMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(SHAPES, type)) return undefined;
  const shape = SHAPES[type as FromWebviewMessage['type']];
  const keys = Object.keys(record).filter((k) => k !== 'type');
  if (keys.length !== Object.keys(shape).length) return undefined;
  for (const key of keys) {
    const check = shape[key];
    if (!check || !check(record[key])) return undefined;
  }
  return { ...record } as FromWebviewMessage;
}

/** Links the host will open for the user: the web and mail, nothing that runs or reads files. */
export function isOpenableLink(link: string): boolean {
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(link).protocol);
  } catch {
    return false;
  }
}
