import type { MessageAction } from '../protocol/messages';

/** Every user-facing string of the webview, in one place for translation. */
export const strings = {
  placeholder: 'Ask Rill… (Enter to send, Shift+Enter for a new line)',
  send: 'Send',
  stop: 'Stop',
  you: 'You',
  assistant: 'Rill',
  demoBanner: "Demo model: these answers come from Rill's built-in offline demo, not a real LLM. Set rill.provider, rill.baseUrl and rill.model to use one.",
  stopped: 'Stopped. The answer so far is kept.',
  truncated: 'Incomplete',
  failed: 'Error',
  reasoning: 'Reasoning',
  toolCall: 'Tool call',
  usage: (prompt: number, completion: number) => `${prompt} prompt + ${completion} answer tokens`,
  speed: (tokensPerSecond: number) => `${tokensPerSecond.toFixed(1)} tokens/s`,
  droppedTurns: (n: number) => `${n} earlier ${n === 1 ? 'turn was' : 'turns were'} left out to fit the model's context window.`,
  actions: {
    retry: 'Retry',
    continue: 'Continue',
    setApiKey: 'Set API Key',
    selectModel: 'Select Model',
    trimAndRetry: 'Trim and Retry',
    openSettings: 'Open Settings',
  } satisfies Record<MessageAction, string>,
};
