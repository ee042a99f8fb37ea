// util.js — small helpers shared by the pages: building DOM, French
// dates and numbers, record ids.

// el('p', {class: 'x'}, 'text', child…): an element; attributes whose
// name starts with "on" are listeners; null children are skipped.
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin',
  'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

// "2026-11-30" -> "30/11/2026"
export function frDate(iso) {
  if (!iso || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return iso || '';
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

// "2022:0-6 ans|2023:7-18 ans" -> "2022 (0–6 ans), 2023 (7–18 ans)", as the reports say it
export function frDeadline(d) {
  return (d || '').split('|').filter(Boolean).map(p => {
    const i = p.indexOf(':');
    return i < 0 ? p : `${p.slice(0, i)} (${p.slice(i + 1).replace(/-/g, '–')})`;
  }).join(', ');
}

// "de mars 2024", "d'octobre 2026": a month after « bilan »
export function frOfMonth(ym) {
  const m = frMonth(ym);
  return /^[aeiou]/.test(m) ? `d'${m}` : `de ${m}`;
}

// "2026-07" -> "juillet 2026"
export function frMonth(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(ym || '');
  return m ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : ym;
}

const SHORT_MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août',
  'sept.', 'oct.', 'nov.', 'déc.'];

// "2026-07" -> "juil."
export function shortMonth(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(ym || '');
  return m ? SHORT_MONTHS[Number(m[2]) - 1] : ym;
}

// Milliseconds since 1970 -> "le 2 décembre 2026 à 6 h 54"
export function frTime(ms) {
  const d = new Date(ms);
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `le ${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()} à ` +
    `${d.getHours()} h ${mm}`;
}

export function frNumber(n) {
  return typeof n === 'number' ? n.toLocaleString('fr-FR') : String(n);
}

// Today where the device is, as YYYY-MM-DD.
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-` +
    `${String(d.getDate()).padStart(2, '0')}`;
}

export function hex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

// A UUIDv7: 48 bits of milliseconds, then random bits (RFC 9562).
export function uuidv7() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-` +
    `${h.slice(16, 20)}-${h.slice(20)}`;
}

// Lower case, no accents, single spaces: what a search compares.
export function fold(s) {
  return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[-'’\s]+/g, ' ').trim();
}
