// form.js — « Nouvelle activité »: one record, checked field by field
// before it is kept on the device and sent (outbox.js).

import { el, clear, today, uuidv7, frDate } from './util.js';
import { field, setError, combobox, uid } from './widgets.js';
import * as outbox from './outbox.js';
import * as person from './person.js';
import { communeName } from './api.js';

const FIRST_DAY = '2020-01-01';

function tomorrow() {
  const d = new Date(Date.now() + 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// How often each sheet and partner appears in this device's and this
// structure's records: her sheets come first, her partners are offered.
function habits(ctx) {
  const sheets = {}, partners = {};
  const records = outbox.entries().filter(e => e.record).map(e => e.record)
    .concat(ctx.recent || []);
  for (const r of records) {
    for (const s of r.sheets || []) sheets[s] = (sheets[s] || 0) + 1;
    for (const p of r.partners || []) partners[p] = (partners[p] || 0) + 1;
  }
  return { sheets, partners: Object.keys(partners).sort((a, b) => partners[b] - partners[a]) };
}

function communeItems(plan, withUnknown) {
  const items = plan.communes.map(c => ({ value: c.code, label: c.name,
    hint: c.cc ? (c.current ? `commune déléguée, ${c.code}` : c.code) : `hors CC, ${c.code}`,
    rank: c.cc ? 0 : 1 }));
  if (withUnknown) items.unshift({ value: '', label: 'inconnue', hint: 'commune de résidence non connue', rank: -1 });
  return items;
}

// A typed INSEE code outside the plan's list is taken as such: ctgd knows them all.
const inseeCode = s => (/^[0-9][0-9AB][0-9]{3}$/.test(s) ? s : null);

// Where a French refusal of ctgd belongs: the field it names.
const REASON_FIELDS = [
  [/^(la )?fiche|^trop de fiches/, 'sheets'],
  [/^activité/, 'activity'],
  [/^date/, 'date'],
  [/^commune/, 'commune'],
  [/^structure|^accès refusé : la structure/, 'structure'],
  [/^groupe (\d+)/, 'group'],
  [/^partenaire|^trop de partenaires/, 'partners'],
  [/^titre/, 'title'],
];

export function reasonField(reason) {
  for (const [re, name] of REASON_FIELDS) {
    const m = re.exec(reason || '');
    if (m) return name === 'group' ? `group${Number(m[1]) - 1}` : name;
  }
  return null;
}

export function recordForm(root, ctx, options = {}) {
  const { plan, session } = ctx;
  const amend = options.op === 'amend';
  const initial = options.record || null;
  const id = options.id || uuidv7();
  const mine = session.structures && session.structures.length ? session.structures :
    plan.structures.map(s => s.keyword);
  const h = habits(ctx);
  const fields = {};
  let sheets = initial ? [...initial.sheets] : [];
  const groups = [];

  const banner = el('div', { class: 'banner', role: 'status', 'aria-live': 'polite' });

  // Structure
  const structSel = el('select', { id: uid('structure') },
    mine.map(k => el('option', { value: k }, plan.structureBy[k] ? plan.structureBy[k].label : k)));
  if (initial) structSel.value = initial.structure;
  fields.structure = field('Structure', structSel);
  if (mine.length === 1) fields.structure.box.classList.add('single');

  // Sheets
  const chips = el('ul', { class: 'chips', 'aria-label': 'Fiches choisies' });
  const sheetBox = combobox({
    placeholder: 'titre, code ou numéro de la fiche',
    items: () => plan.sheets.filter(s => !sheets.includes(s.code)).map(s => ({
      value: s.code, label: `${s.code} — ${s.title}`,
      hint: h.sheets[s.code] ? 'déjà utilisée par votre structure' : plan.axisBy[s.axis].title,
      rank: -(h.sheets[s.code] || 0),
    })),
    onpick: it => { sheets.push(it.value); sheetBox.reset(); drawChips(); fillActivities(); drawGroups(); },
  });
  fields.sheets = field('Fiche(s) action', sheetBox.input, 'Tapez quelques lettres puis choisissez dans la liste ; plusieurs fiches possibles.', sheetBox.box);
  fields.sheets.box.insertBefore(chips, fields.sheets.error);
  function drawChips() {
    clear(chips);
    for (const code of sheets) {
      chips.append(el('li', {}, el('span', {}, `${code} — ${plan.sheetBy[code].title}`),
        el('button', { type: 'button', class: 'chip-x', 'aria-label': `Retirer la fiche ${code}`,
          onclick: () => { sheets = sheets.filter(s => s !== code); drawChips(); fillActivities(); drawGroups(); } }, '×')));
    }
  }

  // Activity
  const actSel = el('select', { id: uid('activity') });
  fields.activity = field('Activité', actSel);
  function fillActivities() {
    const keep = actSel.value || (initial && initial.activity);
    let allowed = plan.activities.map(a => a.keyword);
    for (const code of sheets) allowed = allowed.filter(a => plan.sheetBy[code].activities.includes(a));
    clear(actSel).append(el('option', { value: '' }, allowed.length ? '— choisir —' : 'aucune activité commune à ces fiches'));
    for (const a of allowed) actSel.append(el('option', { value: a }, plan.activityBy[a].label));
    if (allowed.includes(keep)) actSel.value = keep;
  }

  // Date
  const dateIn = el('input', { id: uid('date'), type: 'date', min: FIRST_DAY, max: tomorrow(),
    value: initial ? initial.date : today(), required: true });
  fields.date = field('Date', dateIn);

  // Venue
  const venue = combobox({ placeholder: 'nom de la commune', items: communeItems(plan, false), free: inseeCode });
  if (initial) venue.set({ value: initial.commune, label: communeName(plan, initial.commune) });
  fields.commune = field('Lieu (commune)', venue.input, null, venue.box);

  // Participants
  const groupList = el('div', { class: 'groups' });
  const addGroup = el('button', { type: 'button', class: 'secondary', onclick: () => { groups.push({}); drawGroups(); } },
    '+ Ajouter un groupe de participants');
  const groupSet = el('fieldset', { class: 'groupset' }, el('legend', {}, 'Participants'),
    el('p', { class: 'hint' }, 'Un groupe par catégorie et commune de résidence.'), groupList, addGroup);
  const countsPersons = () => sheets.some(c => plan.sheetBy[c].persons);
  function drawGroups() {
    // Keep what was typed before redrawing.
    groups.forEach(g => g.read && Object.assign(g, g.read()));
    clear(groupList);
    groups.forEach((g, i) => {
      const cat = el('select', { id: uid('cat') }, el('option', { value: '' }, '— choisir —'),
        plan.categories.map(c => el('option', { value: c.keyword }, c.label)));
      cat.value = g.category || '';
      const res = combobox({ placeholder: 'commune, « inconnue »…', items: communeItems(plan, true), free: inseeCode });
      if (g.residenceText !== undefined) {
        // Redrawn: what was typed, as it was typed.
        res.set(g.residence !== null && g.residenceText ? { value: g.residence, label: g.residenceText } : null);
        if (g.residence === null) res.input.value = g.residenceText;
      } else if (g.residence !== undefined) {
        res.set({ value: g.residence || '', label: g.residence ? communeName(plan, g.residence) : 'inconnue' });
      }
      const count = el('input', { id: uid('count'), type: 'number', min: 0, max: 100000, step: 1, inputmode: 'numeric',
        value: g.count !== undefined ? g.count : '' });
      const fc = field('Catégorie', cat), fr = field('Commune de résidence', res.input, null, res.box);
      const fn = field('Nombre', count);
      let fp = null, who = null;
      if (countsPersons() && person.available()) {
        who = el('input', { id: uid('person'), type: 'text', autocomplete: 'off', value: g.who || '' });
        fp = field('Personne (facultatif)', who, 'Nom ou identifiant local : il reste sur cet appareil, seul un code est envoyé. Le nombre est alors 1.');
      }
      const remove = el('button', { type: 'button', class: 'link', onclick: () => { groups.splice(i, 1); drawGroups(); } },
        `Retirer le groupe ${i + 1}`);
      g.read = () => ({ category: cat.value, residence: res.value(), residenceText: res.input.value, count: count.value,
        who: who ? who.value : g.who, person: who && who.value.trim() ? undefined : g.person });
      g.fields = { category: fc, residence: fr, count: fn, person: fp };
      groupList.append(el('div', { class: 'group', role: 'group', 'aria-label': `Groupe ${i + 1}` },
        el('p', { class: 'group-title' }, `Groupe ${i + 1}`), fc.box, fr.box, fn.box, fp && fp.box, remove));
    });
  }
  if (initial) for (const g of initial.groups) groups.push({ ...g, residence: g.residence || '' });
  else groups.push({});

  // Partners, title
  const partnersIn = el('input', { id: uid('partners'), type: 'text', list: 'partners-known', autocomplete: 'off',
    value: initial ? initial.partners.join(', ') : '' });
  const known = el('datalist', { id: 'partners-known' }, h.partners.map(p => el('option', { value: p })));
  fields.partners = field('Partenaires', partnersIn, 'Séparés par des virgules. Ceux de votre structure sont proposés.');
  fields.partners.box.append(known);
  const titleIn = el('input', { id: uid('title'), type: 'text', maxlength: 500, value: initial && initial.title ? initial.title : '' });
  fields.title = field('Titre', titleIn, 'Par exemple « Matinée d\'éveil à Montcuq ».');

  const submit = el('button', { type: 'submit', class: 'primary' }, amend ? 'Enregistrer la correction' : 'Enregistrer');
  const form = el('form', { class: 'record', novalidate: true, 'aria-labelledby': 'form-title' },
    fields.structure.box, fields.sheets.box, fields.activity.box, fields.date.box, fields.commune.box,
    groupSet, fields.partners.box, fields.title.box, submit);

  function clearErrors() {
    Object.values(fields).forEach(f => setError(f, ''));
    groups.forEach(g => g.fields && Object.values(g.fields).forEach(f => f && setError(f, '')));
  }

  // The record as typed, with the French mistakes found, by field.
  function read() {
    const errors = [];
    const r = { id, sheets: [...sheets], activity: actSel.value, date: dateIn.value,
      commune: venue.value(), structure: structSel.value, groups: [], partners: [], title: titleIn.value.trim() || null };
    if (!r.activity) errors.push([fields.activity, sheets.length && actSel.options.length === 1 ?
      'aucune activité n\'est acceptée par toutes ces fiches : retirez une fiche' : 'choisissez l\'activité']);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.date)) errors.push([fields.date, 'date invalide : attendu une date réelle (JJ/MM/AAAA)']);
    else if (r.date < FIRST_DAY || r.date > tomorrow()) errors.push([fields.date,
      `date hors limites : attendu entre le ${frDate(FIRST_DAY)} et demain`]);
    if (!r.commune) errors.push([fields.commune, venue.input.value.trim() ?
      `commune « ${venue.input.value.trim()} » inconnue : choisissez-la dans la liste ou tapez son code INSEE` :
      'indiquez la commune où l\'activité a eu lieu']);
    groups.forEach(g => g.read && Object.assign(g, g.read()));
    groups.forEach((g, i) => {
      const n = Number(g.count);
      if (!g.category) errors.push([g.fields.category, 'choisissez la catégorie']);
      if (g.residence === null) errors.push([g.fields.residence,
        `commune « ${g.residenceText} » inconnue : choisissez-la dans la liste, « inconnue », ou tapez son code INSEE`]);
      if (g.count === '' || !Number.isInteger(n) || n < 0 || n > 100000) errors.push([g.fields.count,
        'nombre invalide : attendu un nombre entier de 0 à 100 000']);
      else if (g.who && g.who.trim() && n !== 1) errors.push([g.fields.count, 'un groupe qui nomme une personne compte 1 participant']);
      r.groups.push({ category: g.category, residence: g.residence || null, count: n, who: g.who, person: g.person });
    });
    r.partners = partnersIn.value.split(/[,;]/).map(p => p.trim()).filter(Boolean);
    if (r.title && new TextEncoder().encode(r.title).length > 500) errors.push([fields.title, 'titre trop long : 500 octets au plus']);
    return { r, errors };
  }

  function showErrors(errors) {
    for (const [f, msg] of errors) setError(f, msg);
    if (errors.length) errors[0][0].input.focus();
  }

  // A refusal of ctgd, beside the field it names.
  function showRefusal(reason) {
    const where = reasonField(reason);
    let f = fields[where];
    if (!f && where && where.startsWith('group')) {
      const g = groups[Number(where.slice(5))];
      f = g && g.fields && (/personne/.test(reason) ? g.fields.person : /résidence/.test(reason) ? g.fields.residence :
        /effectif|nombre/.test(reason) ? g.fields.count : g.fields.category);
    }
    if (f) showErrors([[f, `refusé par le serveur : ${reason}`]]);
    banner.className = 'banner bad';
    banner.textContent = `Refusé par le serveur : ${reason}. La saisie reste sur cet appareil : corrigez-la puis enregistrez à nouveau, ou abandonnez-la dans « Mes saisies ».`;
  }

  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    clearErrors();
    const { r, errors } = read();
    if (errors.length) {
      banner.className = 'banner bad';
      banner.textContent = `${errors.length} champ(s) à corriger avant d'enregistrer.`;
      showErrors(errors);
      return;
    }
    for (const g of r.groups) {
      if (g.who && g.who.trim()) g.person = await person.token(g.who);
      delete g.who;
      if (!g.person) delete g.person;
    }
    outbox.put({ op: amend ? 'amend' : 'submit', id, record: r });
    banner.className = 'banner';
    banner.textContent = 'Enregistré sur cet appareil — envoi en cours…';
    submit.disabled = true;
    const stopped = await outbox.flush();
    submit.disabled = false;
    const e = outbox.find(`${amend ? 'amend' : 'submit'}:${id}`);
    if (e && e.state === 'refused') { showRefusal(e.error); window.scrollTo(0, 0); return; }
    if (e && e.state === 'pending') {
      banner.className = 'banner wait';
      banner.textContent = `Enregistré sur cet appareil, en attente d'envoi (${stopped || 'envoi au retour du réseau'}). Il partira tout seul.`;
    } else {
      banner.className = 'banner ok';
      banner.textContent = amend ? 'Correction enregistrée par le serveur.' : 'Activité enregistrée par le serveur.';
    }
    if (options.done) options.done(e);
    else recordForm(root, ctx, { keep: { structure: r.structure, date: r.date }, message: banner.textContent, messageClass: banner.className });
  });

  if (options.keep) { structSel.value = options.keep.structure; dateIn.value = options.keep.date; }
  if (options.message) { banner.textContent = options.message; banner.className = options.messageClass; }
  drawChips();
  fillActivities();
  drawGroups();
  clear(root).append(el('h1', { id: 'form-title' }, amend ? `Corriger l'activité du ${frDate(initial.date)}` : 'Nouvelle activité'),
    banner, form);
  if (options.refusal) showRefusal(options.refusal);
  // A new form after a save: its top, with what became of the last one.
  if (options.message) { window.scrollTo(0, 0); banner.setAttribute('tabindex', '-1'); banner.focus(); }
  return form;
}
