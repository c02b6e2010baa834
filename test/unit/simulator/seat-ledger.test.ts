import { describe, expect, it } from 'vitest';
import { SeatLedger } from '../../../src/simulator/seat-ledger.js';

const entry = (sessionId: string, arrivedAt: number, plannedEnd = 1000) => ({ sessionId, kind: 'jupyter' as const, arrivedAt, plannedEnd, connected: true });

describe('seat ledger', () => {
  it('gives seats first come, first served, and measures each wait from arrival', () => {
    const ledger = new SeatLedger();
    ledger.add(entry('a', 0));
    ledger.add(entry('b', 10));
    ledger.add(entry('c', 20));
    ledger.seat(1, 30);
    ledger.remove('a', 40);
    ledger.seat(1, 40);
    ledger.seat(3, 100);
    expect(ledger.waits).toEqual([
      { sessionId: 'a', waitMs: 30, neverSeated: false },
      { sessionId: 'b', waitMs: 30, neverSeated: false },
      { sessionId: 'c', waitMs: 80, neverSeated: false },
    ]);
  });

  it('seats a session a broker connects at once, ahead of longer waits, and never twice', () => {
    const ledger = new SeatLedger();
    ledger.add(entry('a', 0));
    ledger.add(entry('b', 10));
    ledger.seatNow('b', 25);
    ledger.seatNow('b', 40);
    ledger.seat(2, 50);
    expect(ledger.waits).toEqual([
      { sessionId: 'b', waitMs: 15, neverSeated: false },
      { sessionId: 'a', waitMs: 50, neverSeated: false },
    ]);
  });

  it('counts a session that leaves before any seat as never seated, with its whole stay as the wait', () => {
    const ledger = new SeatLedger();
    ledger.add(entry('a', 0, 50));
    expect(ledger.endingBy(50)).toEqual(['a']);
    ledger.remove('a', 50);
    expect(ledger.waits).toEqual([{ sessionId: 'a', waitMs: 50, neverSeated: true }]);
    expect(ledger.size).toBe(0);
  });
});
