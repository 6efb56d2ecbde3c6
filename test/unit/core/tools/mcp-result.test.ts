import { strict as assert } from 'node:assert';
import { mcpResultToToolResult } from '../../../../src/core/tools/mcp-result';

describe('tools: an MCP tool result as text for the model', () => {
  it('joins text content', () => {
    const result = mcpResultToToolResult({ content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] });
    assert.deepEqual(result, { status: 'ok', content: 'one\ntwo' });
  });

  it('isError becomes a tool error with the text as its message', () => {
    assert.deepEqual(mcpResultToToolResult({ content: [{ type: 'text', text: 'Tool nope not found' }], isError: true }), { status: 'error', message: 'Tool nope not found' });
    assert.equal(mcpResultToToolResult({ content: [], isError: true }).status, 'error');
  });

  it('image, audio and binary resources are named in a short note, never pasted as base64', () => {
    const result = mcpResultToToolResult({
      content: [
        { type: 'text', text: 'Here:' },
        { type: 'image', data: 'iVBORw0KGgo', mimeType: 'image/png' },
        { type: 'audio', data: 'UklGR', mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'demo://blob/1', mimeType: 'application/zip', blob: 'UEsDB' } },
      ],
    });
    assert.equal(result.status, 'ok');
    const text = result.status === 'ok' ? result.content : '';
    assert.equal(
      text,
      'Here:\n[image (image/png) left out: only text is passed to the model]\n[audio (audio/wav) left out: only text is passed to the model]\n[resource <demo://blob/1> (application/zip) left out: binary content]',
    );
  });

  it('an embedded text resource keeps its text; a resource link is named', () => {
    const result = mcpResultToToolResult({
      content: [
        { type: 'resource', resource: { uri: 'demo://text/1', mimeType: 'text/plain', text: 'Resource 1 body' } },
        { type: 'resource_link', name: 'Blob Resource 1', uri: 'demo://resource/1' },
      ],
    });
    assert.deepEqual(result, { status: 'ok', content: '[resource <demo://text/1>]\nResource 1 body\n[resource link: Blob Resource 1 <demo://resource/1>]' });
  });

  it('structured content alone is sent as JSON', () => {
    assert.deepEqual(mcpResultToToolResult({ content: [], structuredContent: { temperature: 22 } }), { status: 'ok', content: '{"temperature":22}' });
  });

  it('says so when there is nothing, and survives malformed results', () => {
    assert.deepEqual(mcpResultToToolResult({ content: [] }), { status: 'ok', content: '(The tool returned no content.)' });
    for (const junk of [undefined, null, 'text', 42, { content: 'x' }, { content: [null, 1, { type: 7 }, { type: 'text', text: 5 }] }]) {
      assert.equal(mcpResultToToolResult(junk).status, 'ok', JSON.stringify(junk));
    }
    const unknown = mcpResultToToolResult({ content: [{ type: 'hologram' }] });
    assert.deepEqual(unknown, { status: 'ok', content: '[hologram content left out]' });
  });
});
