// Child process of the start-up benchmark: loads the compiled app in a local host (one host per process) and
// prints how long each entry file took to import, as JSON on stdout.
import { fileURLToPath } from 'node:url';
import { startHost } from '../../src/local/host/index.js';
import { settingDefaults } from '../support/stack.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const started = performance.now();
const host = await startHost({
  appRoot: root,
  port: 0,
  timers: 'manual',
  env: { ...settingDefaults(), AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
  log: () => undefined,
});
const hostStartMs = performance.now() - started;
await host.stop();
console.log(JSON.stringify({ entries: host.entryLoadMs, hostStartMs }));
