import { isCommandForbidden as isForbidden, type RedisConnection, type SessionKeys } from '@lapse/repository/internal';
import { finding, type Finding } from './Finding.js';
import { requiredPermissions, type Permission } from './requiredPermissions.js';

/** What `ACL DRYRUN` said about one command. */
interface Denial {
  readonly permission: Permission;
  /** The ACL rule that would allow it: `+evalsha`, `~ns:*`, `&channel`. */
  readonly rule: string;
}

/** The rule that lifts a DRYRUN denial, from its message. */
function ruleFor(message: string, keys: SessionKeys, permission: Permission): string {
  const command = /run the '([^']+)' command/.exec(message)?.[1];
  if (command !== undefined) return `+${command.toLowerCase()}`;
  if (/ key/.test(message)) return `~${keys.namespace}:*`;
  const channel = /access the '([^']+)' channel/.exec(message)?.[1];
  if (channel !== undefined) {
    if (channel.startsWith(keys.createdChannelPrefix)) return `&${keys.createdChannelPattern}`;
    if (channel.startsWith('__keyevent@')) return `&__keyevent@${keys.database}__:*`;
    return `&${channel}`;
  }
  return `+${(permission.argv[0] ?? '').toLowerCase()}`;
}

/** `EVALSHA`, `CONFIG SET`: the command of a permission, with its subcommand where it has one. */
function commandLabel(permission: Permission): string {
  const [name = '', sub = ''] = permission.argv;
  return (name === 'CONFIG' || name === 'CLIENT' ? `${name} ${sub}` : name).toUpperCase();
}

/** Whether `error` says the server has no such command (`ERR Command 'CONFIG' not found` from ACL DRYRUN). */
function isAbsentCommand(error: unknown): boolean {
  return /Command '[^']*' not found|unknown command/i.test(error instanceof Error ? error.message : String(error));
}

/**
 * What the commands this server lacks (renamed or disabled) mean for lapse: a required one is a
 * failure; `CONFIG` (optional) is the managed-Redis case the events check already reports.
 */
function absentFindings(absent: readonly Permission[]): Finding[] {
  const required = [...new Set(absent.filter((p) => p.need === 'required').map(commandLabel))];
  const optional = [...new Set(absent.filter((p) => p.need === 'optional').map((p) => (p.argv[0] ?? '').toUpperCase()))];
  const findings: Finding[] = [];
  if (required.length > 0) {
    findings.push(
      finding('fail', 'acl', `this server has no ${required.join(', ')} command (renamed or disabled), which lapse needs`, 'remove its rename-command line from redis.conf, or ask the provider to enable it'),
    );
  }
  if (optional.length > 0) {
    findings.push(finding('ok', 'acl', `${optional.join(', ')} is renamed or disabled on this server: not checked (see the events check for what that means)`));
  }
  return findings;
}

function isUnknownSubcommand(error: unknown): boolean {
  return /unknown subcommand|wrong number of arguments|syntax error/i.test(error instanceof Error ? error.message : String(error));
}

/** The user whose permissions are checked: `--acl-user`, else the URL's, else `ACL WHOAMI`, else `default`. */
export async function aclUserOf(redis: RedisConnection, explicit: string | undefined, fromUrl: string | undefined): Promise<string> {
  if (explicit !== undefined) return explicit;
  if (fromUrl !== undefined) return fromUrl;
  try {
    return String(await redis.send('ACL', ['WHOAMI']));
  } catch {
    return 'default';
  }
}

/** Checks with `ACL GETUSER` whether `user` may do anything (the only verdict possible without DRYRUN). */
async function checkWithGetUser(redis: RedisConnection, user: string): Promise<Finding[]> {
  const reply = (await redis.send('ACL', ['GETUSER', user])) as unknown[] | null;
  if (reply === null) return [finding('fail', 'acl', `user ${user} does not exist`, `create it (see the README's ACL SETUSER line) or check the user name`)];
  const fields = new Map<string, unknown>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), reply[i + 1]);
  const flags = (fields.get('flags') as string[] | undefined) ?? [];
  const commands = String(fields.get('commands') ?? '');
  const keys = String(fields.get('keys') ?? (flags.includes('allkeys') ? '~*' : ''));
  const channels = String(fields.get('channels') ?? (flags.includes('allchannels') ? '&*' : ''));
  if (!flags.includes('on')) return [finding('fail', 'acl', `user ${user} is disabled (off)`, `ACL SETUSER ${user} on`)];
  const everything = commands.split(' ').includes('+@all') && !/(^| )-/.test(commands) && keys.split(' ').includes('~*') && channels.split(' ').includes('&*');
  if (everything) return [finding('ok', 'acl', `user ${user} may run every command on every key and channel (ACL GETUSER)`)];
  return [
    finding(
      'warn',
      'acl',
      `user ${user} is restricted (commands "${commands}", keys "${keys}", channels "${channels}"), and this Redis has no ACL DRYRUN to check each command`,
      "compare with the README's ACL SETUSER line for lapse",
    ),
  ];
}

/**
 * Checks that `user` may run every command lapse sends on the namespace's keys and channels,
 * with `ACL DRYRUN` (Redis 7), else `ACL GETUSER`; says which rules to add for what is missing.
 */
export async function checkAcl(redis: RedisConnection, keys: SessionKeys, user: string): Promise<Finding[]> {
  const denied: Denial[] = [];
  const absent: Permission[] = [];
  try {
    for (const permission of requiredPermissions(keys)) {
      let reply: string;
      try {
        reply = String(await redis.send('ACL', ['DRYRUN', user, ...permission.argv]));
      } catch (error) {
        // A command renamed away (rename-command CONFIG "") or disabled: DRYRUN does not know it.
        if (!isAbsentCommand(error)) throw error;
        absent.push(permission);
        continue;
      }
      if (reply !== 'OK') denied.push({ permission, rule: ruleFor(reply, keys, permission) });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/User '.*' not found/i.test(message)) {
      return [finding('fail', 'acl', `user ${user} does not exist`, "create it (see the README's ACL SETUSER line) or check the user name")];
    }
    if (isUnknownSubcommand(error)) {
      try {
        return await checkWithGetUser(redis, user);
      } catch (inner) {
        if (!isForbidden(inner)) throw inner;
      }
    } else if (!isForbidden(error)) {
      throw error;
    }
    return [
      finding('warn', 'acl', `cannot check the permissions of user ${user}: it may not run ACL DRYRUN or ACL GETUSER`, `run 'lapse doctor --acl-user ${user}' as an admin user`),
    ];
  }
  const findings: Finding[] = absentFindings(absent);
  const rules = (list: readonly Denial[]): string => [...new Set(list.map((d) => d.rule))].join(' ');
  const required = denied.filter((d) => d.permission.need === 'required');
  const optional = denied.filter((d) => d.permission.need === 'optional');
  if (required.length === 0) {
    findings.push(finding('ok', 'acl', `user ${user} may run every command lapse needs on namespace ${keys.namespace}`));
  } else {
    const commands = [...new Set(required.map((d) => commandLabel(d.permission)))].join(', ');
    findings.push(finding('fail', 'acl', `user ${user} may not run ${commands} as lapse needs on namespace ${keys.namespace}`, `ACL SETUSER ${user} ${rules(required)}`));
  }
  for (const denial of optional) {
    findings.push(
      finding('warn', 'acl', `user ${user} may not run ${commandLabel(denial.permission)}, needed ${denial.permission.why ?? 'by lapse'}`, `ACL SETUSER ${user} ${denial.rule}`),
    );
  }
  return findings;
}
