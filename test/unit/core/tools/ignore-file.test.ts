import { strict as assert } from 'node:assert';
import { gitignoreRules, patternNamesIgnored } from '../../../../src/core/tools/ignore-file';

describe('gitignoreRules: what listing and searching leave out', () => {
  const rules = gitignoreRules('# build\ndist/\n*.log\n!keep.log\n/out\n.vscode-test/\n');

  it('leaves out what git ignores, negations and anchors included', () => {
    assert.equal(rules.ignores('dist/extension.js'), true);
    assert.equal(rules.ignores('packages/a/dist/x.js'), true, 'a directory pattern matches at any depth');
    assert.equal(rules.ignores('debug.log'), true);
    assert.equal(rules.ignores('keep.log'), false, 'negated');
    assert.equal(rules.ignores('out/a.js'), true);
    assert.equal(rules.ignores('src/out/a.js'), false, 'anchored to the root');
    assert.equal(rules.ignores('.vscode-test/code-server/x.json'), true);
    assert.equal(rules.ignores('src/main.ts'), false);
    assert.equal(rules.ignores('README.md'), false);
  });

  it('no file, or an empty one, leaves out nothing; a path it cannot judge is kept', () => {
    assert.equal(gitignoreRules(undefined).ignores('dist/a.js'), false);
    assert.equal(gitignoreRules('  \n').ignores('dist/a.js'), false);
    assert.equal(rules.ignores('../outside.log'), false);
  });

  it('a pattern that names an ignored folder asks for it on purpose', () => {
    assert.equal(patternNamesIgnored('dist/**', rules), true);
    assert.equal(patternNamesIgnored('./dist/*.js', rules), true);
    assert.equal(patternNamesIgnored('**/*.ts', rules), false);
    assert.equal(patternNamesIgnored('src/**/*.ts', rules), false);
    assert.equal(patternNamesIgnored(undefined, rules), false);
  });
});
