// The express example's web page in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; nothing downloads a browser): the shared browser suite (examples/shared/test/support)
// on the express server. With LAPSE_UPDATE_SCREENSHOT=1 it writes the README's screenshot in docs/
// (a plain test run leaves the working tree as it was).
import { fileURLToPath } from 'node:url';
import { browserSuite } from '../../shared/test/support/browserSuite.js';
import { startExampleServer } from '../src/index.js';

/** Where the README's screenshot of the page is kept (the last run's). */
const SCREENSHOT = fileURLToPath(new URL('../../../docs/example-express.png', import.meta.url));

browserSuite('express', (repository, listener) => startExampleServer({ repository, listener }), process.env.LAPSE_UPDATE_SCREENSHOT === '1' ? SCREENSHOT : undefined);
