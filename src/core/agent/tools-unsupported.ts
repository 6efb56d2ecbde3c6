import type { StreamOutcome } from '../stream/events';

/**
 * How servers say a model cannot take `tools`:
 * - Ollama: 400 "registry.ollama.ai/library/<model> does not support tools";
 * - llama.cpp's server without `--jinja`: 400/500 "tools param requires --jinja flag";
 * - vLLM without `--enable-auto-tool-choice`: 400 '"auto" tool choice requires
 *   --enable-auto-tool-choice and --tool-call-parser to be set';
 * - others: "tools are not supported", "tool use is not supported", "does not support function calling".
 */
const TOOLS_REJECTED =
  /does not support (?:tools|tool[ _-]?(?:use|calling|calls)|function[ _-]?calling)|tools? (?:param(?:eter)?s? )?(?:is |are )?not supported|tool (?:use|calling) is not supported|requires --jinja|--enable-auto-tool-choice|tool[ _-]choice.*not supported/i;

/** Whether a request failed because it carried tools, before any answer: retrying without them may work. */
export function rejectedForTools(outcome: StreamOutcome): boolean {
  const problem = outcome.problem;
  if (outcome.state !== 'error' || !problem || outcome.textLength > 0) return false;
  if (problem.status === undefined || problem.status < 400 || problem.status >= 600) return false;
  return TOOLS_REJECTED.test(problem.detail ?? '');
}
