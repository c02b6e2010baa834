// App settings → typed config: defaults, and a missing or malformed setting named with what it should look like.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const storage = { AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

function problemsOf(env: Record<string, string>): { setting: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default from the schema', () => {
    const c = loadConfig(storage);
    expect(c).toMatchObject({
      credential: 'default',
      armEndpoint: 'https://management.azure.com',
      autoscaleSchedule: '0 */1 * * * *',
      jobSyncSchedule: '30 */1 * * * *',
      maxConcurrentPools: 8,
      adminRole: 'DsvmPool.Admin',
    });
    expect(c.storage.connectionString).toBe('UseDevelopmentStorage=true');
  });

  it('derives the service URIs from an identity-based account name', () => {
    const c = loadConfig({ AzureWebJobsStorage__accountName: 'acct' });
    expect(c.storage).toMatchObject({
      tableServiceUri: 'https://acct.table.core.windows.net',
      queueServiceUri: 'https://acct.queue.core.windows.net',
    });
  });

  it('names AzureWebJobsStorage when no storage is configured', () => {
    const problems = problemsOf({});
    expect(problems.map((p) => p.setting)).toEqual(['AzureWebJobsStorage']);
    expect(problems[0]!.message).toMatch(/AzureWebJobsStorage__accountName/);
  });

  it.each([
    ['DSVMPOOL_AUTOSCALE_SCHEDULE', '*/5 * * * *', /6 fields, seconds first/],
    ['DSVMPOOL_ARM_ENDPOINT', 'http://management.azure.com', /https/],
    ['DSVMPOOL_ARM_ENDPOINT', 'not a url', /absolute URL/],
    ['DSVMPOOL_MAX_CONCURRENT_POOLS', 'many', /whole number/],
    ['DSVMPOOL_MAX_CONCURRENT_POOLS', '0', /at least 1/],
    ['DSVMPOOL_CREDENTIAL', 'managed', /"default".*"emulator"/],
  ])('names %s when it is %j', (setting, value, message) => {
    const problems = problemsOf({ ...storage, [setting]: value });
    expect(problems.map((p) => p.setting)).toEqual(expect.arrayContaining([setting]));
    expect(problems.every((p) => p.setting === setting)).toBe(true);
    expect(problems.some((p) => message.test(p.message))).toBe(true);
  });

  it('says where to look in the error message', () => {
    expect(() => loadConfig({ ...storage, DSVMPOOL_MAX_CONCURRENT_POOLS: 'x' })).toThrow(
      /DSVMPOOL_MAX_CONCURRENT_POOLS: must be a whole number[\s\S]*local\.settings\.sample\.json/,
    );
  });
});
