import { LuaScript } from '../LuaScript.js';

/**
 * Reads a live session in one round trip. Liveness is Redis's own deadline: the shadow key
 * must exist (reading it also makes Redis expire it now if it is due, which fires the
 * `expired` event early rather than late).
 *
 * KEYS: 1 hash, 2 shadow.
 * Returns the hash as a flat field/value array; 1 when the shadow key is gone but the hash
 * is still in its grace period; 0 when neither exists.
 */
export const findSessionScript = new LuaScript(
  'lapse:find-session',
  `
if redis.call('EXISTS', KEYS[2]) == 0 then
  return redis.call('EXISTS', KEYS[1])
end
return redis.call('HGETALL', KEYS[1])
`,
);
