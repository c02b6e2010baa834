// Plain messages for zod checks a schema gives no message of its own, as a person reads them in problem+json, invalid
// policy rows and settings errors; a schema's own message still wins.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../../src/zod-messages.js';

const messageOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a refusal');
  return r.error.issues.map((i) => i.message).join('; ');
};

describe('plain zod messages', () => {
  it.each([
    [z.object({ a: z.string() }), {}, 'is required'],
    [z.string(), 3, 'must be a string, not number 3'],
    [z.number(), 'x', 'must be a number, not a string'],
    [z.boolean(), null, 'must be true or false, not null'],
    [z.array(z.string()), 'x', 'must be a list (a JSON array), not a string'],
    [z.record(z.string(), z.string()), [], 'must be an object, not a list'],
    [z.object({}), [], 'must be an object, not a list'],
    [z.int(), 1.5, 'must be a whole number, not number 1.5'],
    [z.string().min(1), '', 'must not be empty'],
    [z.string().min(3), 'ab', 'must be at least 3 characters'],
    [z.string().max(1), 'ab', 'must be at most 1 character'],
    [z.number().min(1), 0, 'must be at least 1'],
    [z.number().max(100), 101, 'must be at most 100'],
    [z.number().positive(), 0, 'must be more than 0'],
    [z.number().lt(5), 5, 'must be less than 5'],
    [z.array(z.string()).min(1), [], 'must have at least one entry'],
    [z.array(z.string()).max(2), ['a', 'b', 'c'], 'must be at most 2 entries'],
    [z.enum(['jupyter', 'ssh']), 'rdp', 'must be one of "jupyter", "ssh"'],
    [z.literal('batch'), 'vmss', 'must be "batch"'],
    [z.email(), 'x', 'must be a valid email'],
    [z.number().multipleOf(5), 7, 'must be a multiple of 5'],
    [z.union([z.string(), z.number()]), true, 'matches none of the allowed forms'],
  ])('%#: %j → %s', (schema, input, message) => {
    expect(messageOf(schema, input)).toBe(message);
  });

  it("keeps a schema's own message", () => {
    expect(messageOf(z.number().max(8, 'must be at most 8 GPUs'), 9)).toBe('must be at most 8 GPUs');
    expect(messageOf(z.string({ message: 'must be a pool name' }), 1)).toBe('must be a pool name');
  });
});
