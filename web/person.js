// person.js — pseudonymous person tokens, made in the browser: the
// token of a name or local identifier is HMAC-SHA256 under a key that
// stays with the structure. The key is the same 32 bytes as ctg-submit's
// key file (personnes.key), so both count the same person once.

import { hex } from './util.js';

const KEY = 'ctg.personKey';

function keyBytes() {
  let h = localStorage.getItem(KEY);
  if (!h) {
    const b = new Uint8Array(32);
    crypto.getRandomValues(b);
    h = hex(b);
    localStorage.setItem(KEY, h);
  }
  return Uint8Array.from(h.match(/../g), x => parseInt(x, 16));
}

export function available() { return !!(window.crypto && crypto.subtle); }
export function hasKey() { return !!localStorage.getItem(KEY); }

// The 64 hex digits of the token of id (blanks around it do not count).
export async function token(id) {
  const k = await crypto.subtle.importKey('raw', keyBytes(), { name: 'HMAC', hash: 'SHA-256' },
    false, ['sign']);
  const text = id.replace(/^[ \t]+|[ \t]+$/g, '');
  const mac = await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(text));
  return hex(new Uint8Array(mac));
}

// The key as a file to carry to another device or to ctg-submit.
export function exportKey() {
  return new Blob([keyBytes()], { type: 'application/octet-stream' });
}

// Takes the key of a file; a French reason when it is not one.
export async function importKey(file) {
  const b = new Uint8Array(await file.arrayBuffer());
  if (b.length !== 32) return `ce fichier n'est pas une clé : attendu 32 octets, il en a ${b.length}`;
  localStorage.setItem(KEY, hex(b));
  return null;
}
