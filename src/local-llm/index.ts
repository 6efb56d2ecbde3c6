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
export { scenarios, scenarioRows, SAMPLE_TEXT, PARTIAL_TEXT, MULTIBYTE_TEXT } from './scenarios';
export type { ScenarioName } from './scenarios';
export { DEMO_MODEL_ID, demoReplyText, demoScript, lastUserMessage } from './demo';
export type { ChatRequestBody, DemoScriptOptions } from './demo';
