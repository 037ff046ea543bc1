// The repository's command recorder, shared with the repository's own suites (no copy).
export { CommandMonitor } from '../../../packages/repository/test/support/CommandMonitor.js';
