// The project's own host.json governs retries of the `jobs` queue: README promises that a message whose function
// keeps failing is tried 5 times (maxDequeueCount) and then moved to `<queue>-poison`. This test reads the
// project's host.json as deployed and runs a failing queue function under it on the local host; only the timing
// settings are shortened (visibilityTimeout 0, polling 1 s) so the five tries take seconds, not a minute.
import { QueueClient } from '@azure/storage-queue';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../src/local/host/index.js';
import { startAzurite, type TestAzurite } from '../../support/azurite.js';
import { projectRoot } from '../../support/stack.js';

const EXPECTED_TRIES = 5;
const key = Symbol.for('project-host-json.tries');
const tries = (): number[] => (globalThis as unknown as Record<symbol, number[]>)[key] ?? [];

describe("the project's host.json: poison after maxDequeueCount", () => {
  let azurite: TestAzurite;
  let host: RunningHost;
  // Inside the project so that the app resolves @azure/functions from the project's node_modules.
  const appRoot = join(projectRoot, '.local', `host-json-app-${process.pid}`);

  beforeAll(async () => {
    const hostJson = JSON.parse(readFileSync(join(projectRoot, 'host.json'), 'utf8'));
    hostJson.extensions.queues.visibilityTimeout = '00:00:00';
    hostJson.extensions.queues.maxPollingInterval = '00:00:01';
    mkdirSync(join(appRoot, 'functions'), { recursive: true });
    writeFileSync(join(appRoot, 'host.json'), JSON.stringify(hostJson));
    writeFileSync(join(appRoot, 'package.json'), JSON.stringify({ name: 'host-json-app', private: true, type: 'module', main: 'functions/*.js' }));
    writeFileSync(
      join(appRoot, 'functions', 'fails.js'),
      `import { app } from '@azure/functions';
const key = Symbol.for('project-host-json.tries');
globalThis[key] ??= [];
app.storageQueue('alwaysFails', { queueName: 'jobs', connection: 'AzureWebJobsStorage', handler: async (m, context) => {
  globalThis[key].push(context.triggerMetadata.dequeueCount);
  throw new Error('always fails');
} });
`,
    );
    azurite = await startAzurite();
    await new QueueClient(azurite.connectionString, 'jobs').create();
    host = await startHost({ appRoot, port: 0, timers: 'manual', env: { AzureWebJobsStorage: azurite.connectionString }, log: () => undefined });
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
    rmSync(appRoot, { recursive: true, force: true });
  });

  it(`tries a failing jobs message ${EXPECTED_TRIES} times, then moves it to jobs-poison`, async () => {
    const text = Buffer.from(JSON.stringify({ jobId: 'j-poison' })).toString('base64');
    await new QueueClient(azurite.connectionString, 'jobs').sendMessage(text);
    const poison = new QueueClient(azurite.connectionString, 'jobs-poison');
    await expect.poll(async () => (await poison.exists()) && (await poison.peekMessages()).peekedMessageItems.length, { timeout: 30_000 }).toBe(1);
    expect(tries()).toEqual([1, 2, 3, 4, 5]);
    expect((await poison.peekMessages()).peekedMessageItems[0]!.messageText).toBe(text);
  });
});
