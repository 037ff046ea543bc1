// A session's end crosses from @lapse/repository to @lapse/events once (docs/architecture.md, "A
// session's end"): the listener takes `repository.sessionEnds` and everything of Redis on the end
// path comes through it. Read from the code, without Redis.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RedisIndexedSessionRepository } from '../../repository/src/RedisIndexedSessionRepository.js';

const PACKAGES = join(dirname(fileURLToPath(import.meta.url)), '../..');
const EVENTS_SRC = join(PACKAGES, 'events/src');

/** Every `.ts` file under `dir`, by its path relative to `packages/`, with its text. */
function sources(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(PACKAGES, path), readFileSync(path, 'utf8'));
  }
  return files;
}

/** The names a source takes as values (not `type`) from `@lapse/repository`, by import or re-export. */
function valuesFromRepository(text: string): string[] {
  const names: string[] = [];
  for (const [, typeOnly, list] of text.matchAll(/(?:import|export)\s+(type\s+)?\{([^}]*)\}\s*from\s*'@lapse\/repository'/g)) {
    if (typeOnly !== undefined) continue;
    for (const item of (list ?? '').split(',').map((part) => part.trim())) {
      if (item === '' || item.startsWith('type ')) continue;
      names.push(item.split(/\s+as\s+/)[0] as string);
    }
  }
  return names;
}

/**
 * What the events package may take from the repository as a value: errors, the option rules,
 * and telling an in-memory repository apart. Nothing of a session's end: that comes as the
 * `SessionEnds` the repository hands out (a type here).
 */
const ALLOWED_VALUES = new Set([
  'LapseError',
  'InvalidArgumentError',
  'KeyspaceNotificationsError',
  'checkOptions',
  'optionRule',
  'toRedisConnection',
  'isLocalSessionEventSource',
]);

describe("a session's end crosses the package boundary once", () => {
  const files = sources(EVENTS_SRC);

  it('reads the events sources', () => {
    expect(files.size).toBeGreaterThan(5);
    expect([...files.keys()]).toContain('events/src/SessionEventListener.ts');
  });

  it('takes no value of the end path from @lapse/repository, only its types', () => {
    const taken = [...files].flatMap(([path, text]) => valuesFromRepository(text).map((name) => `${path}: ${name}`));
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.filter((entry) => !ALLOWED_VALUES.has(entry.split(': ')[1] as string))).toEqual([]);
  });

  it("reaches no repository's keyspace, connection or options, nor any of its keys", () => {
    for (const [path, text] of files) {
      expect([path, text.match(/\.(keyspace|connection|options|keys)\b/g)]).toEqual([path, null]);
      expect([path, text.match(/\}\s*=\s*(this\.#)?repository\b/g)]).toEqual([path, null]);
    }
  });

  it('takes the repository once, as repository.sessionEnds, in SessionEventListener', () => {
    const crossings = [...files].flatMap(([path, text]) => [...text.matchAll(/\.sessionEnds\b/g)].map(() => path));
    expect(crossings).toEqual(['events/src/SessionEventListener.ts']);
    const naming = [...files].filter(([, text]) => /\bRedisIndexedSessionRepository\b/.test(text)).map(([path]) => path);
    expect(naming).toEqual(['events/src/SessionEventListener.ts']);
  });

  it('leaves the repository no listener-only methods', () => {
    const methods = Object.getOwnPropertyNames(RedisIndexedSessionRepository.prototype);
    expect(methods).toContain('sessionEnds');
    for (const gone of ['claimDestroyedSession', 'readEventRecord', 'sessionFromCreatedMessage', 'checkDatabase']) {
      expect(methods).not.toContain(gone);
    }
  });

  it("names only files that exist in docs/architecture.md's end path", () => {
    const doc = readFileSync(join(PACKAGES, '../docs/architecture.md'), 'utf8');
    const section = doc.slice(doc.indexOf("## A session's end"), doc.indexOf('## Where a rule lives'));
    const named = [...section.matchAll(/\b(?:repository|events)\/src\/[\w/.-]+\.ts\b/g)].map(([path]) => path);
    expect(named).toContain('repository/src/session-ends/SessionEnds.ts');
    expect(named.filter((path) => !existsSync(join(PACKAGES, path)))).toEqual([]);
  });
});
