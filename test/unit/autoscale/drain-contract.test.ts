import { describe, expect, it } from 'vitest';
import { DRAIN_COMMAND, parseDrainOutput, UNDRAIN_COMMAND } from '../../../src/autoscale/drain-contract.js';
import { readFileSync } from 'node:fs';

const runCommandMessage = (stdout: string, stderr = '') => `Enable succeeded: \n[stdout]\n${stdout}\n[stderr]\n${stderr}\n`;

describe('drain contract', () => {
  it('runs the reporter where install-reporter.sh installs it', () => {
    const script = readFileSync(new URL('../../../infra/vm/install-reporter.sh', import.meta.url), 'utf8');
    const installDir = /^src=(\S+)$/m.exec(script)?.[1];
    expect(installDir).toBeDefined();
    expect(DRAIN_COMMAND).toBe(`${installDir}/session_reporter.py --drain --drain-minutes 15`);
    expect(UNDRAIN_COMMAND).toBe(`${installDir}/session_reporter.py --undrain`);
  });

  it('reads the counts from the Run Command message', () => {
    expect(parseDrainOutput(runCommandMessage('{"drained":true,"ssh":1,"jupyter":2}'))).toEqual({ ok: true, counts: { ssh: 1, jupyter: 2, unknown: [] } });
  });

  it('reads bare stdout and takes the last answer line after log lines', () => {
    expect(parseDrainOutput('starting\n{"drained":true,"ssh":0,"jupyter":0}\n')).toEqual({ ok: true, counts: { ssh: 0, jupyter: 0, unknown: [] } });
  });

  it('keeps the kinds the VM could not count', () => {
    expect(parseDrainOutput(runCommandMessage('{"drained":true,"ssh":0,"jupyter":0,"unknown":["jupyter"]}'))).toEqual({ ok: true, counts: { ssh: 0, jupyter: 0, unknown: ['jupyter'] } });
  });

  it('treats a missing count as unknown', () => {
    expect(parseDrainOutput('{"drained":true,"ssh":0}')).toEqual({ ok: true, counts: { ssh: 0, jupyter: 0, unknown: ['jupyter'] } });
  });

  it('ignores what is on stderr', () => {
    const parsed = parseDrainOutput(runCommandMessage('', '{"drained":true,"ssh":0,"jupyter":0}'));
    expect(parsed.ok).toBe(false);
  });

  it.each([
    ['empty stdout', ''],
    ['not JSON', 'Traceback (most recent call last):'],
    ['an undrain answer', '{"drained":false}'],
    ['a negative count', '{"drained":true,"ssh":-1,"jupyter":0}'],
    ['a fractional count', '{"drained":true,"ssh":0.5,"jupyter":0}'],
    ['a bad unknown list', '{"drained":true,"ssh":0,"jupyter":0,"unknown":["gpu"]}'],
  ])('rejects %s', (_name, stdout) => {
    const parsed = parseDrainOutput(runCommandMessage(stdout));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/\S/);
  });
});
