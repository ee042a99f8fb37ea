// widgets.js — the form's pieces: a search-as-you-type list (combobox),
// a field with its label and its error line.

import { el, clear, fold } from './util.js';

let serial = 0;
export function uid(prefix) { serial += 1; return `${prefix}-${serial}`; }

// A labelled field: the label names input, shown in control (the input
// itself, or what holds it); returns {box, input, error}.
export function field(label, input, hint, control = input) {
  const id = input.id || (input.id = uid('f'));
  const err = el('p', { class: 'err', id: `${id}-err`, 'aria-live': 'polite' });
  const hintEl = hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  input.setAttribute('aria-describedby', [hintEl && hintEl.id, err.id].filter(Boolean).join(' '));
  const box = el('div', { class: 'field' }, el('label', { for: id }, label), hintEl, control, err);
  return { box, input, error: err };
}

export function setError(f, message) {
  f.error.textContent = message || '';
  if (message) f.input.setAttribute('aria-invalid', 'true');
  else f.input.removeAttribute('aria-invalid');
}

// A text input that lists matching items as one types; picking one calls
// onpick(item). items: [{value, label, hint?, rank?}] or a function giving
// them. The input keeps the picked item's label; .value() its value.
export function combobox({ id, placeholder, items, onpick, max = 8, free }) {
  const input = el('input', { id: id || uid('cb'), type: 'text', role: 'combobox',
    autocomplete: 'off', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    placeholder });
  const list = el('ul', { class: 'options', role: 'listbox', id: `${input.id}-list`,
    'aria-label': placeholder || 'suggestions', hidden: true });
  input.setAttribute('aria-controls', list.id);
  let shown = [], active = -1, picked = null;
  const wrap = el('div', { class: 'combo' }, input, list);

  function all() { return typeof items === 'function' ? items() : items; }
  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function choose(item) {
    picked = item;
    input.value = item.label;
    close();
    if (onpick) onpick(item);
  }
  function mark(i) {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) input.setAttribute('aria-activedescendant', list.children[i].id);
  }
  function show() {
    const q = fold(input.value);
    const words = q.split(' ').filter(Boolean);
    shown = all().filter(it => {
      const hay = fold(`${it.label} ${it.hint || ''} ${it.value}`);
      return words.every(w => hay.includes(w));
    }).sort((a, b) => (a.rank || 0) - (b.rank || 0)).slice(0, max);
    clear(list);
    shown.forEach((it, i) => {
      const li = el('li', { role: 'option', id: `${input.id}-o${i}`, 'aria-selected': 'false',
        onmousedown: ev => { ev.preventDefault(); choose(it); } },
        el('span', { class: 'opt' }, it.label), it.hint ? el('span', { class: 'opt-hint' }, it.hint) : null);
      list.append(li);
    });
    list.hidden = shown.length === 0;
    input.setAttribute('aria-expanded', String(!list.hidden));
    active = -1;
  }
  // Leaving the field closes the list, unless one comes back at once.
  let closing = null;
  const reopen = () => { clearTimeout(closing); show(); };
  input.addEventListener('input', () => { picked = null; reopen(); });
  input.addEventListener('focus', reopen);
  input.addEventListener('blur', () => { closing = setTimeout(close, 150); });
  input.addEventListener('keydown', ev => {
    if (ev.key === 'ArrowDown' && shown.length) { ev.preventDefault(); mark(Math.min(active + 1, shown.length - 1)); }
    else if (ev.key === 'ArrowUp' && shown.length) { ev.preventDefault(); mark(Math.max(active - 1, 0)); }
    else if (ev.key === 'Enter' && !list.hidden && shown.length) {
      ev.preventDefault();
      choose(shown[active >= 0 ? active : 0]);
    } else if (ev.key === 'Escape') close();
  });
  return {
    box: wrap, input,
    value() {
      if (picked) return picked.value;
      const typed = input.value.trim();
      const exact = all().find(it => fold(it.label) === fold(typed) || it.value === typed);
      if (exact) return exact.value;
      return free ? free(typed) : null;
    },
    set(item) { picked = item; input.value = item ? item.label : ''; },
    reset() { picked = null; input.value = ''; },
  };
}
