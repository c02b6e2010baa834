// The real system programs the tests drive (JupyterHub, sshd, Chromium…), from the one list that .ci/run installs
// (.ci/system-packages). A missing program fails the test that needs it, with a message that names every missing
// program and the one apt-get line that installs them all, instead of skipping silently.
import { accessSync, constants, readFileSync } from 'node:fs';

const listFile = new URL('../../../.ci/system-packages', import.meta.url);

/** `.ci/system-packages` as [package, programs][]: one line per Debian package, then the programs it provides. */
export function systemPackages(): [string, string[]][] {
  return readFileSync(listFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [pkg, ...programs] = line.split(/\s+/);
      return [pkg!, programs];
    });
}

const systemDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Where programs are looked for: PATH, then the usual system directories (sshd is in sbin, often not on PATH). */
export function programDirs(): string[] {
  return [...(process.env.PATH ?? '').split(':').filter(Boolean), ...systemDirs];
}

/** Absolute path of a program in one of `dirs`, or undefined. */
function findProgram(name: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    try {
      accessSync(`${dir}/${name}`, constants.X_OK);
      return `${dir}/${name}`;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Every program of the list that is missing here, with its package, and the apt-get line for those packages. */
export function missingSystemPrograms(dirs = programDirs()): { missing: { program: string; pkg: string }[]; message: string } {
  const missing = systemPackages().flatMap(([pkg, programs]) => programs.filter((p) => !findProgram(p, dirs)).map((program) => ({ program, pkg })));
  const packages = [...new Set(missing.map((m) => m.pkg))];
  const message =
    missing.length === 0
      ? ''
      : `Missing system program${missing.length > 1 ? 's' : ''} the tests drive for real: ${missing.map((m) => `${m.program} (${m.pkg})`).join(', ')}.\n` +
        `Install ${packages.length > 1 ? 'them all' : 'it'} with (as root; .ci/run does this):\n` +
        `  apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}\n` +
        'Or run the tests that need none of them: npm run test:offline';
  return { missing, message };
}

/** Absolute path of a program from the list, or an Error naming every missing program and the one apt-get line. */
export function requireProgram(name: string): string {
  if (!systemPackages().some(([, programs]) => programs.includes(name))) throw new Error(`"${name}" is not in .ci/system-packages; add it there first.`);
  const found = findProgram(name, programDirs());
  if (found) return found;
  throw new Error(missingSystemPrograms().message);
}
