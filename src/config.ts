// App settings → one typed, validated config. The schema below is the only description of the settings;
// README and local.settings.sample.json document the same names.
import { z } from 'zod';

const ncrontab = z
  .string()
  .trim()
  .refine((s) => s.split(/\s+/).length === 6, {
    message: 'must be an NCRONTAB expression with 6 fields, seconds first, e.g. "0 */1 * * * *"',
  });
const httpsUrl = z
  .string()
  .trim()
  .url({ message: 'must be an absolute URL, e.g. "https://management.azure.com"' })
  .refine((s) => s.startsWith('https://'), { message: 'must use https://' });
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s === '' ? undefined : s));
const positiveInt = (fallback: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(max, { message: `must be at most ${max}` })
    .default(fallback);

const poolPricesSchema = z.record(z.string(), z.object({ vmSize: z.string().min(1), vmPerHour: z.number().nonnegative() }).strict());

/** Every setting the app reads, with its default. Names are the app-setting names as they appear in Azure. */
export const settingsSchema = z
  .object({
    AzureWebJobsStorage: optionalString.describe(
      'Storage connection string (local only; e.g. "UseDevelopmentStorage=true"). In Azure use the identity-based __tableServiceUri/__queueServiceUri settings instead.',
    ),
    AzureWebJobsStorage__accountName: optionalString.describe('Storage account name, for identity-based connections.'),
    AzureWebJobsStorage__tableServiceUri: optionalString.describe('Table endpoint, e.g. https://acct.table.core.windows.net.'),
    AzureWebJobsStorage__queueServiceUri: optionalString.describe('Queue endpoint, e.g. https://acct.queue.core.windows.net.'),
    AzureWebJobsStorage__blobServiceUri: optionalString.describe('Blob endpoint, e.g. https://acct.blob.core.windows.net.'),
    AZURE_CLIENT_ID: optionalString.describe('Client id of the user-assigned managed identity (read by DefaultAzureCredential).'),
    DSVMPOOL_CREDENTIAL: z
      .enum(['default', 'emulator'], { message: 'must be "default" (DefaultAzureCredential) or "emulator" (local only)' })
      .default('default')
      .describe('How the app authenticates to ARM, Monitor and Batch.'),
    DSVMPOOL_ARM_ENDPOINT: httpsUrl.default('https://management.azure.com').describe('Azure Resource Manager endpoint.'),
    DSVMPOOL_BATCH_ENDPOINT: httpsUrl
      .optional()
      .describe('Batch account endpoint, e.g. https://myaccount.westeurope.batch.azure.com. Needed for the job service.'),
    DSVMPOOL_TLS_CA_FILE: optionalString.describe('Extra CA certificate (PEM) to trust; only for the local emulator.'),
    DSVMPOOL_AUTOSCALE_SCHEDULE: ncrontab.default('0 */1 * * * *').describe('When the autoscale timer runs.'),
    DSVMPOOL_JOBSYNC_SCHEDULE: ncrontab.default('30 */1 * * * *').describe('When the job sync timer runs.'),
    DSVMPOOL_MAX_CONCURRENT_POOLS: positiveInt(8, 64).describe('How many pools one autoscale tick evaluates at once.'),
    DSVMPOOL_ADMIN_ROLE: z.string().trim().min(1).default('DsvmPool.Admin').describe('App role that makes a caller an admin.'),
    DSVMPOOL_JOBS_REQUEUE_MINUTES: positiveInt(5, 1440).describe(
      'Job sync re-enqueues a job still queued (or dispatching) after this many minutes, e.g. when its queue message was lost.',
    ),
    DSVMPOOL_POOL_TIMEOUT_SECONDS: positiveInt(55, 600).describe(
      'Longest one pool\'s autoscale evaluation may take before it is abandoned and recorded as failed; other pools go on.',
    ),
    DSVMPOOL_LRO_WAIT_SECONDS: positiveInt(40, 600).describe(
      'Longest autoscale waits for one ARM long-running operation (start, deallocate, capacity); the next tick re-observes.',
    ),
    DSVMPOOL_ARM_MAX_RETRIES: z.coerce
      .number({ message: 'must be a whole number' })
      .int({ message: 'must be a whole number' })
      .min(0, { message: 'must be at least 0' })
      .max(10, { message: 'must be at most 10' })
      .default(2)
      .describe('SDK retries of a throttled (429) or unavailable (5xx) ARM/Monitor call before autoscale records the failure.'),
    DSVMPOOL_POOL_PRICES: z
      .string()
      .trim()
      .default('{}')
      .transform((text, ctx) => {
        try {
          return poolPricesSchema.parse(JSON.parse(text === '' ? '{}' : text));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON like {"interactive": {"vmSize": "Standard_D4s_v5", "vmPerHour": 0.192}}: pool name → VM size and USD per VM-hour' });
          return z.NEVER;
        }
      })
      .describe('Dashboard cost estimates: per pool, its VM size and pay-as-you-go USD per VM-hour. Pools not named use Standard_D4s_v5 at $0.192/h (the simulator\'s default).'),
    DSVMPOOL_DEV_IDENTITY: optionalString.describe(
      'Local only: the caller assumed when a request has no x-ms-client-principal header, as "name" or "name:admin". Leave empty in Azure.',
    ),
  })
  .superRefine((s, ctx) => {
    if (!s.AzureWebJobsStorage && !s.AzureWebJobsStorage__accountName && !s.AzureWebJobsStorage__tableServiceUri) {
      ctx.addIssue({
        code: 'custom',
        path: ['AzureWebJobsStorage'],
        message:
          'storage is not configured: set AzureWebJobsStorage (a connection string, locally) or AzureWebJobsStorage__accountName (identity-based, in Azure)',
      });
    }
  });

export type Settings = z.infer<typeof settingsSchema>;

export interface StorageConfig {
  connectionString?: string;
  tableServiceUri?: string;
  queueServiceUri?: string;
  blobServiceUri?: string;
}

export interface Config {
  storage: StorageConfig;
  credential: 'default' | 'emulator';
  armEndpoint: string;
  batchEndpoint?: string;
  tlsCaFile?: string;
  autoscaleSchedule: string;
  jobSyncSchedule: string;
  maxConcurrentPools: number;
  adminRole: string;
  devIdentity?: string;
  jobsRequeueMinutes: number;
  poolTimeoutMs: number;
  lroWaitMs: number;
  armMaxRetries: number;
  /** Per pool name: VM size and USD per VM-hour, for the dashboard's cost estimates. */
  poolPrices: Record<string, { vmSize: string; vmPerHour: number }>;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: { setting: string; message: string }[]) {
    super(
      'Invalid app settings:\n' +
        problems.map((p) => `  - ${p.setting}: ${p.message}`).join('\n') +
        '\nSee local.settings.sample.json for what each setting should look like.',
    );
    this.name = 'ConfigError';
  }
}

/** Parses app settings (process.env by default). Throws ConfigError naming each bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ setting: String(i.path[0] ?? '(settings)'), message: i.message })),
    );
  }
  const s = parsed.data;
  const account = s.AzureWebJobsStorage__accountName;
  return {
    storage: {
      connectionString: s.AzureWebJobsStorage,
      tableServiceUri: s.AzureWebJobsStorage__tableServiceUri ?? (account && `https://${account}.table.core.windows.net`),
      queueServiceUri: s.AzureWebJobsStorage__queueServiceUri ?? (account && `https://${account}.queue.core.windows.net`),
      blobServiceUri: s.AzureWebJobsStorage__blobServiceUri ?? (account && `https://${account}.blob.core.windows.net`),
    },
    credential: s.DSVMPOOL_CREDENTIAL,
    armEndpoint: s.DSVMPOOL_ARM_ENDPOINT.replace(/\/+$/, ''),
    batchEndpoint: s.DSVMPOOL_BATCH_ENDPOINT?.replace(/\/+$/, ''),
    tlsCaFile: s.DSVMPOOL_TLS_CA_FILE,
    autoscaleSchedule: s.DSVMPOOL_AUTOSCALE_SCHEDULE,
    jobSyncSchedule: s.DSVMPOOL_JOBSYNC_SCHEDULE,
    maxConcurrentPools: s.DSVMPOOL_MAX_CONCURRENT_POOLS,
    adminRole: s.DSVMPOOL_ADMIN_ROLE,
    devIdentity: s.DSVMPOOL_DEV_IDENTITY,
    poolTimeoutMs: s.DSVMPOOL_POOL_TIMEOUT_SECONDS * 1000,
    lroWaitMs: s.DSVMPOOL_LRO_WAIT_SECONDS * 1000,
    armMaxRetries: s.DSVMPOOL_ARM_MAX_RETRIES,
    jobsRequeueMinutes: s.DSVMPOOL_JOBS_REQUEUE_MINUTES,
    poolPrices: s.DSVMPOOL_POOL_PRICES,
  };
}

let cached: Config | undefined;
/** The process's config, parsed once. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
