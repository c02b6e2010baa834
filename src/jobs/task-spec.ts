// The Batch task for a job: container settings, environment, constraints, slots, input and output files. Pure.
import type { NamedBatchPolicy } from './batch-policy.js';
import type { TaskSpec } from './batch.port.js';
import type { JobRecord } from './job-record.js';
import { taskIdOf } from './job-record.js';

export function taskSpecFor(record: JobRecord, policy: NamedBatchPolicy, requiredSlots: number): TaskSpec {
  const spec = record.spec;
  const env = Object.entries(spec.env).map(([name, value]) => ({ name, value }));
  env.push({ name: 'DSVMPOOL_JOB_ID', value: record.id }, { name: 'DSVMPOOL_JOB_NAME', value: spec.name });
  const outputFiles = spec.output
    ? [
        { filePattern: spec.output.filePattern, containerUrl: spec.output.containerUrl, path: spec.output.path ?? record.id },
        // stdout/stderr live one level above the task's working directory.
        { filePattern: '../std*.txt', containerUrl: spec.output.containerUrl, path: `${spec.output.path ?? record.id}/logs` },
      ]
    : [];
  return {
    id: taskIdOf(record.id),
    displayName: spec.name,
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
