// temporary profiling driver (not committed)
import { openStorePeer } from './dist/stores/store-peers.js';
import { expressSessionId, loggedInSession, storeRequest, storeSet } from './dist/stores/store-calls.js';
const [name = 'lapse-store:node-redis', op = 'set', conc = '64', secs = '4'] = process.argv.slice(2);
const peer = await openStorePeer(name, 'redis://127.0.0.1:6401', { namespace: `prof:${name.replace(':','-')}`, principal: true });
const ids = Array.from({ length: 10000 }, expressSessionId);
for (let i = 0; i < ids.length; i += 100) await Promise.all(ids.slice(i, i + 100).map((id, j) => storeSet(peer.store, id, loggedInSession(i + j))));
const c = Number(conc); let counter = 0; let done = 0; const usable = ids.length - (ids.length % c);
const next = Array.from({ length: c }, (_, w) => w);
const end = Date.now() + Number(secs) * 1000;
const cpu0 = process.cpuUsage();
const t0 = Date.now();
await Promise.all(next.map(async (_, w) => { while (Date.now() < end) { const index = next[w]; next[w] = (index + c) % usable; await storeRequest(peer.store, ids[index], op === 'set' ? (counter++).toString(16).padStart(32,'0') : null); done++; } }));
const el = (Date.now() - t0) / 1000; const cpu = process.cpuUsage(cpu0);
console.log(name, op, c, Math.round(done / el), '/s', ((cpu.user + cpu.system) / done).toFixed(1), 'µs node/req');
await peer.close();
process.exit(0);
