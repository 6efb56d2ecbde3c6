import { strict as assert } from 'node:assert';
import type { AgentEvent } from '../../../src/protocol/agent-messages';
import { LiveOutput } from '../../../src/extension/request/live-output';

describe('LiveOutput: what a streaming answer posts, coalesced and in order', () => {
  const record = () => {
    const posted: string[] = [];
    const sink = {
      text: (t: string) => posted.push(`text:${t}`),
      reasoning: (t: string) => posted.push(`reasoning:${t}`),
      event: (e: AgentEvent) => posted.push(`event:${e.kind}${e.kind === 'stepArguments' ? `:${e.delta}` : ''}`),
      flushed: () => undefined,
    };
    return { posted, sink };
  };

  it('posts text before the step that followed it, and merges a call’s argument fragments', () => {
    const { posted, sink } = record();
    const out = new LiveOutput([], sink);
    out.addText('Let me ');
    out.addText('look.');
    out.addEvent({ kind: 'stepStarted', step: { id: 'a', round: 1, name: 'rill_read_file', arguments: '', state: 'streaming' } });
    for (const delta of ['{"pa', 'th":', '"x"}']) out.addEvent({ kind: 'stepArguments', id: 'a', delta });
    out.flush(true);
    assert.deepEqual(posted, ['text:Let me look.', 'event:stepStarted', 'event:stepArguments:{"path":"x"}']);
  });

  it('never shows a secret, even split across deltas and followed by a step', () => {
    const { posted, sink } = record();
    const out = new LiveOutput(['sk-secret-123456'], sink);
    out.addText('key sk-secret');
    out.flush(false);
    out.addText('-123456 end');
    out.addEvent({ kind: 'roundEnded', round: 1, toolCalls: 0 });
    out.flush(true);
    const text = posted.filter((p) => p.startsWith('text:')).map((p) => p.slice('text:'.length)).join('');
    assert.equal(text, 'key [redacted] end', 'the text around the secret is whole');
    assert.ok(!posted.join('').includes('sk-secret-123456'));
    assert.equal(posted[posted.length - 1], 'event:roundEnded');
  });
});
