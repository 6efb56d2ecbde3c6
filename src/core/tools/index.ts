// Rill's built-in tools, the pure half: their contract, argument checks, workspace confinement,
// output shaping and the approval rule. The VS Code side (extension/tools/) does the I/O.
export { BUILTIN_TOOLS, BUILTIN_TOOL_NAMES, builtinTool, builtinTools, isBuiltinTool } from './definitions';
export type { BuiltinTool, BuiltinToolName, ObjectSchema, PropertySchema } from './definitions';
export { checkArguments } from './arguments';
export type { BuiltinArguments, Checked } from './arguments';
export { confinePath, inside } from './confine';
export type { ConfineOptions, Confined, PathAccess, WorkspaceFolderPath } from './confine';
export type { PathStyle } from './path-syntax';
export { DEFAULT_OUTPUT_LIMITS, formatCommandOutput, formatFileLines, formatList, formatMatches } from './output';
export type { OutputLimits, TextMatch } from './output';
export { RUN_COMMAND, approvalEntry, decideApproval, normaliseCommand, parseApproveList } from './command-approval';
export type { ApprovalPolicy, ApprovalVerdict, ApproveList } from './command-approval';
export { MAX_PREVIEW_LINES, previewLines } from './change-lines';
