// evidence.js — a dated element of evidence for a sheet's indicator
// (a document made, a survey's result, a meeting held), as the
// coordinator records it from the sheet page. Checked in French before
// it is sent; a refusal of ctgd is shown beside the field it names.

import { el, today, uuidv7 } from './util.js';
import { call, Offline } from './api.js';
import { field, setError } from './widgets.js';

// The sheet's indicators, those judged on evidence first.
function indicatorOptions(sheet) {
  const qual = sheet.indicators.filter(i => i.measure === 'qualitative');
  const other = sheet.indicators.filter(i => i.measure !== 'qualitative');
  return [...qual, ...other].map(i => el('option', { value: i.id }, i.label));
}

// Where a refusal belongs, by its first word.
const REASON_FIELDS = [[/^indicateur/, 'indicator'], [/^date/, 'date'],
  [/^état/, 'state'], [/^texte/, 'text'], [/^référence/, 'reference']];

function reasonField(reason) {
  const hit = REASON_FIELDS.find(([re]) => re.test(reason || ''));
  return hit ? hit[1] : null;
}

// The form under a sheet's indicators; done() redraws the page once stored.
export function evidenceForm(sheet, done) {
  const f = {
    indicator: field('Indicateur', el('select', { id: 'ev-indicator' }, indicatorOptions(sheet))),
    date: field('Date', el('input', { id: 'ev-date', type: 'date', value: today(), required: true }),
      'Le jour où l\'élément a été établi (JJ/MM/AAAA).'),
    state: field('État', el('select', { id: 'ev-state' },
      el('option', { value: 'réalisé' }, 'réalisé'), el('option', { value: 'en cours' }, 'en cours'))),
    text: field('Ce qui a été fait', el('textarea', { id: 'ev-text', rows: 3, required: true, maxlength: 2000 }),
      'Par exemple : « Dépliant du RIPE diffusé dans les 9 mairies ».'),
    reference: field('Référence (facultatif)', el('input', { id: 'ev-reference', type: 'text', maxlength: 500 }),
      'Le document, le lien ou le compte rendu qui en garde la trace.'),
  };
  const message = el('p', { class: 'err', 'aria-live': 'polite' });
  const form = el('form', { class: 'evidence-form', id: 'evidence-form', novalidate: true },
    ...Object.values(f).map(x => x.box), message,
    el('button', { type: 'submit', class: 'primary' }, 'Enregistrer l\'élément'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    Object.values(f).forEach(x => setError(x, ''));
    message.textContent = '';
    const body = {
      id: uuidv7(), indicator: f.indicator.input.value, date: f.date.input.value,
      state: f.state.input.value, text: f.text.input.value.trim(),
      reference: f.reference.input.value.trim() || undefined,
    };
    let bad = false;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(body.date)) { setError(f.date, 'date invalide : attendu JJ/MM/AAAA'); bad = true; }
    if (!body.text) { setError(f.text, 'texte vide : dites ce qui a été fait'); bad = true; }
    if (bad) return;
    try {
      const res = await call('/api/v1/evidence', { method: 'POST', body });
      const ack = res.acks[0];
      if (ack.status === 'accepted' || ack.status === 'duplicate') { done(); return; }
      const where = f[reasonField(ack.reason)];
      if (where) setError(where, ack.reason); else message.textContent = ack.reason;
    } catch (e) {
      message.textContent = e instanceof Offline ?
        'Serveur injoignable : l\'élément n\'est pas enregistré, renvoyez-le une fois en ligne.' :
        `Refusé : ${e.message}`;
    }
  });
  return el('section', { 'aria-labelledby': 'ev-title' },
    el('h2', { id: 'ev-title' }, 'Ajouter un élément de preuve'), form);
}
