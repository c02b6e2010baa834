import { describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';

const ok = { name: 'train-1', commandLine: 'python train.py' };

describe('job spec', () => {
  it('fills defaults', () => {
    expect(jobSpecSchema.parse(ok)).toMatchObject({ resources: { gpus: 0, cpus: 1, memoryGiB: 1 }, pool: 'auto', env: {}, inputs: [] });
  });

  it.each([
    [{ name: 'bad name!' }, 'name'],
    [{ name: '' }, 'name'],
    [{ commandLine: '' }, 'commandLine'],
    [{ resources: { gpus: 99 } }, 'resources.gpus'],
    [{ resources: { cpus: 0 } }, 'resources.cpus'],
    [{ resources: { memoryGiB: -1 } }, 'resources.memoryGiB'],
    [{ pool: 'a b' }, 'pool'],
    [{ env: { '1BAD': 'x' } }, 'env.1BAD'],
    [{ env: { AZ_BATCH_NODE_ID: 'x' } }, 'env.AZ_BATCH_NODE_ID'],
    [{ timeoutMinutes: 0 }, 'timeoutMinutes'],
    [{ retries: 11 }, 'retries'],
    [{ inputs: [{ url: 'http://plain.example/x', path: 'x' }] }, 'inputs.0'],
    [{ inputs: [{ url: 'https://a.blob.core.windows.net/c/x', path: '../etc/passwd' }] }, 'inputs.0'],
    [{ output: { containerUrl: 'ftp://x' } }, 'output.containerUrl'],
    [{ containerImage: 'ubuntu; rm -rf /' }, 'containerImage'],
    [{ extra: 1 }, ''],
  ])('rejects %j naming %s', (patch, field) => {
    const r = jobSpecSchema.safeParse({ ...ok, ...patch });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths.some((p) => p === field || p.startsWith(field))).toBe(true);
  });

  it('accepts files from a URL and a container and an output container', () => {
    const r = jobSpecSchema.safeParse({
      ...ok,
      inputs: [{ url: 'https://a.blob.core.windows.net/c/data.csv', path: 'data/data.csv' }, { containerUrl: 'https://a.blob.core.windows.net/c', blobPrefix: 'set1/' }],
      output: { containerUrl: 'https://a.blob.core.windows.net/out' },
    });
    expect(r.success).toBe(true);
  });
});
