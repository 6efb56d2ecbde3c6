import * as vscode from 'vscode';
import type { Problem } from '../core/stream/events';

export interface ProblemContext {
  url: string;
  local: boolean;
  model: string;
}

/**
 * One sentence per problem, in the UI language, saying what happened and what to do. The
 * server's own words follow when it gave any; the webview shows all of it as text.
 */
export function describeProblem(problem: Problem, { url, local, model }: ProblemContext): string {
  const t = vscode.l10n.t;
  const status = problem.status === undefined ? '' : ` (HTTP ${problem.status})`;
  let sentence: string;
  switch (problem.kind) {
    case 'auth':
      sentence = t('The server refused the API key{0}. Set a valid key with "Rill: Set API Key".', status);
      break;
    case 'permission':
      sentence = t('The API key has no access to this model or endpoint{0}.', status);
      break;
    case 'model-not-found':
      sentence = t('The model "{0}" does not exist on {1}. Pick one with "Rill: Select Model".', model, url);
      break;
    case 'not-found':
      sentence = t('{0} has no chat completions API{1}. Check rill.baseUrl: it usually ends in /v1.', url, status);
      break;
    case 'context-too-long':
      sentence = t('The conversation is longer than the model\'s context window. Trim the oldest turns and try again.');
      break;
    case 'prompt-too-long':
      sentence = t('The message is about {0} tokens too long for the model\'s context window, even with no earlier turns. Shorten it, or raise rill.contextTokens if the model allows more.', problem.detail ?? '');
      return sentence;
    case 'prompt-filtered':
      sentence = t('The provider\'s content filter rejected the prompt.');
      break;
    case 'bad-request':
      sentence = t('The server rejected the request{0}.', status);
      break;
    case 'quota':
      sentence = t('The account has no quota or credit left{0}. Check the plan and billing with the provider; waiting will not help.', status);
      break;
    case 'rate-limit':
      sentence = t('The provider\'s rate limit was reached{0}. Wait a moment and retry.', status);
      break;
    case 'server':
      sentence = t('The model server failed{0}.', status);
      break;
    case 'connection':
      sentence = local
        ? t('No server answered at {0}. Rill expects a local server there (Ollama, LM Studio, vLLM or llama.cpp): is it running?', url)
        : t('No server answered at {0}. Check the address, your network and proxy settings.', url);
      break;
    case 'connection-lost':
      sentence = t('The connection to {0} dropped in the middle of the answer.', url);
      break;
    case 'idle-timeout':
      sentence = t('The server sent nothing for {0} s, so Rill stopped waiting (rill.request.idleTimeoutSeconds).', problem.detail ?? '');
      return sentence;
    case 'stream-error':
      sentence = t('The server reported an error in the middle of the answer.');
      break;
    case 'empty':
      sentence = t('The server ended the response without any answer.');
      break;
    case 'not-streamed':
      sentence = t('The server answered without streaming ({0}); it may not support streamed chat completions.', problem.detail ?? '');
      return sentence;
    case 'cut-off':
      sentence = t('The answer reached the token limit and was cut off. Continue to get the rest.');
      break;
    case 'cut-short':
      sentence = t('The server closed the stream before the answer was finished.');
      break;
    case 'content-filter':
      sentence = t('The provider\'s content filter stopped this answer; the text above may be incomplete.');
      break;
    case 'unexpected':
      sentence = t('Something unexpected went wrong.');
      break;
  }
  const detail = problem.detail ? ` ${t('Server: {0}', problem.detail)}` : '';
  const request = problem.requestId ? ` (${problem.requestId})` : '';
  return `${sentence}${detail}${request}`;
}
