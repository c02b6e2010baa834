// Post-provision hook (azure.yaml): writes the default policy rows into the `policies` table when they are
// missing, and never overwrites a row an admin has edited. azd passes main.bicep's outputs as environment
// variables. `--print` prints the rows and writes nothing (test/unit/infra validates them with the app's schema).
import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';

// What one Batch node offers, for the sizes the parameters file suggests. Other sizes: set
// BATCH_GPU_POOL_SHAPE / BATCH_CPU_POOL_SHAPE to "gpus,vcpus,memoryGiB".
const knownSizes = {
  Standard_NC4as_T4_v3: [1, 4, 28],
  Standard_NC8as_T4_v3: [1, 8, 56],
  Standard_NC16as_T4_v3: [1, 16, 110],
  Standard_NC64as_T4_v3: [4, 64, 440],
  Standard_NC24ads_A100_v4: [1, 24, 220],
  Standard_NC48ads_A100_v4: [2, 48, 440],
  Standard_NC96ads_A100_v4: [4, 96, 880],
  Standard_D4s_v5: [0, 4, 16],
  Standard_D8s_v5: [0, 8, 32],
  Standard_D16s_v5: [0, 16, 64],
  Standard_D32s_v5: [0, 32, 128],
};

function required(name) {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set; run this through azd (it passes the provisioning outputs) or export it.`);
  return value;
}

function whole(name) {
  const value = Number(required(name));
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got "${process.env[name]}"`);
  return value;
}

function shape(vmSizeVar, shapeVar) {
  const vmSize = required(vmSizeVar);
  const given = process.env[shapeVar]?.trim();
  const [gpus, cpus, memory] = given ? given.split(',').map(Number) : (knownSizes[vmSize] ?? []);
  if (![gpus, cpus, memory].every((n) => Number.isFinite(n))) {
    throw new Error(`Unknown VM size ${vmSize}: set ${shapeVar}="gpus,vcpus,memoryGiB" for it.`);
  }
  return { vmSize, gpusPerNode: gpus, cpusPerNode: cpus, memoryGiBPerNode: memory };
}

export function defaultPolicyRows() {
  return [
    {
      partitionKey: 'pool',
      rowKey: 'interactive',
      kind: 'vmss',
      target: required('POOL_VMSS_ID'),
      enabled: true,
      dryRun: false,
      minInstances: 0,
      maxInstances: whole('POOL_MAX_INSTANCES'),
      seatsPerInstance: whole('POOL_SEATS_PER_INSTANCE'),
      spareSeats: 0,
      idleMinutesBeforeScaleIn: 5,
      scaleToZero: true,
      scaleInAction: 'deallocate',
      connectUrl: required('POOL_CONNECT_URL'),
    },
    {
      partitionKey: 'pool',
      rowKey: 'gpu',
      kind: 'batch',
      poolId: 'gpu',
      enabled: true,
      minNodes: 0,
      maxNodes: whole('BATCH_GPU_POOL_MAX_NODES'),
      idleMinutesBeforeScaleDown: 10,
      ...shape('BATCH_GPU_POOL_VM_SIZE', 'BATCH_GPU_POOL_SHAPE'),
    },
    {
      partitionKey: 'pool',
      rowKey: 'cpu',
      kind: 'batch',
      poolId: 'cpu',
      enabled: true,
      minNodes: 0,
      maxNodes: whole('BATCH_CPU_POOL_MAX_NODES'),
      idleMinutesBeforeScaleDown: 10,
      ...shape('BATCH_CPU_POOL_VM_SIZE', 'BATCH_CPU_POOL_SHAPE'),
    },
  ];
}

async function seed(rows) {
  const table = new TableClient(required('APP_TABLE_ENDPOINT'), 'policies', new DefaultAzureCredential());
  for (const row of rows) {
    // A fresh role assignment can take a few minutes to apply: retry 403 for up to about 5 minutes.
    for (let attempt = 1; ; attempt++) {
      try {
        await table.createEntity(row);
        console.log(`policy ${row.rowKey}: created`);
        break;
      } catch (error) {
        if (error.statusCode === 409) {
          console.log(`policy ${row.rowKey}: exists, left as it is`);
          break;
        }
        if (error.statusCode === 403 && attempt < 20) {
          console.log(`policy ${row.rowKey}: not authorized yet (role assignment propagating), retrying in 15 s`);
          await new Promise((r) => setTimeout(r, 15_000));
          continue;
        }
        throw error;
      }
    }
  }
}

const rows = defaultPolicyRows();
if (process.argv.includes('--print')) console.log(JSON.stringify(rows, null, 2));
else await seed(rows);
