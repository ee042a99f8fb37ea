// api.js — the talk with ctgd: the token kept on this device, JSON
// requests, and the plan and session kept for when the network is gone.

const TOKEN = 'ctg.token', SESSION = 'ctg.session', PLAN = 'ctg.plan';

export class Offline extends Error {}

// A refusal of ctgd: its status and its French message.
export class Refused extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export function token() { return localStorage.getItem(TOKEN) || ''; }
export function setToken(t) { localStorage.setItem(TOKEN, t.trim()); }
export function forget() {
  localStorage.removeItem(TOKEN);
  localStorage.removeItem(SESSION);
}

// The JSON answer of ctgd; Offline when it cannot be reached, Refused
// when it answers an error.
export async function call(path, options = {}) {
  const headers = { Accept: 'application/json' };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method: options.method || 'GET', headers, cache: 'no-cache',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (e) {
    throw new Offline('serveur injoignable');
  }
  // The service worker answers 504 when offline with nothing cached.
  if (res.status === 504 && res.headers.get('X-Ctg-Offline')) throw new Offline('hors ligne');
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    throw new Refused(res.status, (data && data.erreur) ||
      `le serveur a répondu ${res.status}`);
  }
  return data;
}

function kept(key) {
  try { return JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { return null; }
}

// Who the token is; the last answer kept when offline.
export async function session() {
  try {
    const s = await call('/api/v1/session');
    localStorage.setItem(SESSION, JSON.stringify(s));
    return s;
  } catch (e) {
    if (e instanceof Offline && kept(SESSION)) return kept(SESSION);
    throw e;
  }
}

// The plan, compiled once into lookups the pages use.
let compiled = null;
export async function plan() {
  if (compiled) return compiled;
  let p;
  try {
    p = await call('/api/v1/plan');
    try { localStorage.setItem(PLAN, JSON.stringify(p)); } catch (e) { /* full */ }
  } catch (e) {
    if (!(e instanceof Offline) || !kept(PLAN)) throw e;
    p = kept(PLAN);
  }
  const words = list => Object.fromEntries(list.map(w => [w.keyword, w]));
  compiled = {
    ...p,
    sheetBy: Object.fromEntries(p.sheets.map(s => [s.code, s])),
    activityBy: words(p.activities),
    categoryBy: words(p.categories),
    structureBy: words(p.structures),
    communeBy: Object.fromEntries(p.communes.map(c => [c.code, c])),
    axisBy: Object.fromEntries(p.axes.map(a => [a.code, a])),
  };
  return compiled;
}

// A commune's name for a code (or the words for the special keys).
export function communeName(p, code) {
  if (!code || code === 'inconnue') return 'inconnue';
  if (code === 'hors') return 'hors CC';
  const c = p.communeBy[code];
  return c ? c.name : code;
}
