// Which files the host loads: those matching package.json `main`, as the worker's glob does.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entryFiles } from '../../../src/local/host/app-loader.js';

const fixture = fileURLToPath(new URL('../../fixtures/host-app', import.meta.url));

describe('entryFiles', () => {
  it('lists the files matched by the main glob, sorted, relative to the app root', () => {
    expect(entryFiles(fixture, 'functions/*.js')).toEqual(['functions/hooks.js', 'functions/http.js', 'functions/queue.js', 'functions/timer.js']);
  });

  it('accepts a leading ./ and a single file', () => {
    expect(entryFiles(fixture, './functions/queue.js')).toEqual(['functions/queue.js']);
  });

  it('does not match helper modules outside the glob', () => {
    expect(entryFiles(fixture, '{functions,lib}/*.js')).toContain('lib/events.js');
    expect(entryFiles(fixture, 'functions/*.js')).not.toContain('lib/events.js');
  });
});
