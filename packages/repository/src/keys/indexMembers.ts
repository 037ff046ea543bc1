/**
 * Members of Spring's sets (principal indexes, minute buckets) as lapse writes them (the id,
 * `expires:<id>`) or as Spring Session writes them through Spring's JSON serializer
 * (`GenericJackson2JsonRedisSerializer` serializes set members too: a JSON string, `"<id>"`).
 * lapse reads both and removes both; the Lua scripts do the same (`unfile_member`,
 * `bucket_member_id`).
 */

/** The session id a principal-index member names: `<id>` or Spring's JSON string `"<id>"`. */
export function indexMemberId(member: string): string {
  return member.length > 2 && member.charCodeAt(0) === 34 && member.charCodeAt(member.length - 1) === 34 ? member.slice(1, -1) : member;
}

/** Both forms of a member, for SREM. */
export function indexMemberForms(member: string): [string, string] {
  return [member, `"${member}"`];
}
