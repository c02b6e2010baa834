// Writes the preset team traces (src/simulator/team-presets.ts) as files: each user's times in their own zone.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimulatorError } from '../../simulator/errors.js';
import { TRACE_PRESETS } from '../../simulator/team-presets.js';
import { formatTrace, formatFromFileName } from '../../simulator/trace-format.js';
import { generateTeamTrace } from '../../simulator/trace-generator.js';
import { isoInZone } from '../../simulator/zoned-time.js';

/** `seed` replaces the presets' own seeds: fresh weeks of the same teams, for checks nobody tuned on. */
export async function generatePresets(preset: string, outDir: string, seed?: number): Promise<string[]> {
  const chosen = preset === 'all' ? TRACE_PRESETS : TRACE_PRESETS.filter((p) => p.name === preset);
  if (chosen.length === 0) {
    throw new SimulatorError('OPTION_INVALID', `unknown preset "${preset}"; choose all or ${TRACE_PRESETS.map((p) => p.name).join(', ')}`);
  }
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const p of chosen) {
    const trace = generateTeamTrace(p.spec, seed ?? p.seed);
    const zoneOf = new Map(p.spec.members.map((m) => [m.name, m.timeZone]));
    const text = formatTrace(
      trace,
      formatFromFileName(p.file),
      (t, user) => isoInZone(t, zoneOf.get(user) ?? 'UTC'),
      (t) => isoInZone(t, p.spec.periodTimeZone),
    );
    const file = join(outDir, p.file);
    await writeFile(file, text);
    written.push(file);
  }
  return written;
}
