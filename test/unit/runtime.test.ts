import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const json = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as { devDependencies?: Record<string, string>; dependencies?: Record<string, string> };

// openai@7 and mermaid@12 need Node 22+, and VS Code's extension host runs Node 22+. npm scripts put
// node_modules/.bin first on PATH, where the `node` devDependency (Node 24, the version the web
// workbench runs) is: `npm run test:unit` and `npm run bench` run on it, not on the machine's Node.
describe('the runtime the tests run on', () => {
  it(`is Node 22 or newer (this run: ${process.version})`, () => {
    const major = Number(process.versions.node.split('.')[0]);
    assert.ok(major >= 22, `Node ${process.version}: run the tests through npm (npm run test:unit), which puts node_modules/.bin/node (Node 24) first on PATH`);
  });

  it('is the same Node the web workbench (code-server) runs on', () => {
    const pinned = json('package.json').devDependencies?.node;
    assert.equal(pinned, json('scripts/vscode-web/package.json').dependencies?.node);
    assert.equal(process.versions.node.split('.')[0], pinned?.split('.')[0], 'run through npm, so that node_modules/.bin/node is the one used');
  });
});
