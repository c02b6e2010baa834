// The project brings its own Node 22 (the `node` devDependency): npm scripts and tests must run on it.
import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('is Node.js 22', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(22);
  });
});
