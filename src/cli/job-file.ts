// A job spec from a YAML or JSON file and/or flags, checked locally with the app's own schema (the same one the API
// validates with), so a typo is reported before anything is sent.
import { readFileSync } from 'node:fs';
import '../zod-messages.js';
import { parse as parseYaml } from 'yaml';
import { jobSpecSchema, type JobSpecInput } from '../jobs/job-spec.js';
import { CliUsageError } from './settings.js';

export interface SubmitFlags {
  name?: string;
  command?: string;
  image?: string;
  gpus?: string;
  cpus?: string;
  memory?: string;
  pool?: string;
  env?: string[];
  array?: string;
  dependsOn?: string[];
  timeout?: string;
  retries?: string;
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliUsageError(`--${flag} must be a number, got "${value}"`);
  return n;
}

export function readJobFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read job file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text); // YAML is a superset of JSON: one parser for both
  } catch (error) {
    throw new CliUsageError(`job file ${path} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CliUsageError(`job file ${path} must hold one object (name, commandLine, …)`);
  return value as Record<string, unknown>;
}

/** The spec to send: the file's fields, then the flags over them. */
export function buildSpec(file: Record<string, unknown> | undefined, f: SubmitFlags): JobSpecInput {
  const spec: Record<string, unknown> = { ...(file ?? {}) };
  if (f.name !== undefined) spec.name = f.name;
  if (f.command !== undefined) spec.commandLine = f.command;
  if (f.image !== undefined) spec.containerImage = f.image;
  if (f.pool !== undefined) spec.pool = f.pool;
  const resources = { ...((spec.resources as Record<string, unknown> | undefined) ?? {}) };
  if (f.gpus !== undefined) resources.gpus = wholeNumber('gpus', f.gpus);
  if (f.cpus !== undefined) resources.cpus = wholeNumber('cpus', f.cpus);
  if (f.memory !== undefined) resources.memoryGiB = wholeNumber('memory', f.memory);
  if (Object.keys(resources).length) spec.resources = resources;
  if (f.env?.length) {
    const env = { ...((spec.env as Record<string, string> | undefined) ?? {}) };
    for (const pair of f.env) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new CliUsageError(`--env takes NAME=VALUE, got "${pair}"`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    spec.env = env;
  }
  if (f.array !== undefined) spec.array = { size: wholeNumber('array', f.array) };
  if (f.dependsOn?.length) spec.dependsOn = f.dependsOn;
  if (f.timeout !== undefined) spec.timeoutMinutes = wholeNumber('timeout', f.timeout);
  if (f.retries !== undefined) spec.retries = wholeNumber('retries', f.retries);
  if (spec.name === undefined && typeof spec.commandLine === 'string') spec.name = spec.commandLine.split(/\s+/)[0]!.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 64) || 'job';
  const checked = jobSpecSchema.safeParse(spec);
  if (!checked.success) {
    // A refused record key (an env variable name): zod 4 says only "Invalid key in record"; the key's own check says
    // why (as the API's fieldErrors does).
    const why = (i: (typeof checked.error.issues)[number]) =>
      i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : i.code === 'invalid_key' ? i.issues.map((k) => k.message).join('; ') || i.message : i.message;
    const problems = checked.error.issues.map((i) => `  ${i.path.join('.') || '(spec)'}: ${why(i)}`);
    throw new CliUsageError(`the job spec is not valid:\n${problems.join('\n')}`);
  }
  return spec as JobSpecInput;
}
