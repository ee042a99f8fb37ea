// mine.js — « Mes saisies »: what waits on this device, and the
// structure's records stored by ctgd, to correct or cancel.

import { el, clear, frDate, frTime } from './util.js';
import { call, Offline, communeName } from './api.js';
import * as outbox from './outbox.js';
import { recordForm } from './form.js';

const RECENT = 'ctg.recent';

const STATE_WORDS = { pending: 'en attente d\'envoi', refused: 'refusé — à corriger', sent: 'envoyé' };
const OP_WORDS = { submit: 'Nouvelle activité', amend: 'Correction', void: 'Annulation' };

export async function recentRecords(session) {
  const list = [];
  try {
    for (const s of session.structures || []) {
      const doc = await call(`/api/v1/structures/${encodeURIComponent(s)}/records`);
      list.push(...doc.records.map(r => ({ ...r, structure: s })));
    }
    localStorage.setItem(RECENT, JSON.stringify(list));
    return { list, offline: false };
  } catch (e) {
    if (!(e instanceof Offline)) throw e;
    return { list: JSON.parse(localStorage.getItem(RECENT) || '[]'), offline: true };
  }
}

function describe(plan, r) {
  const act = plan.activityBy[r.activity] ? plan.activityBy[r.activity].label : r.activity;
  return `${frDate(r.date)} — ${act} à ${communeName(plan, r.commune)}`;
}

function deviceList(ctx, root) {
  const items = outbox.entries().filter(e => e.state !== 'sent');
  if (!items.length) return el('p', { class: 'muted' }, 'Rien en attente sur cet appareil.');
  return el('ul', { class: 'cards' }, items.map(e => el('li', { class: `card ${e.state}` },
    el('p', { class: 'card-title' }, `${OP_WORDS[e.op]} : `, e.record ? describe(ctx.plan, e.record) : e.id),
    el('p', { class: `state ${e.state}` }, STATE_WORDS[e.state], ` (saisi ${frTime(e.savedAt)})`),
    e.error ? el('p', { class: 'reason' }, `Motif : ${e.error}`) : null,
    el('div', { class: 'actions' },
      e.state === 'refused' && e.record ? el('button', { type: 'button', class: 'secondary',
        onclick: () => recordForm(root, ctx, { op: e.op, id: e.id, record: e.record, refusal: e.error,
          done: () => minePage(root, ctx) }) }, 'Corriger') : null,
      e.state === 'refused' ? el('button', { type: 'button', class: 'link danger',
        onclick: () => { if (confirm('Abandonner cette saisie ? Elle sera effacée de cet appareil.')) { outbox.discard(e.key); minePage(root, ctx); } } },
        'Abandonner') : null))));
}

async function amend(root, ctx, r) {
  const doc = await call(`/api/v1/records/${r.id}`);
  const last = doc.revisions[doc.revisions.length - 1];
  recordForm(root, ctx, { op: 'amend', id: doc.id, record: last, done: () => minePage(root, ctx) });
}

function voidForm(ctx, root, r, box) {
  const reason = el('input', { type: 'text', id: `void-${r.id}`, required: true });
  const err = el('p', { class: 'err', 'aria-live': 'polite' });
  const f = el('form', { class: 'void' },
    el('label', { for: reason.id }, 'Motif de l\'annulation'), reason, err,
    el('button', { type: 'submit', class: 'danger' }, 'Confirmer l\'annulation'));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    if (!reason.value.trim()) { err.textContent = 'dites pourquoi l\'enregistrement est annulé'; reason.focus(); return; }
    outbox.put({ op: 'void', id: r.id, reason: reason.value.trim() });
    await outbox.flush();
    minePage(root, ctx);
  });
  box.append(f);
  reason.focus();
}

function serverList(ctx, root, list) {
  if (!list.length) return el('p', { class: 'muted' }, 'Aucun enregistrement de votre structure pour l\'instant.');
  return el('ul', { class: 'cards' }, list.map(r => {
    const box = el('li', { class: `card${r.voided ? ' voided' : ''}` },
      el('p', { class: 'card-title' }, describe(ctx.plan, r)),
      el('p', {}, r.title || 'sans titre', ` — ${r.participants} participant(s)`,
        r.sheets.length ? ` — fiche(s) ${r.sheets.join(', ')}` : ''),
      r.voided ? el('p', { class: 'state refused' }, 'annulé') : null);
    if (!r.voided) {
      box.append(el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'secondary', onclick: () => amend(root, ctx, r).catch(e => alert(e.message)) }, 'Corriger'),
        el('button', { type: 'button', class: 'link danger', onclick: ev => { ev.target.disabled = true; voidForm(ctx, root, r, box); } }, 'Annuler')));
    }
    return box;
  }));
}

export async function minePage(root, ctx) {
  clear(root).append(el('h1', {}, 'Mes saisies'), el('h2', {}, 'Sur cet appareil'), deviceList(ctx, root));
  const head = el('h2', {}, 'Enregistrées par le serveur');
  root.append(head);
  if (!(ctx.session.structures || []).length) {
    root.append(el('p', { class: 'muted' }, 'Ce jeton n\'est lié à aucune structure.'));
    return;
  }
  const { list, offline } = await recentRecords(ctx.session);
  ctx.recent = list;
  if (offline) root.append(el('p', { class: 'banner wait' }, 'Hors ligne : dernière liste reçue.'));
  root.append(serverList(ctx, root, list.sort((a, b) => (b.date + b.received_ms).localeCompare(a.date + a.received_ms))));
}
