// No secret or key anywhere in infra: no account keys or SAS, no listKeys(), no password literal, shared-key
// access off on both storage accounts and on Batch. The scanner is shown to catch each pattern first.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { infraDir, property, readBicep, resources } from '../../support/infra/bicep-text.js';

const secretPatterns: [string, RegExp][] = [
  ['storage account key', /AccountKey\s*=/i],
  ['connection string with a key', /DefaultEndpointsProtocol=/i],
  ['listKeys()', /\blistKeys\s*\(/i],
  ['listSecrets()/list…Secrets()', /\blist\w*Secrets?\s*\(/i],
  ['SAS token', /[?&]sig=|SharedAccessSignature|\blistAccountSas\s*\(|\blistServiceSas\s*\(/i],
  ['password literal', /\b(admin)?password\w*\s*[:=]\s*['"][^'"]+['"]/i],
  ['instrumentation key literal', /InstrumentationKey=[0-9a-f-]{8,}/i],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['bearer token literal', /Bearer\s+[A-Za-z0-9._-]{20,}/],
];

function findSecrets(text: string): string[] {
  return secretPatterns.filter(([, re]) => re.test(text)).map(([name]) => name);
}

const files = (dir: string): string[] =>
  readdirSync(join(infraDir, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
const infraFiles = [...files('.'), '../azure.yaml'];

describe('no secrets in infra', () => {
  it.each([
    ["value: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc=='", 'storage account key'],
    ['value: storage.listKeys().keys[0].value', 'listKeys()'],
    ["adminPassword: 'Passw0rd!'", 'password literal'],
    ["url: 'https://x.blob.core.windows.net/c?sv=2022&sig=abc'", 'SAS token'],
  ])('the scanner catches %s', (text, name) => {
    expect(findSecrets(text)).toContain(name);
  });

  it.each(infraFiles)('%s holds no secret or key', (file) => {
    expect(findSecrets(readFileSync(join(infraDir, file), 'utf8'))).toEqual([]);
  });

  it('turns shared-key access off on every storage account and allows only Entra auth on Batch', () => {
    const accounts = ['app/storage.bicep', 'app/files.bicep'].flatMap((f) =>
      resources(readBicep(f)).filter((r) => r.type === 'Microsoft.Storage/storageAccounts' && !r.existing),
    );
    expect(accounts).toHaveLength(2);
    for (const a of accounts) expect(property(a.body, 'allowSharedKeyAccess')).toBe('false');
    const batch = resources(readBicep('app/batch.bicep')).find((r) => r.type === 'Microsoft.Batch/batchAccounts')!;
    expect(property(batch.body, 'allowedAuthenticationModes')).toBe("['AAD']");
  });

  it('logs in to the DSVMs with an SSH public key only', () => {
    const pool = readBicep('app/pool.bicep');
    expect(property(pool, 'disablePasswordAuthentication')).toBe('true');
    expect(pool).not.toMatch(/adminPassword/);
  });

  it('has no @secure() parameter with a default value', () => {
    for (const file of infraFiles.filter((f) => f.endsWith('.bicep'))) {
      expect(readBicep(file)).not.toMatch(/@secure\(\)\s*param\s+\w+\s+\w+\s*=/);
    }
  });
});
