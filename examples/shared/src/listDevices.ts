import type { RedisIndexedSessionRepository } from '@lapse/repository';

/** One session of a user, as the example's page lists it ("your devices"). */
export interface Device {
  /** The first 8 characters of the session id (the whole id is a secret). */
  readonly id: string;
  /** What the user called the device at login. */
  readonly device: string;
  /** Whether this is the session of the request. */
  readonly current: boolean;
  /** Epoch ms of the login. */
  readonly createdAt: number;
  /** Epoch ms of the last request. */
  readonly lastAccessedAt: number;
  /** Epoch ms when the session expires unless used again (`null`: never). */
  readonly expiresAt: number | null;
}

/** The live sessions of `user` (`findByPrincipalName`), oldest login first. */
export async function listDevices(repository: RedisIndexedSessionRepository, user: string, currentSessionId: string): Promise<Device[]> {
  const sessions = await repository.findByPrincipalName(user);
  return [...sessions.values()]
    .map((session) => ({
      id: session.id.slice(0, 8),
      device: String(session.getAttribute('device') ?? 'a device'),
      current: session.id === currentSessionId,
      createdAt: session.creationTime,
      lastAccessedAt: session.lastAccessedTime,
      expiresAt: session.maxInactiveInterval < 0 ? null : session.lastAccessedTime + session.maxInactiveInterval * 1000,
    }))
    .sort((a, b) => a.createdAt - b.createdAt);
}
