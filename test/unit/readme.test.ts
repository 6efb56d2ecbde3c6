import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { en, genericFlowMermaid } from '../../src/core/trace';

describe('the README', () => {
  it("shows the generic streaming flow exactly as Rill's generator draws it", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = /## How a streamed answer flows[\s\S]*?```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.equal(block, genericFlowMermaid(en).trimEnd() + '\n');
  });
});
