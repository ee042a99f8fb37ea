// app.js — the web app of ctgd: the token given once, then the pages
// by address (#/saisie, #/saisies, #/tableau, #/fiche/CODE, …). Records
// wait on the device when the network is gone (outbox.js) and leave by
// themselves when it returns.

import { el, clear } from './util.js';
import * as api from './api.js';
import * as outbox from './outbox.js';
import * as person from './person.js';
import { recordForm } from './form.js';
import { minePage, recentRecords } from './mine.js';
import { overviewPage, sheetPage, indicatorPage, completenessPage, reportsPage } from './dash.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const net = document.getElementById('net');
const ctx = { plan: null, session: null, recent: [], params: new URLSearchParams() };

const WRITERS = ['submitter', 'admin'];  // admin: protected mode only (role())
const READERS = ['coordinator', 'admin'];

// The pages: the address, who sees it in the menu, what draws it.
const PAGES = [
  { path: 'saisie', title: 'Nouvelle activité', roles: WRITERS, draw: () => recordForm(main, ctx) },
  { path: 'saisies', title: 'Mes saisies', roles: WRITERS, draw: () => minePage(main, ctx) },
  { path: 'tableau', title: 'Tableau de bord', roles: READERS, draw: () => overviewPage(main, ctx) },
  { path: 'completude', title: 'Qui n\'a pas saisi ?', roles: READERS, draw: () => completenessPage(main, ctx) },
  { path: 'bilans', title: 'Bilans', roles: READERS, draw: () => reportsPage(main, ctx) },
  { path: 'fiche', roles: READERS, draw: arg => sheetPage(main, ctx, arg) },
  { path: 'indicateur', roles: READERS, draw: arg => indicatorPage(main, ctx, arg) },
  { path: 'cle', title: 'Clé des personnes', roles: WRITERS, draw: () => keyPage() },
];

// The pages a token opens. An admin token reads but does not record,
// except on a server in protected mode (no token yet), where all is open.
function role() {
  const s = ctx.session;
  return s.role === 'admin' && !s.protected ? 'coordinator' : s.role;
}

function showNet() {
  const waiting = outbox.entries().filter(e => e.state === 'pending').length;
  const refused = outbox.entries().filter(e => e.state === 'refused').length;
  const parts = [navigator.onLine ? 'En ligne' : 'Hors ligne'];
  if (waiting) parts.push(`${waiting} en attente d'envoi`);
  if (refused) parts.push(`${refused} à corriger`);
  net.textContent = parts.join(' · ');
  net.className = `net ${navigator.onLine ? 'on' : 'off'}${refused ? ' refused' : ''}`;
}

function drawNav() {
  clear(nav);
  if (!ctx.session) return;
  const here = location.hash.slice(2).split(/[/?]/)[0];
  const ul = el('ul', {});
  for (const p of PAGES.filter(p => p.title && p.roles.includes(role()))) {
    ul.append(el('li', {}, el('a', { href: `#/${p.path}`, 'aria-current': p.path === here ? 'page' : null }, p.title)));
  }
  ul.append(el('li', {}, el('button', { type: 'button', class: 'link', onclick: logout }, 'Se déconnecter')));
  nav.append(ul);
}

function logout() {
  const waiting = outbox.entries().filter(e => e.state !== 'sent').length;
  if (waiting && !confirm(`${waiting} saisie(s) ne sont pas encore enregistrées par le serveur. Elles resteront sur cet appareil. Se déconnecter ?`)) return;
  api.forget();
  ctx.session = null;
  route();
}

function loginPage(message) {
  const input = el('input', { id: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const err = el('p', { class: 'err', id: 'token-err', 'aria-live': 'polite' }, message || '');
  input.setAttribute('aria-describedby', 'token-hint token-err');
  const form = el('form', { class: 'login' },
    el('label', { for: 'token' }, 'Jeton d\'accès'),
    el('p', { class: 'hint', id: 'token-hint' }, 'Le jeton vous est remis par la chargée de coopération ou par l\'administrateur. Il reste enregistré sur cet appareil.'),
    input, err, el('button', { type: 'submit', class: 'primary' }, 'Se connecter'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    api.setToken(input.value);
    try {
      ctx.session = await api.session();
    } catch (e) {
      api.forget();
      err.textContent = e instanceof api.Offline ? 'Serveur injoignable : vérifiez le réseau puis réessayez.' :
        e.status === 401 ? 'Jeton inconnu ou révoqué : vérifiez-le (64 caractères).' : e.message;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    location.hash = role() === 'coordinator' ? '#/tableau' : '#/saisie';
    route();
  });
  clear(main).append(el('h1', {}, 'Connexion'), form);
  drawNav();
  input.focus();
}

function keyPage() {
  const file = el('input', { id: 'keyfile', type: 'file' });
  const msg = el('p', { role: 'status', 'aria-live': 'polite' });
  file.addEventListener('change', async () => {
    if (!file.files[0]) return;
    const why = await person.importKey(file.files[0]);
    msg.textContent = why ? `Clé refusée : ${why}.` : 'Clé importée : cet appareil reconnaît les mêmes personnes que celui d\'où elle vient.';
  });
  clear(main).append(el('h1', {}, 'Clé des personnes'),
    el('p', {}, 'Quand une fiche compte des personnes distinctes, leur nom ne quitte jamais cet appareil : seul un code tiré de ce nom et d\'une clé propre à votre structure est envoyé. Pour qu\'un enfant compte une seule fois quel que soit l\'outil, tous les appareils de la structure et ctg-submit doivent avoir la même clé.'),
    person.available() ? el('p', {}, el('button', { type: 'button', class: 'secondary', onclick: () => {
      const url = URL.createObjectURL(person.exportKey());
      const a = el('a', { href: url, download: 'personnes.key' });
      document.body.append(a); a.click(); a.remove();
    } }, 'Enregistrer la clé dans un fichier (personnes.key)')) :
      el('p', { class: 'banner bad' }, 'Ce navigateur ne peut pas calculer les codes ici : ouvrez l\'application en https ou depuis le serveur lui-même.'),
    el('label', { for: 'keyfile' }, 'Importer la clé d\'un autre appareil (fichier personnes.key)'), file, msg,
    el('p', { class: 'hint' }, 'Gardez ce fichier comme un mot de passe : il ne doit pas sortir de la structure.'));
}

async function route() {
  showNet();
  if (!api.token()) { loginPage(); return; }
  try {
    if (!ctx.session) ctx.session = await api.session();
    if (!ctx.plan) ctx.plan = await api.plan();
  } catch (e) {
    if (e.status === 401) { api.forget(); ctx.session = null; loginPage('Jeton refusé par le serveur : saisissez-le à nouveau.'); return; }
    clear(main).append(el('h1', {}, 'Impossible de démarrer'), el('p', { class: 'banner bad' }, e.message));
    return;
  }
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  ctx.params = new URLSearchParams(query || '');
  const [name, ...rest] = path.split('/');
  const arg = decodeURIComponent(rest.join('/'));
  const allowed = PAGES.filter(p => p.roles.includes(role()));
  const page = allowed.find(p => p.path === name) || allowed[0];
  if (!page) { clear(main).append(el('h1', {}, 'Aucune page pour ce jeton')); return; }
  if (page.path !== name) { history.replaceState(null, '', `#/${page.path}`); }
  drawNav();
  document.title = `${page.title || arg} — CTG Quercy Blanc`;
  if (WRITERS.includes(role()) && !ctx.recent.length) {
    recentRecords(ctx.session).then(r => { ctx.recent = r.list; }).catch(() => {});
  }
  try {
    await page.draw(arg);
  } catch (e) {
    const msg = e instanceof api.Offline ? 'Hors ligne : cette page a besoin du serveur. Les saisies, elles, restent possibles.' : e.message;
    clear(main).append(el('h1', {}, page.title || arg), el('p', { class: 'banner bad' }, msg));
  }
  main.focus({ preventScroll: true });
}

async function send() {
  await outbox.flush();
  showNet();
}

window.addEventListener('hashchange', route);
window.addEventListener('online', () => { showNet(); send(); });
window.addEventListener('offline', showNet);
outbox.onChange(showNet);
// Pending entries are retried every few seconds; nothing is asked otherwise.
setInterval(() => { if (outbox.entries().some(e => e.state === 'pending')) send(); }, 5000);
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
}
route().then(send);
