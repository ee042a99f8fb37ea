// sw.js — the service worker: keeps the app's files and the plan so that
// the page opens and the form works without network. Everything is asked
// of the network first (a new ctgd's page is seen at once); the copy is
// used only when the network fails. Writes are never cached nor replayed
// here: the page's outbox keeps them.

const CACHE = 'ctg-app-1';
const SHELL = ['/', '/app.js', '/api.js', '/chart.js', '/dash.js', '/evidence.js', '/form.js', '/mine.js',
  '/outbox.js', '/person.js', '/util.js', '/widgets.js', '/style.css', '/manifest.webmanifest',
  '/icon.svg', '/icon-192.png', '/icon-512.png'];
// Answers kept for offline use: the plan and who the token is.
const KEPT = ['/api/v1/plan', '/api/v1/session'];

self.addEventListener('install', ev => {
  ev.waitUntil(caches.open(CACHE).then(c => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', ev => {
  ev.waitUntil(caches.keys().then(keys => Promise.all(keys.filter(k => k !== CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function offline() {
  return new Response(JSON.stringify({ erreur: 'hors ligne : le serveur est injoignable', statut: 504 }),
    { status: 504, headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Ctg-Offline': '1' } });
}

self.addEventListener('fetch', ev => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  const path = url.pathname;
  const keep = req.mode === 'navigate' || SHELL.includes(path) || KEPT.includes(path);
  ev.respondWith((async () => {
    try {
      const res = await fetch(req);
      if (keep && res.ok) {
        const copy = res.clone();
        caches.open(CACHE).then(c => c.put(req.mode === 'navigate' ? '/' : path, copy));
      }
      return res;
    } catch (e) {
      if (!keep) return offline();
      const hit = await caches.match(req.mode === 'navigate' ? '/' : path);
      return hit || offline();
    }
  })());
});
