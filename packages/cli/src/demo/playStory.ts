import { setTimeout as sleep } from 'node:timers/promises';
import { PRINCIPAL_NAME_INDEX_NAME, type RedisIndexedSessionRepository, type Session } from '@lapse/repository';
import type { EventTally } from './EventTally.js';

/** One user of the story: a timeout, and what happens to their sessions. */
export interface DemoUser {
  readonly name: string;
  /** Inactivity timeout in seconds. */
  readonly timeout: number;
  /** Devices, one session each (default: one laptop). */
  readonly devices?: readonly string[];
  /** Story times (ms) at which the user is active again, so the session lives longer. */
  readonly touchesAt?: readonly number[];
  /** Story time (ms) at which the user signs in and gets a new session id. */
  readonly newIdAt?: number;
  /** Story time (ms) at which the user logs out everywhere. */
  readonly logoutAt?: number;
}

/** The story `lapse demo` plays: every session ends within about 8 s. */
export const DEMO_USERS: readonly DemoUser[] = [
  { name: 'ada', timeout: 2 },
  { name: 'grace', timeout: 3, touchesAt: [1500] },
  { name: 'barbara', timeout: 4, touchesAt: [1500, 3000] },
  { name: 'ken', timeout: 6, newIdAt: 1000 },
  { name: 'edsger', timeout: 8 },
  { name: 'linus', timeout: 10, devices: ['laptop', 'phone'], logoutAt: 2500 },
];

/** What the story needs: the repository, the tally of expected events, and where to say what happens. */
export interface StoryContext {
  readonly repository: RedisIndexedSessionRepository;
  readonly tally: EventTally;
  /** Prints one line of the story (timestamped by the caller); `sessions` are shortened ids. */
  readonly say: (action: string, user: string, sessions: string, detail: string) => void;
  readonly users?: readonly DemoUser[];
}

const short = (id: string): string => id.slice(0, 8);

/** The deadline of a session as stored: last access plus timeout. */
function deadlineOf(session: Session): number {
  return session.lastAccessedTime + session.maxInactiveInterval * 1000;
}

/**
 * Plays the story: creates every session, then at their times touches some, changes one id and
 * logs one user out everywhere. Registers each expected event before the action that causes
 * it. Resolves after the last action (the sessions then end on their own).
 */
export async function playStory(context: StoryContext): Promise<void> {
  const { repository, tally, say } = context;
  const users = context.users ?? DEMO_USERS;
  const started = Date.now();
  const sessionsOf = new Map<string, Session[]>();

  for (const user of users) {
    for (const device of user.devices ?? ['laptop']) {
      const session = await repository.createSession({ maxInactiveInterval: user.timeout });
      session.setAttribute(PRINCIPAL_NAME_INDEX_NAME, user.name);
      session.setAttribute('device', device);
      tally.expect('created', session.id, user.name, Date.now());
      if (user.logoutAt === undefined) tally.expect('expired', session.id, user.name, deadlineOf(session));
      say('login', user.name, short(session.id), `new session on the ${device}, timeout ${user.timeout} s`);
      await repository.save(session);
      sessionsOf.set(user.name, [...(sessionsOf.get(user.name) ?? []), session]);
    }
  }

  const steps: { at: number; user: DemoUser; act: 'touch' | 'new id' | 'logout' }[] = [];
  for (const user of users) {
    for (const at of user.touchesAt ?? []) steps.push({ at, user, act: 'touch' });
    if (user.newIdAt !== undefined) steps.push({ at: user.newIdAt, user, act: 'new id' });
    if (user.logoutAt !== undefined) steps.push({ at: user.logoutAt, user, act: 'logout' });
  }
  steps.sort((a, b) => a.at - b.at);

  for (const step of steps) {
    const wait = started + step.at - Date.now();
    if (wait > 0) await sleep(wait);
    const name = step.user.name;
    const [first] = sessionsOf.get(name) ?? [];
    if (step.act === 'logout') {
      const ids = (sessionsOf.get(name) ?? []).map((s) => s.id);
      for (const id of ids) tally.expect('deleted', id, name, Date.now());
      say('logout', name, ids.map(short).join(','), `logs out everywhere: deleteByPrincipalName, ${ids.length} sessions`);
      const ended = await repository.deleteByPrincipalName(name, { reason: 'logout' });
      if (ended !== ids.length) say('logout?', name, '', `deleteByPrincipalName ended ${ended} sessions, not ${ids.length}`);
      continue;
    }
    if (first === undefined) continue;
    const session = await repository.findById(first.id);
    if (session === null) {
      say('gone?', name, short(first.id), 'the session was not found (this should not happen)');
      continue;
    }
    session.lastAccessedTime = Date.now();
    if (step.act === 'touch') {
      tally.reschedule('expired', session.id, deadlineOf(session));
      say('active', name, short(session.id), `touched (lastAccessedTime = now): expires ${session.maxInactiveInterval} s from now`);
      await repository.save(session);
    } else {
      const oldId = session.id;
      session.changeSessionId();
      tally.forget('expired', oldId);
      tally.expect('expired', session.id, name, deadlineOf(session));
      say('new id', name, short(session.id), `signs in: changeSessionId(), was ${short(oldId)}; no event, it will expire under the new id`);
      await repository.save(session);
    }
    sessionsOf.set(name, [session]);
  }
}
