// outbox.js — what was entered on this device, kept until ctgd has
// stored it. Each entry is written to the device before anything is
// sent; it leaves the outbox only once ctgd's answer says stored (or
// already stored: the record's id makes a resend harmless). A refused
// entry stays, with ctgd's reason, until it is corrected or discarded.

import { call, Offline, Refused } from './api.js';

const KEY = 'ctg.outbox';
const KEEP_SENT_MS = 7 * 24 * 3600 * 1000;
const listeners = new Set();
// Sends run one after the other: each waits for the one before it.
let queue = Promise.resolve(null);

function load() {
  try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch (e) { return []; }
}

function save(items) {
  localStorage.setItem(KEY, JSON.stringify(items));
  for (const f of listeners) f(items);
}

export function entries() { return load(); }
export function onChange(f) { listeners.add(f); return () => listeners.delete(f); }

// Keeps an entry: {op: 'submit'|'amend'|'void', id, record?, reason?}.
export function put(entry) {
  const items = load().filter(e => !(e.key === entry.op + ':' + entry.id));
  items.push({ ...entry, key: entry.op + ':' + entry.id, state: 'pending',
    savedAt: Date.now() });
  save(items);
}

export function discard(key) {
  save(load().filter(e => e.key !== key));
}

export function find(key) { return load().find(e => e.key === key); }

function settle(key, ack) {
  const items = load();
  const e = items.find(x => x.key === key);
  if (!e) return;
  if (ack.status === 'accepted' || ack.status === 'duplicate') {
    e.state = 'sent';
    e.sentAt = Date.now();
    delete e.error;
  } else {
    e.state = 'refused';
    e.error = ack.status === 'conflict' ?
      'un autre enregistrement porte déjà cet identifiant : enregistrez-le à nouveau' :
      ack.reason || 'refusé par le serveur';
  }
  save(items.filter(x => x.state !== 'sent' || Date.now() - x.sentAt < KEEP_SENT_MS));
}

function request(entries) {
  const e = entries[0];
  if (e.op === 'submit') {
    return call('/api/v1/records', { method: 'POST',
      body: { records: entries.map(x => x.record) } });
  }
  if (e.op === 'amend') {
    return call(`/api/v1/records/${e.id}/amend`, { method: 'POST', body: e.record });
  }
  return call(`/api/v1/records/${e.id}/void`, { method: 'POST', body: { reason: e.reason } });
}

// Sends what is pending, in order (consecutive records in one request).
// Resolves to null, or to the French reason sending stopped.
export function flush() {
  const run = queue.then(drain);
  queue = run.catch(() => null);
  return run;
}

async function drain() {
  for (;;) {
    const pending = load().filter(e => e.state === 'pending');
    if (pending.length === 0) return null;
    let batch = [pending[0]];
    if (pending[0].op === 'submit') {
      batch = [];
      for (const e of pending) {
        if (e.op !== 'submit' || batch.length === 100) break;
        batch.push(e);
      }
    }
    let answer;
    try {
      answer = await request(batch);
    } catch (err) {
      if (err instanceof Offline) return 'hors ligne : envoi dès le retour du réseau';
      if (err instanceof Refused && (err.status === 400 || err.status === 413)) {
        for (const e of batch) settle(e.key, { status: 'refused', reason: err.message });
        continue;
      }
      return err.message;
    }
    batch.forEach((e, i) => settle(e.key, answer.acks[i] || { status: 'refused' }));
  }
}
