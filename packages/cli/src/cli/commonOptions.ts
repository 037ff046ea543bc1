import { DEFAULT_NAMESPACE } from '@lapse/repository/internal';
import { CLIENT_LIBRARIES, DEFAULT_CLIENT } from '../redis/openClient.js';
import type { CommandSpec, OptionSpecs } from './CommandSpec.js';

/** The Redis used when neither `--redis` nor `REDIS_URL` says otherwise. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The options every command takes, with their help for `command`. */
export function commonOptions(command: CommandSpec<OptionSpecs>): OptionSpecs {
  return {
    redis: {
      type: 'string',
      valueName: 'URL',
      description: `the Redis to use (default: ${command.redisDefault ?? `$REDIS_URL, else ${DEFAULT_REDIS_URL}`})`,
    },
    client: {
      type: 'string',
      valueName: 'LIB',
      description: `the Redis client library lapse connects with: ${CLIENT_LIBRARIES.join(' or ')} (default: ${DEFAULT_CLIENT})`,
    },
    namespace: {
      type: 'string',
      valueName: 'NS',
      description: `the key prefix of the sessions (default: ${command.namespaceDefault ?? DEFAULT_NAMESPACE})`,
    },
    help: { type: 'boolean', short: 'h', description: 'show this help' },
  };
}
