// The example's page: plain JavaScript, served as it is. It logs in with POST /login, lists the
// user's sessions from GET /devices, and keeps a WebSocket to /socket open. The server closes that
// socket (code 4001) the moment lapse's listener.watch() reports the session's end; the close
// reason says how, and the status line shows it.

const SESSION_ENDED_CLOSE_CODE = 4001;
const $ = (id) => document.getElementById(id);

/** What this page did itself, so its own logout reads "logged out" and not "elsewhere". */
let ownAction = null;
let socket = null;

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { status: response.status, data };
}

function show(view) {
  $('login-view').hidden = view !== 'login';
  $('session-view').hidden = view !== 'session';
}

function setStatus(text, kind) {
  $('status').textContent = text;
  $('status').dataset.kind = kind;
}

const time = (ms) => new Date(ms).toLocaleTimeString();

/** The close reason (`session expired`, `session deleted (logout-everywhere)`) in words. */
function endedHow(reason) {
  if (/expired/.test(reason)) return 'expired';
  if (/logout-everywhere/.test(reason)) return ownAction === 'everywhere' ? 'logged out everywhere' : 'logged out elsewhere';
  if (/\(destroy\)/.test(reason)) return 'logged out';
  if (/\(regenerate\)/.test(reason)) return 'replaced by a new login';
  return reason.replace(/^session /, '') || 'ended';
}

function ended(reason) {
  setStatus(`session ended: ${endedHow(reason)}`, 'ended');
  for (const id of ['refresh', 'logout', 'logout-everywhere']) $(id).disabled = true;
  $('again').hidden = false;
  // "Log out everywhere" ended every listed session; anything else, this one.
  const gone = /logout-everywhere/.test(reason) ? 'li' : 'li.current';
  for (const item of $('devices').querySelectorAll(gone)) item.querySelector('.times').textContent += ' · ended';
}

async function refreshDevices() {
  const { status, data } = await api('GET', '/devices');
  if (status !== 200) return;
  const list = $('devices');
  list.replaceChildren(
    ...data.devices.map((device) => {
      const item = document.createElement('li');
      if (device.current) item.className = 'current';
      const name = document.createElement('span');
      name.className = 'device';
      name.textContent = device.device;
      item.append(name);
      if (device.current) {
        const mark = document.createElement('span');
        mark.className = 'this';
        mark.textContent = 'this device';
        item.append(mark);
      }
      const times = document.createElement('div');
      times.className = 'times';
      const ends = device.expiresAt === null ? 'never ends' : `ends ${time(device.expiresAt)} unless used`;
      times.textContent = `session ${device.id}… · logged in ${time(device.createdAt)} · last used ${time(device.lastAccessedAt)} · ${ends}`;
      item.append(times);
      return item;
    }),
  );
}

function connect() {
  setStatus('connecting…', 'pending');
  socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/socket`);
  socket.addEventListener('open', () => ($('socket').textContent = 'socket: open'));
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.hello !== undefined) setStatus('live: this page hears the moment its session ends', 'live');
  });
  socket.addEventListener('close', (event) => {
    $('socket').textContent = `socket: closed (${event.code}${event.reason === '' ? '' : ` ${event.reason}`})`;
    if (event.code === SESSION_ENDED_CLOSE_CODE) ended(event.reason);
    else setStatus('not connected: the session is gone or the server is down; reload the page', 'lost');
  });
}

function enter(user, device) {
  ownAction = null;
  $('who').textContent = user;
  $('this-device').textContent = device ?? 'this device';
  for (const id of ['refresh', 'logout', 'logout-everywhere']) $(id).disabled = false;
  $('again').hidden = true;
  show('session');
  connect();
  void refreshDevices();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('error').textContent = '';
  const user = $('user').value.trim();
  const device = $('device').value.trim() || navigator.platform || 'a browser';
  const { status, data } = await api('POST', '/login', { user, device, maxAgeSeconds: Number($('length').value) });
  if (status !== 200) {
    $('error').textContent = data.error ?? `login failed (HTTP ${status})`;
    return;
  }
  enter(data.user, device);
});

$('refresh').addEventListener('click', () => void refreshDevices());
$('logout').addEventListener('click', async () => {
  ownAction = 'logout';
  await api('POST', '/logout');
});
$('logout-everywhere').addEventListener('click', async () => {
  ownAction = 'everywhere';
  await api('POST', '/logout-everywhere');
});
$('again').addEventListener('click', () => {
  socket = null;
  show('login');
});

// A reload keeps the session: straight back to it.
const me = await api('GET', '/me');
if (me.status === 200) enter(me.data.user, me.data.device);
else show('login');
