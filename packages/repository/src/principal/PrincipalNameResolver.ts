/**
 * Spring Session's `FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME`: the attribute
 * (and index name) that files a session under its user's name.
 */
export const PRINCIPAL_NAME_INDEX_NAME =
  'org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME';

/**
 * lapse's short name for the principal attribute (`sessionAttr:lapse.principal`, 27 bytes, where
 * Spring's name makes a 98-byte hash field that takes the hash out of Redis's compact listpack
 * encoding). The express-session store writes the principal here; the default resolver reads it
 * after {@link PRINCIPAL_NAME_INDEX_NAME}. Spring Session does not read it (its index key is unchanged).
 */
export const LAPSE_PRINCIPAL_ATTRIBUTE = 'lapse.principal';

/** Spring Security's session attribute; its `authentication.name` is the fallback principal. */
export const SPRING_SECURITY_CONTEXT = 'SPRING_SECURITY_CONTEXT';

/** Reads a session attribute by name. */
export type AttributeReader = (name: string) => unknown;

/**
 * Finds the principal (user) name of a session, or `null`. Which attributes it reads is
 * given by `attributeNames`, so lapse knows when a change may move the session between
 * principal-index sets.
 */
export interface PrincipalNameResolver {
  /** The attributes whose change can change the principal. */
  readonly attributeNames: readonly string[];
  resolve(getAttribute: AttributeReader): string | null;
}

/**
 * Spring's `PrincipalNameIndexResolver`: the explicit {@link PRINCIPAL_NAME_INDEX_NAME}
 * attribute first, then lapse's short {@link LAPSE_PRINCIPAL_ATTRIBUTE}, else
 * `SPRING_SECURITY_CONTEXT.authentication.name`.
 */
export const defaultPrincipalNameResolver: PrincipalNameResolver = Object.freeze({
  attributeNames: Object.freeze([PRINCIPAL_NAME_INDEX_NAME, LAPSE_PRINCIPAL_ATTRIBUTE, SPRING_SECURITY_CONTEXT]),
  resolve(getAttribute: AttributeReader): string | null {
    const explicit = getAttribute(PRINCIPAL_NAME_INDEX_NAME);
    if (typeof explicit === 'string') return explicit;
    const short = getAttribute(LAPSE_PRINCIPAL_ATTRIBUTE);
    if (typeof short === 'string') return short;
    const context = getAttribute(SPRING_SECURITY_CONTEXT);
    if (context !== null && typeof context === 'object') {
      const authentication = (context as { authentication?: unknown }).authentication;
      if (authentication !== null && typeof authentication === 'object') {
        const name = (authentication as { name?: unknown }).name;
        if (typeof name === 'string') return name;
      }
    }
    return null;
  },
});
