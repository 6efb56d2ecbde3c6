import assert from 'node:assert/strict';
import { codeBlockFile } from '../../../../src/core/attachments/code-block-file';

describe('codeBlockFile', () => {
  describe('from the info string', () => {
    const cases: Array<[string, string]> = [
      ['ts src/a.ts', 'src/a.ts'],
      ['typescript:src/a.ts', 'src/a.ts'],
      ['ts title="src/a.ts"', 'src/a.ts'],
      ['ts title="my docs/a b.ts"', 'my docs/a b.ts'],
      ["ts title='src/q.ts'", 'src/q.ts'],
      ['python filename=app.py', 'app.py'],
      ['js {1,3} path=lib/x.js', 'lib/x.js'],
      ['src/a.ts', 'src/a.ts'],
      ['app.py', 'app.py'],
      ['./src/a.ts', 'src/a.ts'],
      ['rust src\\main.rs', 'src/main.rs'],
      ['ts /home/u/p/a.ts', '/home/u/p/a.ts'],
      ['c C:\\p\\a.c', 'C:/p/a.c'],
      ['make Makefile', 'Makefile'],
      ['dockerfile docker/Dockerfile', 'docker/Dockerfile'],
      ['sh .env.local', '.env.local'],
      ['ts   showLineNumbers   src/b.ts', 'src/b.ts'],
    ];
    for (const [info, path] of cases) {
      it(`reads ${JSON.stringify(info)}`, () => {
        assert.deepEqual(codeBlockFile(info, 'const x = 1;'), { path, dropFirstLine: false });
      });
    }
  });

  describe('from a comment on the first line', () => {
    const cases: Array<[string, string, string]> = [
      ['ts', '// src/a.ts\nconst x = 1;', 'src/a.ts'],
      ['ts', '// filepath: src/a.ts\nconst x = 1;', 'src/a.ts'],
      ['ts', '// File: src/a.ts', 'src/a.ts'],
      ['python', '# file: app.py\nprint(1)', 'app.py'],
      ['python', '# app/main.py\nprint(1)', 'app/main.py'],
      ['html', '<!-- src/index.html -->\n<p></p>', 'src/index.html'],
      ['css', '/* src/a.css */\na {}', 'src/a.css'],
      ['sql', '-- db/q.sql\nselect 1;', 'db/q.sql'],
      ['ini', '; a.ini\n[x]', 'a.ini'],
      ['ts', '  // `src/a.ts`  \r\nx', 'src/a.ts'],
      ['', '// path: lib/util.go\npackage lib', 'lib/util.go'],
    ];
    for (const [info, code, path] of cases) {
      it(`reads ${JSON.stringify(code.split('\n')[0])}`, () => {
        assert.deepEqual(codeBlockFile(info, code), { path, dropFirstLine: true });
      });
    }
  });

  it('prefers the info string, and then keeps the first line as code', () => {
    assert.deepEqual(codeBlockFile('ts src/a.ts', '// src/b.ts\nx'), { path: 'src/a.ts', dropFirstLine: false });
  });

  it('falls back to the first line when the info string names no file', () => {
    assert.deepEqual(codeBlockFile('ts https://x.com/a.ts', '// src/a.ts\nx'), { path: 'src/a.ts', dropFirstLine: true });
  });

  describe('finds no file in', () => {
    const cases: Array<[string, string]> = [
      ['ts', 'const x = 1;'],
      ['typescript', ''],
      ['', ''],
      ['Makefile', 'all:'],
      ['ts', '// compute the sum\nlet s = 0;'],
      ['ts', '// TODO: handle errors'],
      ['ts', '// utils'],
      ['ts', '// e.g.'],
      ['ts', '// v1.2'],
      ['ts', '// https://example.com/a.ts'],
      ['ts', '// //cdn.example.com/a.js'],
      ['ts https://example.com/a.ts', ''],
      ['ts title="https://example.com/a.ts"', ''],
      ['ts title="src/"', ''],
      ['ts {1,3}', ''],
      ['js showLineNumbers', ''],
      ['c', '#include <stdio.h>'],
      ['sh', '#!/usr/bin/env bash'],
      ['md', '## Heading.md'],
      ['ts', '/* a comment with words */'],
      ['sql', '--- db/q.sql'],
      ['ts', 'src/a.ts'],
      ['ts', '\n// src/a.ts'],
    ];
    for (const [info, code] of cases) {
      it(`${JSON.stringify(info)} / ${JSON.stringify(code.split('\n')[0])}`, () => {
        assert.equal(codeBlockFile(info, code), undefined);
      });
    }
  });
});
