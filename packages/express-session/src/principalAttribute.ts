import { InvalidArgumentError, LAPSE_PRINCIPAL_ATTRIBUTE, PRINCIPAL_NAME_INDEX_NAME, type AttributeReader, type PrincipalNameResolver } from '@lapse/repository';
import { defaultPrincipalNameResolver } from '@lapse/repository/internal';
import { SERIALIZED_ATTRIBUTE } from './SessionCodec.js';

/** Attribute names `principal` cannot name, with why. */
const UNUSABLE_ATTRIBUTES: ReadonlyMap<string, string> = new Map([
  ['cookie', "is express-session's cookie, not a user name"],
  [LAPSE_PRINCIPAL_ATTRIBUTE, 'is reserved by the store (where the function form keeps the principal)'],
  [SERIALIZED_ATTRIBUTE, 'is reserved by the store (where a serializer keeps the session)'],
  [PRINCIPAL_NAME_INDEX_NAME, 'is read by default: leave principal unset'],
  ['__proto__', 'is never stored'],
]);

/**
 * A principal name resolver for sessions whose user name is the session attribute `name` (a
 * non-empty string), such as `req.session.user = 'ada'`: that attribute first, then
 * {@link defaultPrincipalNameResolver}'s attributes. Give it to every repository that reads or
 * ends the sessions of a `LapseStore` with `principal: name` (the store builds its own
 * repository with it; one you pass as `repository`, or a listener's in another service, needs
 * it too), so their ends remove them from the principal index.
 *
 * @example
 * ```ts
 * const repository = new RedisIndexedSessionRepository(client, { principalNameResolver: principalAttributeResolver('user') });
 * const store = new LapseStore({ repository, principal: 'user' });
 * ```
 */
export function principalAttributeResolver(name: string): PrincipalNameResolver {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError('name', 'must be a non-empty attribute name');
  const fallback = defaultPrincipalNameResolver;
  return Object.freeze({
    attributeNames: Object.freeze([name, ...fallback.attributeNames.filter((other) => other !== name)]),
    resolve(getAttribute: AttributeReader): string | null {
      const value = getAttribute(name);
      return typeof value === 'string' && value.length > 0 ? value : fallback.resolve(getAttribute);
    },
  });
}

/** Checks the attribute form of the `principal` option: an attribute name the store can keep as it is. */
export function checkPrincipalAttribute(name: string): void {
  if (name.length === 0) throw new InvalidArgumentError('principal', 'must be a function of the session data or the name of the attribute holding the user name, got an empty string');
  const unusable = UNUSABLE_ATTRIBUTES.get(name);
  if (unusable !== undefined) throw new InvalidArgumentError('principal', `${JSON.stringify(name)} ${unusable}`);
}

/**
 * Checks that `resolver` (a repository's, given as `argument`) reads the attribute `name`, so
 * the ends of the store's sessions leave the principal index; `fix` says what to pass instead.
 */
export function requireResolverReads(resolver: PrincipalNameResolver, name: string, argument: string, fix: string): void {
  const names: unknown = (resolver as Partial<PrincipalNameResolver> | null)?.attributeNames;
  if (Array.isArray(names) && names.includes(name)) return;
  const reads = Array.isArray(names) ? names.map((other) => JSON.stringify(other)).join(', ') : 'no attributeNames';
  throw new InvalidArgumentError(
    argument,
    `the principal attribute ${JSON.stringify(name)} is not among the attributes its principalNameResolver reads (${reads}), so ended sessions would stay in the principal index: ` +
      `${fix} principalNameResolver: principalAttributeResolver(${JSON.stringify(name)}) (from @lapse/express-session)`,
  );
}
