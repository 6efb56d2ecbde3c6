import * as path from 'node:path';
import { ja, en, type TraceLabels } from '../../../../src/core/trace/labels';
import { genericFlowMermaid, traceToMermaid, type TraceDetail } from '../../../../src/core/trace/mermaid';
import { agentScenarios } from './agent-scenarios';
import { traceScenarios } from './scenarios';

/** Where the golden diagrams live: `test/golden/*.mmd`. */
export const GOLDEN_DIR = path.resolve(__dirname, '../../../golden');

export interface GoldenCase {
  /** File name in `test/golden`. */
  file: string;
  render: () => string;
}

const LANGUAGES: Array<[string, TraceLabels]> = [
  ['en', en],
  ['ja', ja],
];
const DETAILS: TraceDetail[] = ['summary', 'chunks'];

/** Every golden file and how it is produced: each scenario at each level in each language, and the generic flow. */
export function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const [lang, labels] of LANGUAGES) cases.push({ file: `generic-flow.${lang}.mmd`, render: () => genericFlowMermaid(labels) });
  for (const [name, scenario] of Object.entries({ ...traceScenarios, ...agentScenarios })) {
    for (const detail of DETAILS) {
      for (const [lang, labels] of LANGUAGES) {
        cases.push({ file: `trace-${name}.${detail}.${lang}.mmd`, render: () => traceToMermaid(scenario(), { detail, labels }) });
      }
    }
  }
  return cases;
}
