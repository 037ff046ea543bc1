// The express example's web page in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; nothing downloads a browser): the shared browser suite (examples/shared/test/support)
// on the express server. The last screenshot is kept in docs/.
import { fileURLToPath } from 'node:url';
import { browserSuite } from '../../shared/test/support/browserSuite.js';
import { startExampleServer } from '../src/index.js';

/** Where the README's screenshot of the page is kept (the last run's). */
const SCREENSHOT = fileURLToPath(new URL('../../../docs/example-express.png', import.meta.url));

browserSuite('express', (repository, listener) => startExampleServer({ repository, listener }), SCREENSHOT);
