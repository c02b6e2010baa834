// App settings → one typed, validated config. The schema below is the only description of the settings;
// README and local.settings.sample.json document the same names.
import { z } from 'zod';
import './zod-messages.js';

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
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
    DSVMPOOL_DISPATCH_RETRY_MAX_SECONDS: positiveInt(300, 3600).describe(
      'Longest wait between two dispatch attempts while Azure Batch is throttling or unavailable; the wait doubles from 5 s up to this. Such a job waits, it never fails.',
    ),
    DSVMPOOL_POOL_TIMEOUT_SECONDS: positiveInt(55, 600).describe(
      'Longest one pool\'s autoscale evaluation may take before it is abandoned and recorded as failed; other pools go on.',
    ),
    DSVMPOOL_MAX_CONCURRENT_DRAINS: positiveInt(50, 500).describe(
      'How many drains (Run Command on a VM about to be removed) one autoscale tick runs at once across all pools; a pool waiting on its drains lets the next pool be evaluated.',
    ),
    DSVMPOOL_DRAIN_TIMEOUT_SECONDS: positiveInt(50, 600).describe(
      'Longest one drain or undrain (Run Command, 20-60 s in Azure) may take; a VM whose drain times out is kept.',
    ),
    DSVMPOOL_LRO_WAIT_SECONDS: positiveInt(40, 600).describe(
      'Longest autoscale waits for an ARM long-running operation it needs the end of (instance protection, Run Command); operations on VMs (start, deallocate, delete, capacity) return once accepted and the next tick observes them.',
    ),
    DSVMPOOL_STORAGE_TIMEOUT_SECONDS: positiveInt(10, 120).describe(
      'Longest one Table or Queue Storage request may take before it is abandoned: an API call then answers 503 STORAGE_UNAVAILABLE instead of hanging while storage does not answer.',
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
    DSVMPOOL_ENTRA_TENANT_ID: optionalString
      .refine((s) => s === undefined || GUID.test(s), { message: 'must be the Directory (tenant) ID, a GUID, not a domain name' })
      .describe('Microsoft Entra tenant id (GUID) whose access tokens the app accepts as Authorization: Bearer.'),
    DSVMPOOL_ENTRA_AUDIENCE: optionalString.describe(
      'Accepted token audiences, comma-separated: the app registration\'s client id and its Application ID URI, e.g. "api://dsvm-pool,<client-id>".',
    ),
    DSVMPOOL_ENTRA_AUTHORITY_HOST: httpsUrl
      .default('https://login.microsoftonline.com')
      .describe('Entra authority host; tokens must be issued by {host}/{tenant}/v2.0 and signed by a key of {host}/{tenant}/discovery/v2.0/keys.'),
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
    if (Boolean(s.DSVMPOOL_ENTRA_TENANT_ID) !== Boolean(s.DSVMPOOL_ENTRA_AUDIENCE)) {
      const missing = s.DSVMPOOL_ENTRA_TENANT_ID ? 'DSVMPOOL_ENTRA_AUDIENCE' : 'DSVMPOOL_ENTRA_TENANT_ID';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'set both DSVMPOOL_ENTRA_TENANT_ID and DSVMPOOL_ENTRA_AUDIENCE to accept Entra bearer tokens, or neither',
      });
    }
  });

export type Settings = z.infer<typeof settingsSchema>;

export interface StorageConfig {
  connectionString?: string;
  tableServiceUri?: string;
  queueServiceUri?: string;
  blobServiceUri?: string;
  /** Longest one storage request (one try) may take, in ms; 0 leaves it to the SDK (no client timeout). */
  tryTimeoutMs?: number;
}

/** Where Entra access tokens come from and whom they must be for (see src/http/bearer-token.ts). */
export interface EntraConfig {
  tenantId: string;
  /** Accepted `aud` values. */
  audiences: string[];
  /** e.g. https://login.microsoftonline.com, without a trailing slash. */
  authorityHost: string;
}

/**
 * Facts the App Service platform injects as read-only environment variables (Learn "Environment variables and app
 * settings in Azure App Service"): never app settings of ours, so they are not in the settings schema.
 */
export interface PlatformConfig {
  /** WEBSITE_AUTH_ENABLED is "true"/"True": App Service authentication is on, so x-ms-client-principal is the platform's. */
  authEnabled: boolean;
  /** WEBSITE_SITE_NAME or WEBSITE_INSTANCE_ID is set: the app runs on App Service / Azure Functions. */
  inAzure: boolean;
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
  /** Undefined when bearer tokens are not configured (then every Authorization header is refused). */
  entra?: EntraConfig;
  platform: PlatformConfig;
  jobsRequeueMinutes: number;
  dispatchRetryMaxSeconds: number;
  poolTimeoutMs: number;
  maxConcurrentDrains: number;
  drainTimeoutMs: number;
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
      tryTimeoutMs: s.DSVMPOOL_STORAGE_TIMEOUT_SECONDS * 1000,
    },
    credential: s.DSVMPOOL_CREDENTIAL,
    armEndpoint: s.DSVMPOOL_ARM_ENDPOINT.replace(/\/+$/, ''),
    batchEndpoint: s.DSVMPOOL_BATCH_ENDPOINT?.replace(/\/+$/, ''),
    tlsCaFile: s.DSVMPOOL_TLS_CA_FILE,
    autoscaleSchedule: s.DSVMPOOL_AUTOSCALE_SCHEDULE,
    jobSyncSchedule: s.DSVMPOOL_JOBSYNC_SCHEDULE,
    maxConcurrentPools: s.DSVMPOOL_MAX_CONCURRENT_POOLS,
    adminRole: s.DSVMPOOL_ADMIN_ROLE,
    entra: entraConfig(s),
    platform: platformOf(env),
    poolTimeoutMs: s.DSVMPOOL_POOL_TIMEOUT_SECONDS * 1000,
    maxConcurrentDrains: s.DSVMPOOL_MAX_CONCURRENT_DRAINS,
    drainTimeoutMs: s.DSVMPOOL_DRAIN_TIMEOUT_SECONDS * 1000,
    lroWaitMs: s.DSVMPOOL_LRO_WAIT_SECONDS * 1000,
    armMaxRetries: s.DSVMPOOL_ARM_MAX_RETRIES,
    jobsRequeueMinutes: s.DSVMPOOL_JOBS_REQUEUE_MINUTES,
    dispatchRetryMaxSeconds: s.DSVMPOOL_DISPATCH_RETRY_MAX_SECONDS,
    poolPrices: s.DSVMPOOL_POOL_PRICES,
  };
}

function entraConfig(s: Settings): EntraConfig | undefined {
  if (!s.DSVMPOOL_ENTRA_TENANT_ID || !s.DSVMPOOL_ENTRA_AUDIENCE) return undefined;
  const audiences = s.DSVMPOOL_ENTRA_AUDIENCE.split(',').map((a) => a.trim()).filter(Boolean);
  return { tenantId: s.DSVMPOOL_ENTRA_TENANT_ID.toLowerCase(), audiences, authorityHost: s.DSVMPOOL_ENTRA_AUTHORITY_HOST.replace(/\/+$/, '') };
}

/** The platform's own variables; WEBSITE_AUTH_ENABLED compared case-insensitively with "true", as
 * Microsoft.Identity.Web's AppServicesAuthenticationInformation does. */
export function platformOf(env: Record<string, string | undefined>): PlatformConfig {
  return {
    authEnabled: (env.WEBSITE_AUTH_ENABLED ?? '').trim().toLowerCase() === 'true',
    inAzure: Boolean(env.WEBSITE_SITE_NAME || env.WEBSITE_INSTANCE_ID),
  };
}

let cached: Config | undefined;
/** The process's config, parsed once. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
