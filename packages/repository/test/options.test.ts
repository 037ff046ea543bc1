// Option checking, without a Redis: the shared checker, and the repository's options and
// createSession/delete arguments refused before any client is used. The Redis repository is
// built on an ioredis client that never connects (lazyConnect, nothing listening), so a check that
// came after a command would show as a connection attempt.
import { useIdleIoredisClients } from '@lapse/redis-harness/vitest';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, MapSessionRepository, RedisIndexedSessionRepository, type RedisIndexedSessionRepositoryOptions } from '../src/index.js';
import { checkOptions, nearestName, optionRule, REPOSITORY_OPTION_RULES, type OptionRules } from '../src/internal.js';
import { refusal } from './support/refusal.js';

/** The rejection of `act`, checked to be an InvalidArgumentError naming `argument`. */
async function rejection(act: () => Promise<unknown>, argument: string): Promise<InvalidArgumentError> {
  const error: unknown = await act().then(
    () => new Error(`resolved; expected an InvalidArgumentError naming ${argument}`),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect((error as InvalidArgumentError).argument).toBe(argument);
  return error as InvalidArgumentError;
}

describe('nearestName', () => {
  const known = ['cleanupCron', 'clusterShards', 'commandTimeoutMs', 'namespace', 'prefix', 'disableTTL'];
  it.each([
    ['cleanupcron', 'cleanupCron'],
    ['CLEANUPCRON', 'cleanupCron'],
    ['cleanupCorn', 'cleanupCron'],
    ['namspace', 'namespace'],
    ['disableTtl', 'disableTTL'],
    ['keyPrefix', 'prefix'],
    ['commandTimeout', 'commandTimeoutMs'],
  ])('%s -> %s', (name, nearest) => {
    expect(nearestName(name, known)).toBe(nearest);
  });

  it('suggests nothing for a name far from every known one', () => {
    expect(nearestName('serializer', known)).toBeUndefined();
    expect(nearestName('x', known)).toBeUndefined();
  });
});

describe('checkOptions', () => {
  const rules = { count: optionRule.positiveInteger, label: optionRule.string, mode: optionRule.oneOf('a', 'b') } satisfies OptionRules;
  const check = (options: unknown, required?: string[]): void => checkOptions(options, rules, { owner: 'Thing', ...(required === undefined ? {} : { required }) });

  it('accepts known options with good values, undefined ones and no options at all', () => {
    check({ count: 1, label: '', mode: 'b' });
    check({ count: undefined });
    check({});
    check(undefined);
  });

  it('refuses an unknown name, suggesting the nearest known one', () => {
    expect(refusal(() => check({ Count: 2 }), 'Count').message).toBe("Count: is not an option of Thing; did you mean 'count'?");
    expect(refusal(() => check({ lable: 'x' }), 'lable').message).toBe("lable: is not an option of Thing; did you mean 'label'?");
  });

  it('lists the options when no known name is near', () => {
    expect(refusal(() => check({ serializer: {} }), 'serializer').message).toBe('serializer: is not an option of Thing; its options are count, label, mode');
  });

  it('refuses a wrong type or range, naming the option and the value', () => {
    expect(refusal(() => check({ count: '5' }), 'count').message).toBe('count: must be a positive integer, got "5"');
    expect(refusal(() => check({ count: 0 }), 'count').message).toBe('count: must be a positive integer, got 0');
    expect(refusal(() => check({ count: 1.5 }), 'count').message).toBe('count: must be a positive integer, got 1.5');
    expect(refusal(() => check({ label: null }), 'label').message).toBe('label: must be a string, got null');
    expect(refusal(() => check({ mode: 'c' }), 'mode').message).toBe("mode: must be one of 'a', 'b', got \"c\"");
  });

  it('refuses options that are no object', () => {
    for (const options of [null, 42, 'count', [1], () => undefined]) {
      expect(refusal(() => check(options), 'options').message).toMatch(/^options: must be an object of options of Thing, got /);
    }
  });

  it('refuses a missing required option through its rule', () => {
    expect(refusal(() => check({ label: 'x' }, ['count']), 'count').message).toBe('count: must be a positive integer, got undefined');
    expect(refusal(() => check(undefined, ['count']), 'options').message).toBe('options: must be an object of options of Thing, got undefined');
  });

  it('names a nested option with its path', () => {
    const error = refusal(() => checkOptions({ cleanupcron: null }, REPOSITORY_OPTION_RULES, { owner: 'RedisIndexedSessionRepository', path: 'repositoryOptions.' }), 'repositoryOptions.cleanupcron');
    expect(error.message).toBe("repositoryOptions.cleanupcron: is not an option of RedisIndexedSessionRepository; did you mean 'cleanupCron'?");
  });
});

describe('repository options', () => {
  /** An ioredis client that has not connected (and has nothing to connect to). */
  const idleClient = useIdleIoredisClients();

  /** Typos, wrong types and values out of range, each with the option its error names and the message's end. */
  const BAD: readonly [string, Readonly<Record<string, unknown>>, string, RegExp][] = [
    ['a typo', { cleanupcron: '* * * * * *' }, 'cleanupcron', /is not an option of RedisIndexedSessionRepository; did you mean 'cleanupCron'\?$/],
    ['a typo', { namepsace: 'app' }, 'namepsace', /did you mean 'namespace'\?$/],
    ['a typo', { maxInactiveInterval: 60 }, 'maxInactiveInterval', /did you mean 'defaultMaxInactiveInterval'\?$/],
    ['a wrong type', { namespace: 42 }, 'namespace', /must be a string, got 42$/],
    ['a wrong type', { cleanupCron: false }, 'cleanupCron', /must be a node-cron expression or null, got false$/],
    ['a wrong type', { coalesceWrites: 'yes' }, 'coalesceWrites', /must be true or false, got "yes"$/],
    ['a wrong type', { serializer: JSON }, 'serializer', /must be an object with serialize\(\) and deserialize\(\), got an object$/],
    ['a wrong type', { sessionIdGenerator: () => 'id' }, 'sessionIdGenerator', /must be an object with generate\(\) and isValid\(\)/],
    ['a wrong type', { principalNameResolver: () => null }, 'principalNameResolver', /must be an object with resolve\(\) and attributeNames, got a function$/],
    ['a wrong type', { onCleanupError: 'log' }, 'onCleanupError', /must be a function, got "log"$/],
    ['a wrong type', { clock: 0 }, 'clock', /must be a function, got 0$/],
    ['a wrong type', { flushMode: 'sometimes' }, 'flushMode', /must be one of 'on-save', 'immediate', got "sometimes"$/],
    ['a wrong type', { expirationIndex: 'list' }, 'expirationIndex', /must be one of 'minute-buckets', 'sorted-set'/],
    ['a wrong type', { saveMode: null }, 'saveMode', /must be one of 'on-set-attribute', 'on-get-attribute', 'always', got null$/],
    ['out of range', { defaultMaxInactiveInterval: 1.5 }, 'defaultMaxInactiveInterval', /must be an integer number of seconds, got 1\.5$/],
    ['out of range', { maxSweepIntervalMs: 0 }, 'maxSweepIntervalMs', /must be a positive integer, got 0$/],
    ['out of range', { clusterShards: -1 }, 'clusterShards', /must be a positive integer, got -1$/],
    ['out of range', { eventStreamMaxLength: Number.POSITIVE_INFINITY }, 'eventStreamMaxLength', /must be a positive integer, got Infinity$/],
    ['out of range', { commandTimeoutMs: 2.5 }, 'commandTimeoutMs', /must be a positive integer/],
    ['out of range', { maxAttributeBytes: 0 }, 'maxAttributeBytes', /must be a positive integer/],
    ['out of range', { database: -1 }, 'database', /must be an integer of at least 0, got -1$/],
  ];

  it.each(BAD)('RedisIndexedSessionRepository refuses %s (%j) before using the client', (_, options, argument, message) => {
    const error = refusal(() => new RedisIndexedSessionRepository(idleClient(), options as RedisIndexedSessionRepositoryOptions), argument);
    expect(error.message).toMatch(message);
  });

  it.each(BAD)('MapSessionRepository refuses %s (%j) the same way', (_, options, argument, message) => {
    expect(refusal(() => new MapSessionRepository(options as RedisIndexedSessionRepositoryOptions), argument).message).toMatch(message);
  });

  it('refuses options that are no object, before looking at the client', () => {
    refusal(() => new RedisIndexedSessionRepository(null as never, null as never), 'options');
    refusal(() => new RedisIndexedSessionRepository(null as never, { cleanupcron: null } as never), 'cleanupcron');
  });

  it('has a rule for every option it documents (and accepts each default)', () => {
    const repository = new RedisIndexedSessionRepository(idleClient(), { cleanupCron: null });
    const { database: _database, ...resolved } = repository.options;
    expect(Object.keys(REPOSITORY_OPTION_RULES).sort()).toEqual([...Object.keys(resolved), 'database'].sort());
    // The resolved options, given back as options, pass (no rule refuses a default).
    expect(() => new MapSessionRepository({ ...resolved, namespace: undefined } as RedisIndexedSessionRepositoryOptions).close()).not.toThrow();
  });
});

describe('createSession and deletion arguments', () => {
  const client = (): Redis => new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, retryStrategy: () => null });

  it.each([
    [{ id: null }, 'id', /^id: must be a string, got null$/],
    [{ id: 42 }, 'id', /^id: must be a string, got 42$/],
    [{ id: {} }, 'id', /^id: must be a string, got an object$/],
    [{ maxInactiveInterval: '60' }, 'maxInactiveInterval', /^maxInactiveInterval: must be an integer number of seconds, got "60"$/],
    [{ maxInactiveInterval: 1.5 }, 'maxInactiveInterval', /got 1\.5$/],
    [{ maxInactivInterval: 60 }, 'maxInactivInterval', /^maxInactivInterval: is not an option of createSession; did you mean 'maxInactiveInterval'\?$/],
    [null, 'options', /^options: must be an object of options of createSession, got null$/],
    ['id', 'options', /got "id"$/],
  ])('createSession(%j) rejects with InvalidArgumentError naming %s, on both repositories, before using Redis', async (options, argument, message) => {
    const redis = client();
    // flushMode 'immediate' would save (and so connect) at once: the refusal comes first.
    const repositories = [new RedisIndexedSessionRepository(redis, { cleanupCron: null, flushMode: 'immediate' }), new MapSessionRepository({ cleanupCron: null, flushMode: 'immediate' })];
    for (const repository of repositories) {
      expect((await rejection(() => repository.createSession(options as never), argument)).message).toMatch(message);
      await repository.close();
    }
    expect(redis.status).toBe('wait');
    redis.disconnect();
  });

  it('deleteById and deleteByPrincipalName refuse an unknown option, suggesting reason', async () => {
    const redis = client();
    const repositories = [new RedisIndexedSessionRepository(redis, { cleanupCron: null }), new MapSessionRepository({ cleanupCron: null })];
    for (const repository of repositories) {
      const error = await rejection(() => repository.deleteById('a'.repeat(32), { reasn: 'logout' } as never), 'reasn');
      expect(error.message).toBe("reasn: is not an option of a deletion; did you mean 'reason'?");
      await rejection(() => repository.deleteByPrincipalName('ada', { reason: 7 } as never), 'reason');
      await repository.close();
    }
    expect(redis.status).toBe('wait');
    redis.disconnect();
  });
});
