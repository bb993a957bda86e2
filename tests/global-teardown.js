// Stops the provider hosts that this run's terraform runs started (see global-setup.js) and removes their directory.
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

/** Field 22 of /proc/<pid>/stat, as the host writes it next to its pid. */
function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return null;
  }
}

module.exports = async () => {
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  if (!runtimeDir || !runtimeDir.includes('maestro-test-run-')) return;
  const base = join(runtimeDir, 'maestro');
  for (const name of existsSync(base) ? readdirSync(base) : []) {
    let pid;
    let start;
    try {
      [pid, start] = readFileSync(join(base, name, 'pid'), 'utf8').trim().split(' ');
    } catch {
      continue;
    }
    if (startTime(pid) === start) process.kill(Number(pid), 'SIGTERM');
  }
  rmSync(runtimeDir, { recursive: true, force: true });
};
