// TLS connections (with an ACL user) work for the repository and for the listener's own
// connections, which it duplicates from the repository's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionEventListener } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { findFreePort, startRedis, type RedisHandle } from '@lapse/redis-harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRecorder } from './support/EventRecorder.js';
import { uniqueNamespace } from './support/redis.js';
import { testRepository } from './support/testRepository.js';

const dir = mkdtempSync(join(tmpdir(), 'lapse-tls-'));
let server: RedisHandle;
let tlsPort: number;
const closers: (() => Promise<unknown>)[] = [];

/** A CA and a server certificate for 127.0.0.1/localhost, made with openssl. */
function makeCertificates(): void {
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=lapse test CA', '-keyout', 'ca.key', '-out', 'ca.crt');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1,DNS:localhost" > ext.cnf'], { cwd: dir });
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'ext.cnf', '-out', 'server.crt');
}

beforeAll(async () => {
  makeCertificates();
  tlsPort = await findFreePort();
  server = await startRedis({
    fresh: true,
    args: [
      '--tls-port', String(tlsPort),
      '--tls-cert-file', join(dir, 'server.crt'),
      '--tls-key-file', join(dir, 'server.key'),
      '--tls-ca-cert-file', join(dir, 'ca.crt'),
      '--tls-auth-clients', 'no',
    ],
  });
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS', () => {
  it('a TLS connection as an ACL user stores sessions and receives their events', async () => {
    const admin = new Redis(server.url);
    closers.push(() => admin.quit());
    await admin.call('ACL', 'SETUSER', 'tls-user', 'on', '>tls-secret', '~*', '&*', '+@all');
    const client = new Redis({
      host: '127.0.0.1',
      port: tlsPort,
      username: 'tls-user',
      password: 'tls-secret',
      tls: { ca: readFileSync(join(dir, 'ca.crt')) },
    });
    closers.push(() => client.quit());
    const repository = await testRepository(client, { namespace: uniqueNamespace('tls'), cleanupCron: null });
    closers.push(() => repository.close());
    const listener = new SessionEventListener(repository);
    const events = new EventRecorder(listener);
    await listener.start();
    closers.push(() => listener.close());

    const session = await repository.createSession();
    session.setAttribute('secret', 'over TLS');
    await repository.save(session);
    await events.next('created', session.id);
    await repository.deleteById(session.id);
    expect((await events.next('deleted', session.id)).session?.getAttribute('secret')).toBe('over TLS');
    const tlsClients = ((await admin.call('CLIENT', 'LIST')) as string).split('\n').filter((line) => line.includes('user=tls-user'));
    expect(tlsClients.length).toBeGreaterThanOrEqual(3);
  });
});
