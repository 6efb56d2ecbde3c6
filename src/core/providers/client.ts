import OpenAI, { AzureOpenAI } from 'openai';
import type { Fetch } from '../stream/byte-watch';
import type { ClientSpec } from './connection';

/** The `openai` client for a resolved connection; `AzureOpenAI` for Azure's deployments API. */
export function createClient(spec: ClientSpec, fetch: Fetch): OpenAI {
  if (spec.type === 'azure') {
    return new AzureOpenAI({
      endpoint: spec.endpoint,
      deployment: spec.deployment,
      apiVersion: spec.apiVersion,
      apiKey: spec.apiKey,
      defaultHeaders: spec.headers,
      fetch,
    });
  }
  return new OpenAI({ baseURL: spec.baseURL, apiKey: spec.apiKey, defaultHeaders: spec.headers, fetch });
}
