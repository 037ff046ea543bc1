import { SessionEventListener } from '@lapse/events';
import { LAPSE_PRINCIPAL_ATTRIBUTE, RedisIndexedSessionRepository } from '@lapse/repository';
import { createClient } from 'redis';

const redis = await createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).connect();
const sessions = new RedisIndexedSessionRepository(redis, {
  defaultMaxInactiveInterval: 1800, // seconds of inactivity before a session expires
  cleanupCron: '*/5 * * * * *', // touch due sessions every 5 s (default: every minute)
});

// Clean up whatever belonged to a session when it ends, with its last data.
const events = new SessionEventListener(sessions);
events.on('destroyed', ({ type, sessionId, session, reason }) => {
  console.log(`${type} ${sessionId}: user ${String(session?.getAttribute('user'))}${reason ? ` (${reason})` : ''}`);
});
events.on('error', (error) => console.error('session event problem:', error.message));
await events.start();

// On login: a new session, filed under the user's name. (A Spring service reading the same sessions
// needs Spring's PRINCIPAL_NAME_INDEX_NAME instead: a 98-byte field that takes the session's hash out
// of Redis's compact encoding, about twice the memory; see "Redis requirements".)
const session = await sessions.createSession();
session.setAttribute('user', 'ada');
session.setAttribute(LAPSE_PRINCIPAL_ATTRIBUTE, 'ada');
await sessions.save(session);

// On each request: load, touch, change, save (one round trip to Redis).
const current = await sessions.findById(session.id);
if (current !== null) {
  current.lastAccessedTime = Date.now();
  current.setAttribute('cart', ['book']);
  await sessions.save(current);
}

// "Log out everywhere": every session of the user ends, each with a `deleted` event.
const loggedOut = new Promise((resolve) => events.once('destroyed', resolve));
await sessions.deleteByPrincipalName('ada', { reason: 'logout' });

await loggedOut;
await events.close();
await sessions.close();
await redis.close();
