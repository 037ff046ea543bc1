import { fileURLToPath } from 'node:url';

/**
 * The examples' web page (`index.html` and `app.js`, plain files served as they are): log in as a
 * name on a device, see the user's sessions, log out (everywhere), and watch the page's WebSocket
 * closed the moment its session ends. Both examples serve it with the same routes.
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));
