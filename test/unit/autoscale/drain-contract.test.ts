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
  it('takes the last of several answer lines', () => {
    expect(parseDrainOutput('{"drained":true,"ssh":1,"jupyter":0}\n{"drained":true,"ssh":2,"jupyter":0}')).toEqual({ ok: true, counts: { ssh: 2, jupyter: 0, unknown: [] } });
  });

  it('reads an answer line with surrounding blanks and a carriage return', () => {
    expect(parseDrainOutput(runCommandMessage('  {"drained":true,"ssh":3,"jupyter":1}\r'))).toEqual({ ok: true, counts: { ssh: 3, jupyter: 1, unknown: [] } });
  });

  it('skips a line that starts like JSON but is not', () => {
    expect(parseDrainOutput('{"drained":true,"ssh":4,"jupyter":0}\n{"drained": tru')).toEqual({ ok: true, counts: { ssh: 4, jupyter: 0, unknown: [] } });
  });

  it('treats a null count as unknown', () => {
    expect(parseDrainOutput('{"drained":true,"ssh":null,"jupyter":0}')).toEqual({ ok: true, counts: { ssh: 0, jupyter: 0, unknown: ['ssh'] } });
  });

  it('lists a kind once when it is both reported unknown and missing', () => {
    expect(parseDrainOutput('{"drained":true,"ssh":0,"unknown":["jupyter"]}')).toEqual({ ok: true, counts: { ssh: 0, jupyter: 0, unknown: ['jupyter'] } });
  });

  it('accepts both kinds in the unknown list', () => {
    expect(parseDrainOutput('{"drained":true,"ssh":0,"jupyter":0,"unknown":["ssh","jupyter"]}')).toEqual({ ok: true, counts: { ssh: 0, jupyter: 0, unknown: ['ssh', 'jupyter'] } });
  });

  it.each([
    ['one bad kind among good ones', '["ssh","gpu"]'],
    ['a bare string', '"ssh"'],
  ])('rejects an unknown list with %s', (_name, list) => {
    expect(parseDrainOutput(`{"drained":true,"ssh":0,"jupyter":0,"unknown":${list}}`)).toEqual({ ok: false, error: `"unknown" must be a list of "ssh"/"jupyter", got ${list}` });
  });

  it('reads stdout when the message starts with its [stdout] marker', () => {
    const message = '[stdout]\n{"drained":true,"ssh":1,"jupyter":0}\n[stderr]\n{"drained":true,"ssh":9,"jupyter":9}\n';
    expect(parseDrainOutput(message)).toEqual({ ok: true, counts: { ssh: 1, jupyter: 0, unknown: [] } });
  });

  it('reads stdout to the end when there is no [stderr] marker', () => {
    expect(parseDrainOutput('[stdout]\n{"drained":true,"ssh":1,"jupyter":0}')).toEqual({ ok: true, counts: { ssh: 1, jupyter: 0, unknown: [] } });
  });

  it('reads an empty stdout when [stderr] follows [stdout] at once', () => {
    expect(parseDrainOutput('[stdout][stderr]\n{"drained":true,"ssh":0,"jupyter":0}')).toEqual({ ok: false, error: 'no drain answer on stdout: ""' });
  });

  it('quotes only the stdout part of the message when there is no answer', () => {
    expect(parseDrainOutput(runCommandMessage('Traceback', 'boom'))).toEqual({ ok: false, error: 'no drain answer on stdout: "\\nTraceback\\n"' });
  });

  it('quotes at most 200 characters of stdout', () => {
    expect(parseDrainOutput('x'.repeat(201))).toEqual({ ok: false, error: `no drain answer on stdout: "${'x'.repeat(200)}"` });
  });
});
