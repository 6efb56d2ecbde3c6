// The agent loop, pure: no VS Code, no DOM. The VS Code side implements ToolRunner.
export { runAgent, DEFAULT_MAX_ROUNDS } from './agent-loop';
export { CallIds } from './call-ids';
export { COMPACTED_NOTE, DEFAULT_LIMITS, RoundResultBudget, compactToolResults } from './results';
export { parseArguments, sendableArguments } from './run-tools';
export { StepLog } from './steps';
export { MAX_TOOLS, TOOL_NAME, offerTools } from './tool-offer';
export type { ToolOffer } from './tool-offer';
export { rejectedForTools } from './tools-unsupported';
export type {
  AgentOptions,
  AgentOutcome,
  AgentRequest,
  ApprovalDecision,
  ContextBudget,
  JsonSchema,
  ResultLimits,
  ToolCall,
  ToolDefinition,
  ToolResult,
  ToolRunner,
} from './types';
export { INTERRUPTED, TranscriptBuilder, markInterrupted, replayEvents, toolMessages } from './transcript';
