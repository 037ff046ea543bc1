// What the indexed-repository suites read back from Redis: a principal's index set, and a session expired now.
import type { Session } from '@lapse/repository';
import { eventually } from './EventRecorder.js';
import { expireSoon } from './expireSoon.js';
import type { RepositoryFixture } from './fixture.js';

/** The members of `name`'s principal index set. */
export function principalIndexOf(f: RepositoryFixture, name: string): Promise<string[]> {
  return f.client.smembers(f.repository.keys.principalIndexKey(name));
}

/** Expires the session's shadow key now, as Redis would at its deadline, and waits until it is gone. */
export async function expireNow(f: RepositoryFixture, session: Session): Promise<void> {
  await expireSoon(f.client, f.repository.keys.shadowKey(session.id));
  // Reading the key makes Redis expire it now (that is what the cleanup sweep does).
  await eventually(() => f.client.exists(f.repository.keys.shadowKey(session.id)), (n) => n === 0, 'shadow key expiry');
}
