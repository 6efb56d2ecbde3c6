import type { ProviderKind } from './connection';

/** Known servers and the settings that reach them in their default installation. */
export interface ProviderPreset {
  id: string;
  label: string;
  provider: ProviderKind;
  /** Empty for providers configured otherwise (OpenAI's default endpoint, Azure's endpoint). */
  baseUrl: string;
  needsKey: boolean;
  /** A model id to start from; the user picks the real one with `rill.selectModel`. */
  exampleModel: string;
}

export const PRESETS: readonly ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', provider: 'openai', baseUrl: '', needsKey: true, exampleModel: 'gpt-4o-mini' },
  { id: 'azure', label: 'Azure OpenAI', provider: 'azure', baseUrl: '', needsKey: true, exampleModel: '' },
  { id: 'ollama', label: 'Ollama', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', needsKey: false, exampleModel: 'llama3.2' },
  { id: 'lmstudio', label: 'LM Studio', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:1234/v1', needsKey: false, exampleModel: '' },
  { id: 'vllm', label: 'vLLM', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1', needsKey: false, exampleModel: '' },
  { id: 'llamacpp', label: 'llama.cpp server', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:8080/v1', needsKey: false, exampleModel: 'local' },
  { id: 'openrouter', label: 'OpenRouter', provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true, exampleModel: 'openai/gpt-4o-mini' },
];
