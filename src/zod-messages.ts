// Plain-language messages for the zod checks that a schema gives no message of its own: "must be a whole number",
// not "Invalid input: expected int, received number". Installed once, globally, by importing this module; zod uses
// it only where a schema names no `message` (zod 4's precedence: the schema's own error, then the global
// `customError`, then the locale: https://zod.dev/error-customization). Every problem+json field message, invalid
// policy row and settings error reads the same way.
import { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  record: 'an object',
  array: 'a list (a JSON array)',
  tuple: 'a list (a JSON array)',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  date: 'a date',
};

function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'string') return 'a string';
  if (typeof input === 'object') return 'an object';
  return typeof input === 'number' || typeof input === 'boolean' ? `${typeof input} ${String(input)}` : typeof input;
}

function sizeOf(origin: string | undefined, n: number | bigint): string {
  if (origin === 'string') return `${n} character${n === 1 ? '' : 's'}`;
  if (origin === 'array' || origin === 'set') return `${n} entr${n === 1 ? 'y' : 'ies'}`;
  if (origin === 'file') return `${n} bytes`;
  return `${n}`;
}

/**
 * The message for one zod issue, or undefined to keep zod's own. Exported for its unit test; importing the module
 * installs it.
 */
export function plainMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const want = TYPE_NAMES[issue.expected] ?? issue.expected;
      return `must be ${want}, not ${received(issue.input)}`;
    }
    case 'too_small': {
      const { origin, minimum, inclusive } = issue as Issue & { origin?: string; minimum: number | bigint; inclusive?: boolean };
      if (origin === 'string' && Number(minimum) === 1 && inclusive !== false) return 'must not be empty';
      if (origin === 'array' && Number(minimum) === 1 && inclusive !== false) return 'must have at least one entry';
      return inclusive === false ? `must be more than ${sizeOf(origin, minimum)}` : `must be at least ${sizeOf(origin, minimum)}`;
    }
    case 'too_big': {
      const { origin, maximum, inclusive } = issue as Issue & { origin?: string; maximum: number | bigint; inclusive?: boolean };
      return inclusive === false ? `must be less than ${sizeOf(origin, maximum)}` : `must be at most ${sizeOf(origin, maximum)}`;
    }
    case 'invalid_value': {
      const values = (issue as Issue & { values: unknown[] }).values;
      return values.length === 1 ? `must be ${JSON.stringify(values[0])}` : `must be one of ${values.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
    }
    case 'invalid_format':
      return `must be a valid ${(issue as Issue & { format: string }).format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String((issue as Issue & { divisor: number }).divisor)}`;
    case 'invalid_union':
      return 'matches none of the allowed forms';
    default:
      return undefined;
  }
}

z.config({ customError: plainMessage });
