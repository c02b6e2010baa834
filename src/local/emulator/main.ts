// `npm run emulator`: the emulator alone, with the demo scale set and the GPU/CPU Batch pools, at 60× real time.
// Prints the URL and the CA file for clients (curl --cacert, SDK tlsOptions.ca), and how to mint an Entra token.
import { resolve } from 'node:path';
import { startEmulator } from './index.js';

const DEMO_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

const port = Number(process.env.EMULATOR_PORT ?? 7443);
const speed = Number(process.env.EMULATOR_SPEED ?? 60);
const connectionInfoFile = resolve(process.env.EMULATOR_INFO_FILE ?? '.local/emulator.json');

const emulator = await startEmulator({ port, clock: { speed }, connectionInfoFile, log: (line) => console.error(line) });
const vmss = emulator.compute.createScaleSet({ subscriptionId: DEMO_SUBSCRIPTION, resourceGroup: 'dsvm-pool-demo', name: 'dsvm-demo', capacity: 0 });
emulator.batch.createPool({ id: 'gpu', vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1, cpusPerNode: 4, memoryGiBPerNode: 28, targetDedicatedNodes: 0 });
emulator.batch.createPool({ id: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16, targetDedicatedNodes: 0 });

const caFile = resolve(connectionInfoFile, '..', 'emulator-ca.pem');
console.log(`dsvm-pool emulator at ${emulator.url} (simulated time ×${speed})`);
console.log(`CA certificate: ${caFile}`);
console.log(`demo scale set: ${vmss}`);
console.log(`state: curl --cacert ${caFile} ${emulator.url}/_emulator/state`);
console.log(`Entra tenant ${emulator.entra.tenantId}, issuer ${emulator.entra.issuer}`);
console.log(`token: curl --cacert ${caFile} -X POST ${emulator.url}/_emulator/entra/token -H 'content-type: application/json' -d '{"user":"you@example.com","roles":["DsvmPool.User"]}'`);

const stop = async () => {
  await emulator.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
