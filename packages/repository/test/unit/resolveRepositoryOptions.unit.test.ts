// The repository's option resolution, without a Redis: defaults, given values kept, refusals
// (unknown names with the nearest known one, types, ranges) and the event stream's retention.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, JsonSessionSerializer, type RedisIndexedSessionRepositoryOptions } from '../../src/index.js';
import { DEFAULT_CLEANUP_CRON, DEFAULT_CLUSTER_SHARDS, DEFAULT_MAX_INACTIVE_INTERVAL, DEFAULT_NAMESPACE, REPOSITORY_OPTION_RULES, defaultSessionIdGenerator, describeValue, nearestName, optionRule } from '../../src/internal.js';
import { eventStreamRetention, resolveRepositoryOptions } from '../../src/resolveRepositoryOptions.js';
import { refusal } from '../support/refusal.js';

const resolve = (options: unknown, clientDatabase = 0): ReturnType<typeof resolveRepositoryOptions> =>
  resolveRepositoryOptions(options as RedisIndexedSessionRepositoryOptions, clientDatabase);

describe('resolveRepositoryOptions', () => {
  it('fills in every default (Spring\'s where Spring has one), for no options and for {}', () => {
    for (const options of [undefined, {}]) {
      const resolved = resolve(options, 3);
      expect(resolved).toMatchObject({
        namespace: DEFAULT_NAMESPACE,
        defaultMaxInactiveInterval: DEFAULT_MAX_INACTIVE_INTERVAL,
        flushMode: 'on-save',
        saveMode: 'on-set-attribute',
        cleanupCron: DEFAULT_CLEANUP_CRON,
        expirationIndex: 'minute-buckets',
        maxSweepIntervalMs: 1000,
        clusterShards: DEFAULT_CLUSTER_SHARDS,
        database: 3,
        eventStreamMaxLength: 100_000,
        eventStreamMaxAge: 86_400,
        commandTimeoutMs: 10_000,
        coalesceWrites: true,
        maxAttributeBytes: 1024 * 1024,
      });
      expect(resolved.serializer).toBeInstanceOf(JsonSessionSerializer);
      expect(resolved.sessionIdGenerator).toBe(defaultSessionIdGenerator);
      expect(resolved.clock).toBe(Date.now);
      expect(typeof resolved.onCleanupError).toBe('function');
    }
    expect(DEFAULT_NAMESPACE).toBe('spring:session');
    expect(DEFAULT_MAX_INACTIVE_INTERVAL).toBe(1800);
    expect(DEFAULT_CLEANUP_CRON).toBe('0 * * * * *');
  });

  it('keeps every value given, null for cleanupCron and 0 where 0 is allowed included', () => {
    const clock = (): number => 42;
    const onCleanupError = (): void => undefined;
    const given = {
      namespace: 'app',
      defaultMaxInactiveInterval: -1,
      flushMode: 'immediate',
      saveMode: 'always',
      cleanupCron: null,
      expirationIndex: 'sorted-set',
      maxSweepIntervalMs: 5,
      clusterShards: 1,
      database: 0,
      eventStreamMaxLength: 7,
      eventStreamMaxAge: 0,
      commandTimeoutMs: 1,
      coalesceWrites: false,
      maxAttributeBytes: 1,
      clock,
      onCleanupError,
    } as const;
    expect(resolve(given, 9)).toMatchObject(given);
  });

  it('refuses an unknown name, suggesting the nearest known one, or listing them all', () => {
    expect(refusal(() => resolve({ cleanupcron: null }), 'cleanupcron').message).toBe("cleanupcron: is not an option of RedisIndexedSessionRepository; did you mean 'cleanupCron'?");
    expect(refusal(() => resolve({ expirationIndx: 'sorted-set' }), 'expirationIndx').message).toMatch(/did you mean 'expirationIndex'\?$/);
    expect(refusal(() => resolve({ ttl: 60 }), 'ttl').message).toBe(`ttl: is not an option of RedisIndexedSessionRepository; its options are ${Object.keys(REPOSITORY_OPTION_RULES).join(', ')}`);
  });

  it.each([
    ['maxSweepIntervalMs', { maxSweepIntervalMs: 0 }, 'must be a positive integer, got 0'],
    ['clusterShards', { clusterShards: 2.5 }, 'must be a positive integer, got 2.5'],
    ['database', { database: -1 }, 'must be an integer of at least 0, got -1'],
    ['eventStreamMaxAge', { eventStreamMaxAge: -0.5 }, 'must be a finite number of at least 0, got -0.5'],
    ['eventStreamMaxAge', { eventStreamMaxAge: Number.POSITIVE_INFINITY }, 'must be a finite number of at least 0, got Infinity'],
    ['commandTimeoutMs', { commandTimeoutMs: Number.NaN }, 'must be a positive integer, got NaN'],
    ['defaultMaxInactiveInterval', { defaultMaxInactiveInterval: 1.5 }, 'must be an integer number of seconds, got 1.5'],
    ['flushMode', { flushMode: 'later' }, "must be one of 'on-save', 'immediate', got \"later\""],
    ['expirationIndex', { expirationIndex: 'zset' }, "must be one of 'minute-buckets', 'sorted-set', got \"zset\""],
    ['cleanupCron', { cleanupCron: 60 }, 'must be a node-cron expression or null, got 60'],
    ['coalesceWrites', { coalesceWrites: 'yes' }, 'must be true or false, got "yes"'],
    ['serializer', { serializer: { serialize: () => '' } }, 'must be an object with serialize() and deserialize(), got an object'],
    ['principalNameResolver', { principalNameResolver: { resolve: () => null } }, 'must be an object with resolve() and attributeNames, got an object'],
    ['clock', { clock: 0 }, 'must be a function, got 0'],
  ])('refuses a bad %s: %j', (argument, options, message) => {
    expect(refusal(() => resolve(options), argument).message).toBe(`${argument}: ${message}`);
  });

  it('gives the event stream retention in ms, rounded', () => {
    expect(eventStreamRetention(resolve({}))).toEqual({ maxLength: 100_000, maxAgeMs: 86_400_000 });
    expect(eventStreamRetention({ eventStreamMaxLength: 3, eventStreamMaxAge: 0.0015 })).toEqual({ maxLength: 3, maxAgeMs: 2 });
    expect(eventStreamRetention({ eventStreamMaxLength: 3, eventStreamMaxAge: 0 })).toEqual({ maxLength: 3, maxAgeMs: 0 });
  });
});

describe('option rules and their messages', () => {
  it('describes values as errors show them', () => {
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(10n)).toBe('10');
    expect(describeValue('x'.repeat(100))).toBe(JSON.stringify(`${'x'.repeat(80)}…`));
    expect(describeValue([])).toBe('an array');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(Symbol('s'))).toBe('symbol');
  });

  it('draws the range lines where their names say', () => {
    const passes = (rule: (value: unknown, name: string) => void, value: unknown): boolean => {
      try {
        rule(value, 'x');
        return true;
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidArgumentError);
        return false;
      }
    };
    expect([0, 1, -1, 2 ** 53].map((v) => passes(optionRule.integer, v))).toEqual([true, true, true, false]);
    expect([0, 1, -1, 0.5].map((v) => passes(optionRule.nonNegativeInteger, v))).toEqual([true, true, false, false]);
    expect([0, 1, Number.MAX_SAFE_INTEGER, '1'].map((v) => passes(optionRule.positiveInteger, v))).toEqual([false, true, true, false]);
    expect([0, 0.25, -0.25, Number.NaN].map((v) => passes(optionRule.nonNegativeNumber, v))).toEqual([true, true, false, false]);
    expect(['', 'a', null].map((v) => passes(optionRule.nonEmptyString, v))).toEqual([false, true, false]);
    expect([{}, [], null].map((v) => passes(optionRule.object, v))).toEqual([true, false, false]);
    expect([{ a() {} }, Object.assign(() => 1, { a: () => 1 }), { a: 1 }].map((v) => passes(optionRule.withMethods('a'), v))).toEqual([true, true, false]);
    expect(passes(optionRule.any, Symbol('anything'))).toBe(true);
  });

  it('suggests a name within two edits for short names, a third of the length for long ones', () => {
    expect(nearestName('ab', ['xy'])).toBe('xy');
    expect(nearestName('abc', ['xyz'])).toBeUndefined();
    expect(nearestName('maxAttributeByte', ['maxAttributeBytes', 'maxSweepIntervalMs'])).toBe('maxAttributeBytes');
    expect(nearestName('eventStreamMaxAgeInSeconds', ['eventStreamMaxAge'])).toBeUndefined();
    expect(nearestName('anything', [])).toBeUndefined();
  });
});
