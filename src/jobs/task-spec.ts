// The Batch task for a job: container settings, environment, constraints, slots, input and output files. Pure.
import type { DescribedPool } from './batch-policy.js';
import type { TaskSpec } from './batch.port.js';
import type { JobRecord } from './job-record.js';
import { taskIdOf } from './job-record.js';

/** The task of a job, or of index `index` of an array job (DSVMPOOL_ARRAY_INDEX in its environment). */
export function taskSpecFor(record: JobRecord, policy: DescribedPool, requiredSlots: number, index?: number): TaskSpec {
  const spec = record.spec;
  const env = Object.entries(spec.env).map(([name, value]) => ({ name, value }));
  env.push({ name: 'DSVMPOOL_JOB_ID', value: record.id }, { name: 'DSVMPOOL_JOB_NAME', value: spec.name });
  if (index !== undefined) env.push({ name: 'DSVMPOOL_ARRAY_INDEX', value: String(index) }, { name: 'DSVMPOOL_ARRAY_SIZE', value: String(spec.array!.size) });
  const outputFiles = spec.output
    ? [
        { filePattern: spec.output.filePattern, containerUrl: spec.output.containerUrl, path: `${spec.output.path ?? record.id}${index === undefined ? '' : `/${index}`}` },
        // stdout/stderr live one level above the task's working directory.
        { filePattern: '../std*.txt', containerUrl: spec.output.containerUrl, path: `${spec.output.path ?? record.id}/logs${index === undefined ? '' : `/${index}`}` },
      ]
    : [];
  return {
    id: taskIdOf(record.id, index),
    displayName: index === undefined ? spec.name : `${spec.name}[${index}]`,
    commandLine: spec.commandLine,
    containerImage: spec.containerImage,
    containerRunOptions: spec.containerImage && spec.resources.gpus > 0 ? '--gpus all' : undefined,
    env,
    maxWallClockMinutes: spec.timeoutMinutes ?? policy.defaultTimeoutMinutes,
    maxTaskRetryCount: spec.retries ?? policy.defaultRetries,
    requiredSlots,
    resourceFiles: spec.inputs.map((i) =>
      'url' in i ? { httpUrl: i.url, filePath: i.path } : { storageContainerUrl: i.containerUrl, blobPrefix: i.blobPrefix, filePath: i.path },
    ),
    outputFiles,
  };
}
