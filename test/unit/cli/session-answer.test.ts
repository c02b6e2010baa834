// What the CLI makes of the broker's answer: the URL and the ssh command from either endpoint shape, nothing from a
// null or broken one, and the line a waiting person reads.
import { describe, expect, it } from 'vitest';
import { endpointOf, jupyterTarget, shellLine, sshArgv, waitKey, waitLine, type SessionAnswer } from '../../../src/cli/session-answer.js';

const placed = (fields: Partial<Extract<SessionAnswer, { outcome: 'placed' }>> = {}): Extract<SessionAnswer, { outcome: 'placed' }> => ({ outcome: 'placed', instanceId: '3', ready: true, endpoint: null, connectUrl: null, ...fields });

describe('endpointOf', () => {
  it.each([
    [{ address: '20.1.2.3', port: 50003 }, { host: '20.1.2.3', port: 50003 }],
    [{ host: 'lab.westeurope.cloudapp.azure.com', port: 50004 }, { host: 'lab.westeurope.cloudapp.azure.com', port: 50004 }],
    [{ host: 'h', address: 'a', port: 22 }, { host: 'h', port: 22 }],
    [null, undefined],
    [undefined, undefined],
    [{ address: '20.1.2.3' }, undefined],
    [{ address: '', port: 22 }, undefined],
    [{ host: 'h', port: 0 }, undefined],
    [{ host: 'h', port: 70000 }, undefined],
  ])('%j → %j', (e, expected) => {
    expect(endpointOf(e as never)).toEqual(expected);
  });
});

describe('jupyterTarget', () => {
  it('prefers the pool\'s connectUrl (where the hub\'s sign-in returns), else the VM\'s own NAT port over TLS, else nothing', () => {
    expect(jupyterTarget(placed({ endpoint: { address: '20.1.2.3', port: 51003 }, connectUrl: 'https://hub.example.com/' }))).toEqual({ url: 'https://hub.example.com/', vm: false });
    expect(jupyterTarget(placed({ endpoint: { address: '20.1.2.3', port: 51003 } }))).toEqual({ url: 'https://20.1.2.3:51003/', vm: true });
    expect(jupyterTarget(placed({ endpoint: { host: 'fd00::5', port: 51003 } }))).toEqual({ url: 'https://[fd00::5]:51003/', vm: true });
    expect(jupyterTarget(placed({ connectUrl: 'https://hub.example.com/' }))).toEqual({ url: 'https://hub.example.com/', vm: false });
    expect(jupyterTarget(placed())).toBeUndefined();
  });
});

describe('the ssh command', () => {
  it('puts the port first, the login on the host, and extra arguments after the destination', () => {
    expect(sshArgv({ host: '20.1.2.3', port: 50003 }, 'ann', ['-L', '8888:localhost:8888'])).toEqual(['ssh', '-p', '50003', 'ann@20.1.2.3', '-L', '8888:localhost:8888']);
    expect(sshArgv({ host: '20.1.2.3', port: 50003 }, undefined, [])).toEqual(['ssh', '-p', '50003', '20.1.2.3']);
  });

  it('prints a line a shell reads back as the same arguments', () => {
    expect(shellLine(['ssh', '-p', '50003', 'ann@20.1.2.3', 'echo', "it's here"])).toBe(`ssh -p 50003 ann@20.1.2.3 echo 'it'\\''s here'`);
  });
});

describe('the waiting line', () => {
  it('shows the place in the queue, the estimate and why', () => {
    const a: SessionAnswer = { outcome: 'waiting', position: 2, reason: 'no-free-seat', message: 'every seat is taken; a VM is being added for you', estimatedReadyAt: '2026-11-02T08:05:00.000Z', estimatedWaitSeconds: 300 };
    expect(waitLine('lab', a)).toBe('lab: waiting for a seat, position 2, estimate about 5 min — every seat is taken; a VM is being added for you');
  });

  it('says when nothing can be promised, and names a failed start', () => {
    const a: SessionAnswer = { outcome: 'waiting', position: 1, reason: 'no-free-seat', estimatedWaitSeconds: null, problem: { code: 'ARM_ERROR', message: 'quota exceeded' } };
    expect(waitLine('lab', a)).toBe("lab: waiting for a seat, position 1, no estimate — no-free-seat (starting a VM failed: quota exceeded; it is in the pool's event log)");
  });

  it('shows the VM held for the user while it starts', () => {
    expect(waitLine('lab', placed({ ready: false, readyInSeconds: 42 }))).toBe('lab: a seat is held for you on VM 3, which is starting, ready in about 42 s');
  });

  it('changes its key only when the place, the reason, the promised time or the held VM changes', () => {
    const w = (position: number, at: string, seconds: number): SessionAnswer => ({ outcome: 'waiting', position, reason: 'no-free-seat', estimatedReadyAt: at, estimatedWaitSeconds: seconds });
    expect(waitKey(w(2, 'T1', 300))).toBe(waitKey(w(2, 'T1', 290)));
    expect(waitKey(w(2, 'T1', 300))).not.toBe(waitKey(w(1, 'T1', 300)));
    expect(waitKey(w(2, 'T1', 300))).not.toBe(waitKey(w(2, 'T2', 300)));
    expect(waitKey(placed({ ready: false, instanceId: '1', readyAt: 'T1' }))).not.toBe(waitKey(placed({ ready: false, instanceId: '2', readyAt: 'T1' })));
  });
});
