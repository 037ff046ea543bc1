// The README's "Use it in your project" section, done as a user would: scripts/try-in-project.mjs runs
// the section's commands (pack in this clone, npm install the tarballs in a new project in a temporary
// folder outside the repository) and the Usage example against a throwaway redis-server.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function run(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { cwd: root, timeout: 280_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('README: Use it in your project', () => {
  it('installs the packed packages in a new project outside the repository, where the Usage example runs', async () => {
    const { code, stdout, stderr } = await run(`${root}scripts/try-in-project.mjs`);
    expect(stderr, stdout).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^try-in-project: an empty project in (.+)\/my-app \(npm init -y\)$/m);
    const project = /^try-in-project: an empty project in (.+) \(npm init -y\)$/m.exec(stdout)?.[1] ?? '';
    expect(project.startsWith(root)).toBe(false);
    expect(stdout).toMatch(/^try-in-project: my-app\$ npm install \S+\/lapse-repository-0\.1\.0\.tgz \S+\/lapse-events-0\.1\.0\.tgz redis$/m);
    expect(stdout).toMatch(/^try-in-project: my-app\$ node example\.mjs -> deleted [A-Za-z0-9_-]{32}: user ada \(logout\)$/m);
    expect(stdout.trimEnd().split('\n').pop()).toBe('try-in-project: ok');
  }, 300_000);
});
