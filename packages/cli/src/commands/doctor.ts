import { RedisIndexedSessionRepository } from '@lapse/repository';
import { SessionKeys } from '@lapse/repository/internal';
import { defineCommand } from '../cli/CommandSpec.js';
import { ExitCode } from '../cli/ExitCode.js';
import { checkAcl, aclUserOf } from '../doctor/checkAcl.js';
import { checkCluster } from '../doctor/checkCluster.js';
import { checkEviction } from '../doctor/checkEviction.js';
import { checkKeyspaceEvents } from '../doctor/checkKeyspaceEvents.js';
import { checkServer } from '../doctor/checkServer.js';
import { checkSessionEncoding } from '../doctor/checkSessionEncoding.js';
import type { Finding } from '../doctor/Finding.js';
import { renderFindings, tally } from '../doctor/renderFindings.js';
import { connectRedis } from '../redis/connectRedis.js';
import { resolveClientChoice } from '../redis/openClient.js';
import { resolveNamespace } from '../redis/openSessions.js';
import { resolveRedisTarget } from '../redis/RedisTarget.js';

/** `lapse doctor`: everything lapse needs from a Redis, checked, with how to fix each problem. */
export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'check a Redis (or Redis Cluster) for everything lapse needs',
  description:
    'Checks a Redis for everything lapse needs and says how to fix each problem: server version (6.2 or later) ' +
    'and role; notify-keyspace-events holding E, g and x (read with CONFIG GET, or probed with a short-lived key ' +
    'where CONFIG is not allowed); eviction that could drop live sessions; the ACL permissions of the user (with ' +
    'ACL DRYRUN, else ACL GETUSER) for every command lapse sends on the namespace; on a single Redis, whether a ' +
    'sample of the sessions is stored in the compact hash encoding (and which setting would keep it so). On a cluster node it also checks ' +
    'the cluster state and topology (CLUSTER NODES) and notify-keyspace-events on every master. Changes nothing ' +
    '(the probe key is deleted). Exits 1 when a check fails; warnings alone exit 0.',
  options: {
    'acl-user': { type: 'string', valueName: 'NAME', description: "check this user's permissions (default: the URL's user, else the connection's)" },
    json: { type: 'boolean', description: 'print a JSON object instead of text' },
  },
  positionals: [],
  examples: [
    { command: 'lapse doctor', what: 'check the Redis of $REDIS_URL (or localhost)' },
    { command: 'lapse doctor --redis redis://admin:secret@cache:6379 --acl-user lapse', what: 'as an admin, check what the app user "lapse" may do' },
    { command: 'lapse doctor --redis redis://10.0.0.5:7000', what: 'check a cluster through one of its nodes, every master included' },
  ],
  async run({ values, output, env }) {
    const namespace = resolveNamespace(values.namespace);
    const target = resolveRedisTarget(values.redis, env);
    const redis = await connectRedis(target, { library: resolveClientChoice(values.client) });
    const connection = redis.connection;
    const keys = new SessionKeys(namespace, target.database);
    const findings: Finding[] = [];
    try {
      output.status('checking the server…');
      const server = await checkServer(connection);
      findings.push(...server.findings);
      output.status('checking keyspace events…');
      if (server.facts.cluster) {
        findings.push(...(await checkCluster(redis, target, keys)));
      } else {
        findings.push(...(await checkKeyspaceEvents(connection, { host: target.host, port: target.port, label: 'events' }, keys)));
      }
      findings.push(...(await checkEviction(connection, target)));
      if (!server.facts.cluster) {
        output.status('sampling how sessions are stored…');
        const repository = new RedisIndexedSessionRepository(redis.client, { namespace, database: target.database, cleanupCron: null });
        try {
          findings.push(...(await checkSessionEncoding(repository, target, server.facts.version)));
        } finally {
          await repository.close();
        }
      }
      output.status('checking ACL permissions…');
      const user = await aclUserOf(connection, values['acl-user'], target.username);
      findings.push(...(await checkAcl(connection, keys, user)));
    } finally {
      await redis.close();
    }
    output.clearStatus();
    const { problems, warnings } = tally(findings);
    if (values.json) {
      output.line(JSON.stringify({ redis: target.shown, namespace, database: target.database, problems, warnings, findings }, null, 2));
    } else {
      output.line(`lapse doctor: ${target.shown}, namespace ${namespace}, database ${target.database}`);
      output.line('');
      renderFindings(findings, output);
    }
    return problems > 0 ? ExitCode.Problems : ExitCode.Ok;
  },
});
