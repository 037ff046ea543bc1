// The fastify example's web page (the express example's, shared) in a real headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core; nothing downloads a browser): the shared browser suite
// (examples/shared/test/support) on the fastify server.
import { browserSuite } from '../../shared/test/support/browserSuite.js';
import { startFastifyExample } from '../src/index.js';

browserSuite('fastify', (repository, listener) => startFastifyExample({ repository, listener }));
