// Public surface of Rill's local OpenAI-compatible server (test double and offline demo model).
export { startLlmServer, LOOPBACK_HOST } from './server';
export type { LlmServer, LlmServerOptions, RecordedRequest } from './server';
export { runScript, scriptBodyText } from './script';
export type { JsonObject, JsonValue, Script, ScriptOutcome, Step } from './script';
export {
  SSE_HEADERS,
  DEFAULT_CHUNK_ID,
  DEFAULT_CREATED,
  DEFAULT_MODEL,
  SseScriptBuilder,
  azureSafeFilterResults,
  chatCompletionBody,
  chatCompletionResponse,
  chatStream,
  chunkChoice,
  chunkObject,
  errorResponse,
  estimateTokens,
  htmlErrorPage,
  jsonResponse,
  makeUsage,
  splitText,
} from './sse';
export type {
  ApiErrorBody,
  ChatCompletionOptions,
  ChatStreamOptions,
  ChunkIdentity,
  FinishReason,
  LineEnding,
  SseFormat,
  ToolCallSpec,
  Usage,
} from './sse';
export {
  scenarios,
  scenarioRows,
  SAMPLE_TEXT,
  PARTIAL_TEXT,
  MULTIBYTE_TEXT,
  MISTRAL_ANSWER,
  MISTRAL_REASONING,
  MISTRAL_USAGE,
  NO_FINISH_TEXT,
  NO_FINISH_USAGE,
  GROQ_TEXT,
  GROQ_USAGE,
} from './scenarios';
export {
  CORTEX_CHUNK_ID,
  GROQ_CHUNK_ID,
  GROQ_REQUEST_ID,
  MISTRAL_CHUNK_ID,
  groqChunks,
  mistralChunks,
  noFinishChunks,
  providerStream,
  textPart,
  thinkingPart,
} from './provider-streams';
export type { GroqTimings, MistralContent, MistralContentPart, ProviderIdentity, ProviderStreamOptions } from './provider-streams';
export type { ScenarioName } from './scenarios';
export { DEMO_MODEL_ID, demoReplyText, demoScript, lastUserMessage } from './demo';
export type { ChatRequestBody, DemoScriptOptions } from './demo';
export * from './tool-scenarios';
export { replayScripts } from './replay';
export type { ReplayOptions } from './replay';
