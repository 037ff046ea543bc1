// The repository's test helper, shared with the repository's own suites (no copy).
export { filedSessions, TEST_EXPIRATION_INDEX, testRepository } from '../../../packages/repository/test/support/testRepository.js';
