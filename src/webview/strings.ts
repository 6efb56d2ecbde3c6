/** Every user-facing string of the webview, in one place for translation. */
export const strings = {
  placeholder: 'Ask Rill… (Enter to send, Shift+Enter for a new line)',
  send: 'Send',
  stop: 'Stop',
  you: 'You',
  assistant: 'Rill',
  demoBanner: 'Demo model: these answers come from Rill\'s built-in offline demo, not a real LLM. Set rill.provider, rill.baseUrl and rill.model to use one.',
  stopped: 'Stopped. The answer so far is kept.',
  truncated: 'Cut short',
  failed: 'Error',
  tokens: (prompt: number, completion: number) => `${prompt} prompt + ${completion} answer tokens`,
  empty: 'Ask a question to start.',
};
