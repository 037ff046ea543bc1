import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { freshRedis, describeSource, infoField } from './redis.js';

export interface Environment {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly redis: string;
  readonly redisSource: string;
  readonly packages: Readonly<Record<string, string>>;
  readonly commit: string;
  /** Load average (1 min) when the run started: other work on the machine skews every number. */
  readonly loadAtStart: number;
}

const require = createRequire(import.meta.url);

/** The version of an installed package (found by walking up from its entry point); `packageName` for an alias. */
function versionOf(name: string, packageName = name): string {
  try {
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === packageName && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // not here
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return 'unknown';
}

function gitCommit(cwd: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'packages'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty === '' ? head : `${head} + uncommitted changes`;
  } catch {
    return 'unknown';
  }
}

export async function describeEnvironment(root: string): Promise<Environment> {
  const redis = await freshRedis();
  let version: string;
  try {
    version = await infoField(redis.admin, 'server', 'redis_version');
  } finally {
    await redis.stop();
  }
  const { loadavg } = await import('node:os');
  return {
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    redis: version,
    redisSource: describeSource(redis.handle),
    packages: {
      ioredis: versionOf('ioredis'),
      redis: versionOf('redis'),
      redis6: versionOf('redis6', 'redis'),
      ...Object.fromEntries(['connect-redis', 'express', 'express-session', 'autocannon'].map((name) => [name, versionOf(name)])),
    },
    commit: gitCommit(root),
    loadAtStart: loadavg()[0] ?? 0,
  };
}
