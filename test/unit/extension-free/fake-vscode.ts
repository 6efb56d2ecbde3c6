// The slice of the `vscode` API the tool catalog and the MCP hub use, so they run under mocha. Only
// what these tests need: the real API is exercised by the integration and e2e suites. Installed
// with `installFakeVscode()` before the modules under test are required.
import Module from 'node:module';

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {}
}

export class LanguageModelTextPart {
  constructor(public value: string) {}
}
export class LanguageModelPromptTsxPart {
  constructor(public value: unknown) {}
}

export const QuickPickItemKind = { Separator: -1, Default: 0 };

export interface FakeItem {
  label: string;
  kind?: number;
  toolName?: string;
  description?: string;
  detail?: string;
  picked?: boolean;
}

/** A quick pick the test drives: `check` changes the selection as a user would, `accept` presses Enter. */
export class FakeQuickPick {
  items: FakeItem[] = [];
  selectedItems: FakeItem[] = [];
  title = '';
  placeholder = '';
  busy = false;
  canSelectMany = false;
  matchOnDescription = false;
  matchOnDetail = false;
  private readonly selection = new EventEmitter<FakeItem[]>();
  private readonly accepted = new EventEmitter<void>();
  private readonly hidden = new EventEmitter<void>();
  readonly onDidChangeSelection = this.selection.event;
  readonly onDidAccept = this.accepted.event;
  readonly onDidHide = this.hidden.event;
  show(): void {
    fake.picks.push(this);
  }
  hide(): void {
    this.hidden.fire();
  }
  dispose(): void {}
  select(items: FakeItem[]): void {
    this.selectedItems = items;
    this.selection.fire(items);
  }
  accept(): void {
    this.accepted.fire();
  }
}

/** State the tests set and read. */
export const fake = {
  trusted: true,
  settings: { globalValue: undefined as unknown, workspaceValue: undefined as unknown },
  lmTools: [] as Array<{ name: string; description: string; inputSchema?: object; tags: string[] }>,
  /** Installed extensions: a tool of `lm.tools` is offered only when one declares it (or it is VS Code's MCP). */
  extensions: [] as Array<{ id: string; packageJSON: unknown }>,
  invoke: (async () => ({ content: [] })) as (name: string, options: { input: object }, token: CancellationTokenSource['token']) => Promise<{ content: unknown[] }>,
  warnings: [] as string[],
  picks: [] as FakeQuickPick[],
  configuration: new EventEmitter<{ affectsConfiguration: (section: string) => boolean }>(),
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  reset(): void {
    this.trusted = true;
    this.settings = { globalValue: undefined, workspaceValue: undefined };
    this.lmTools = [];
    this.extensions = [];
    this.warnings = [];
    this.picks = [];
  },
  /** As VS Code does when the user edits rill.mcp.servers. */
  changeSettings(globalValue: unknown): void {
    this.settings.globalValue = globalValue;
    this.configuration.fire({ affectsConfiguration: (section) => section === 'rill.mcp.servers' || section === 'rill' });
  },
};

const api = {
  EventEmitter,
  CancellationTokenSource,
  LanguageModelTextPart,
  LanguageModelPromptTsxPart,
  QuickPickItemKind,
  workspace: {
    get isTrusted() {
      return fake.trusted;
    },
    getConfiguration: () => ({ inspect: () => ({ key: 'rill.mcp.servers', ...fake.settings }) }),
    onDidChangeConfiguration: fake.configuration.event,
  },
  extensions: {
    get all() {
      return fake.extensions;
    },
  },
  lm: {
    get tools() {
      return fake.lmTools;
    },
    invokeTool: (name: string, options: { input: object }, token: CancellationTokenSource['token']) => fake.invoke(name, options, token),
  },
  l10n: { t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])) },
  window: {
    showWarningMessage: (message: string) => {
      fake.warnings.push(message);
      return Promise.resolve(undefined);
    },
    createQuickPick: () => new FakeQuickPick(),
  },
  commands: {
    registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
      fake.commands.set(id, run);
      return { dispose: () => fake.commands.delete(id) };
    },
    executeCommand: async () => undefined,
  },
};

let installed = false;

/** Makes `require('vscode')` return the fake (tsx compiles the sources' imports to require). */
export function installFakeVscode(): void {
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? api : original.call(this, request, ...rest);
  };
}
