// dash.js — the coordinator's pages: the sheets by axis, one sheet's
// indicators and charts, the records behind an indicator, who has not
// reported, the bilans; every table downloadable.

import { el, clear, frDate, frDeadline, frOfMonth, shortMonth, frNumber, frTime } from './util.js';
import { call, token, communeName } from './api.js';
import { barChart } from './chart.js';
import { evidenceForm } from './evidence.js';

const KIND_WORDS = { real: 'réalisation', res: 'résultat', imp: 'impact' };
const STATUS_CLASS = { 'atteint': 'st-ok', 'en bonne voie': 'st-good', 'en retard': 'st-late',
  'non commencé': 'st-none' };

function status(word) {
  return word ? el('span', { class: `status ${STATUS_CLASS[word] || ''}` }, word) : el('span', { class: 'muted' }, '—');
}

function yearOf(ctx) {
  return Number(ctx.params.get('annee')) || new Date().getFullYear();
}

function windowOf(year) { return `from=${year}-01&to=${year}-12`; }

// A file of ctgd (CSV, report) saved through the page: the token goes in
// the header, never in an address.
async function download(path, name) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  if (!res.ok) {
    let msg = `le serveur a répondu ${res.status}`;
    try { msg = (await res.json()).erreur || msg; } catch (e) { /* not JSON */ }
    alert(`Téléchargement impossible : ${msg}`);
    return;
  }
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function downloadButton(label, path, name) {
  return el('button', { type: 'button', class: 'secondary small', onclick: () => download(path, name) }, label);
}

// A table as a workbook (opens right in Excel or LibreOffice) and as CSV:
// base is the route without its suffix, query its window.
function tableButtons(what, base, query, name) {
  const q = query ? `?${query}` : '';
  return [downloadButton(`${what} (Excel, LibreOffice)`, `${base}.xlsx${q}`, `${name}.xlsx`), ' ',
    downloadButton('CSV', `${base}.csv${q}`, `${name}.csv`)];
}

function yearPicker(ctx, route) {
  const year = yearOf(ctx);
  const sel = el('select', { id: 'year', onchange: () => { location.hash = `${route}?annee=${sel.value}`; } });
  for (let y = new Date().getFullYear(); y >= 2020; y--) sel.append(el('option', { value: y, selected: y === year }, y));
  return el('div', { class: 'toolbar' }, el('label', { for: 'year' }, 'Année '), sel);
}

export async function overviewPage(root, ctx) {
  const year = yearOf(ctx);
  const doc = await call(`/api/v1/sheets?${windowOf(year)}`);
  clear(root).append(el('h1', {}, `Tableau de bord ${year}`), yearPicker(ctx, '#/tableau'),
    el('div', { class: 'toolbar' }, ...tableButtons('Télécharger le tableau', '/api/v1/sheets', windowOf(year),
      `fiches-${year}`)));
  const counts = {};
  for (const a of doc.axes) for (const s of a.sheets) counts[s.status] = (counts[s.status] || 0) + 1;
  root.append(el('p', { class: 'summary' }, Object.entries(counts).map(([k, n]) =>
    el('span', { class: 'sum-item' }, status(k), ` ${n} fiche(s)`))));
  for (const axis of doc.axes) {
    root.append(el('section', { class: 'axis' },
      el('h2', {}, `Axe ${axis.code} — ${axis.title}`),
      el('table', { class: 'sheets' },
        el('caption', { class: 'sr-only' }, `Fiches de l'axe ${axis.code} en ${year}`),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Fiche'), el('th', { scope: 'col' }, 'Intitulé'),
          el('th', { scope: 'col' }, 'Statut'), el('th', { scope: 'col', class: 'num' }, 'Activités'),
          el('th', { scope: 'col', class: 'num' }, 'Participants'))),
        el('tbody', {}, axis.sheets.map(s => el('tr', {},
          el('td', {}, el('a', { href: `#/fiche/${s.code}?annee=${year}` }, s.code)),
          el('td', {}, s.title, s.deadline ? el('span', { class: 'muted' }, ` (échéance ${frDeadline(s.deadline)})`) : null),
          el('td', {}, status(s.status)),
          el('td', { class: 'num', 'data-label': 'Activités' }, frNumber(s.records)),
          el('td', { class: 'num', 'data-label': 'Participants' }, frNumber(s.participants))))))));
  }
}

// An indicator's value in words: counts, breakdowns, lists, trends.
function valueText(plan, ind) {
  const v = ind.value;
  if (ind.measure === 'qualitative') return `${ind.evidence.length} élément(s) de preuve`;
  if (ind.measure === 'trend') {
    return ind.ratio === null || ind.ratio === undefined ? `${frNumber(v)} (année précédente : ${frNumber(ind.previous)})` :
      `${frNumber(v)} (${ind.ratio >= 1 ? '+' : ''}${Math.round((ind.ratio - 1) * 100)} % sur un an)`;
  }
  if (Array.isArray(ind.list)) return `${frNumber(v)}${ind.list.length ? ` : ${ind.list.slice(0, 8).map(x => communeName(plan, x)).join(', ')}${ind.list.length > 8 ? '…' : ''}` : ''}`;
  if (v && typeof v === 'object') {
    const words = Object.entries(v).map(([k, n]) => `${(plan.activityBy[k] || plan.categoryBy[k] || {}).label || communeName(plan, k)} : ${frNumber(n)}`);
    return words.length ? words.join(' ; ') : 'aucun';
  }
  return frNumber(v);
}

function targetText(ind) {
  if (ind.target === null || ind.target === undefined) return '—';
  return `${frNumber(ind.target)}${ind.target_per === 'year' ? ' par an' : ''}`;
}

function measureLabel(plan, name) {
  const m = plan.measures.find(x => x.name === name);
  return m ? m.label : name;
}

export async function sheetPage(root, ctx, code) {
  const year = yearOf(ctx);
  const { plan } = ctx;
  const s = await call(`/api/v1/sheets/${encodeURIComponent(code)}?${windowOf(year)}`);
  const small = s.small_cells || 0;
  const months = Object.entries(s.by_month).map(([m, n]) => ({ label: shortMonth(m), value: n }));
  const communes = Object.entries(s.by_residence).map(([k, n]) => ({ label: communeName(plan, k), value: n }))
    .sort((a, b) => b.value - a.value);
  const cats = Object.entries(s.by_category).map(([k, n]) => ({ label: (plan.categoryBy[k] || {}).label || k, value: n }))
    .sort((a, b) => b.value - a.value);
  clear(root).append(
    el('p', { class: 'crumbs' }, el('a', { href: `#/tableau?annee=${year}` }, '← Tableau de bord')),
    el('h1', {}, `${s.code} — ${s.title}`),
    yearPicker(ctx, `#/fiche/${s.code}`),
    el('p', { class: 'summary' }, status(s.status),
      ` ${frNumber(s.records)} activité(s), ${frNumber(s.participants)} participant(s) en ${year}`,
      s.deadline ? ` — échéance ${frDeadline(s.deadline)}` : ''),
    el('div', { class: 'toolbar' }, ...tableButtons('Télécharger les indicateurs',
      `/api/v1/sheets/${s.code}`, windowOf(year), `fiche-${s.code}-${year}`)),
    el('h2', {}, 'Indicateurs'),
    el('table', { class: 'indicators', id: 'indicators' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Indicateur'), el('th', { scope: 'col' }, 'Type'),
        el('th', { scope: 'col' }, 'Valeur'), el('th', { scope: 'col' }, 'Cible'), el('th', { scope: 'col' }, 'Statut'))),
      el('tbody', {}, s.indicators.map(ind => el('tr', { 'data-id': ind.id },
        el('td', {}, ind.label, el('br'), el('span', { class: 'muted' }, measureLabel(plan, ind.measure))),
        el('td', { 'data-label': 'Type' }, KIND_WORDS[ind.kind] || ind.kind),
        el('td', { class: 'value' }, valueText(plan, ind),
          ind.measure !== 'qualitative' ? el('div', {}, el('a', { href: `#/indicateur/${ind.id}?annee=${year}` }, 'voir les activités')) : null,
          ind.evidence && ind.evidence.length ? el('ul', { class: 'evidence' }, ind.evidence.map(e =>
            el('li', {}, `${frDate(e.date)} — ${e.state} : ${e.text}${e.reference ? ` (réf. ${e.reference})` : ''}`))) : null),
        el('td', { 'data-label': 'Cible' }, targetText(ind)),
        el('td', { 'data-label': 'Statut' }, status(ind.status)))))),
  );
  root.append(evidenceForm(s, () => sheetPage(root, ctx, code)));
  root.append(el('h2', {}, 'Activités par mois'), barChart(months, { title: `Activités par mois en ${year}` }));
  root.append(el('h2', {}, 'Participants par commune de résidence'), communes.length ?
    barChart(communes, { title: 'Participants par commune de résidence', small }) : el('p', { class: 'muted' }, 'Aucun participant.'));
  if (small) root.append(el('p', { class: 'hint' }, `Secret statistique : de 1 à ${small - 1} participants, la commune affiche « < ${small} ».`));
  root.append(el('h2', {}, 'Participants par catégorie'), cats.length ?
    barChart(cats, { title: 'Participants par catégorie' }) : el('p', { class: 'muted' }, 'Aucun participant.'));
}

export async function indicatorPage(root, ctx, id) {
  const year = yearOf(ctx);
  const { plan } = ctx;
  const doc = await call(`/api/v1/indicators/${encodeURIComponent(id)}/records?${windowOf(year)}`);
  const sheet = id.split('/')[0];
  clear(root).append(
    el('p', { class: 'crumbs' }, el('a', { href: `#/fiche/${sheet}?annee=${year}` }, `← Fiche ${sheet}`)),
    el('h1', {}, `Activités comptées : ${doc.label}`),
    el('p', { class: 'muted' }, `Fiche ${sheet}, de ${frDate(doc.from)} au ${frDate(doc.to)}.`),
    el('div', { class: 'toolbar' }, ...tableButtons('Télécharger',
      `/api/v1/indicators/${id}/records`, windowOf(year), `activites-${id.replace(/\//g, '-')}-${year}`)),
    doc.records.length ? el('table', { class: 'records' },
      el('thead', {}, el('tr', {}, ['Date', 'Activité', 'Lieu', 'Structure', 'Titre', 'Participants'].map(h =>
        el('th', { scope: 'col' }, h)))),
      el('tbody', {}, doc.records.map(r => el('tr', {},
        el('td', {}, frDate(r.date)),
        el('td', {}, (plan.activityBy[r.activity] || {}).label || r.activity),
        el('td', { 'data-label': 'Lieu' }, communeName(plan, r.commune)),
        el('td', {}, (plan.structureBy[r.structure] || {}).label || r.structure),
        el('td', {}, r.title || ''),
        el('td', { class: 'num', 'data-label': 'Participants' }, frNumber(r.participants)))))) :
      el('p', { class: 'muted' }, 'Aucune activité sur la période.'),
    doc.truncated ? el('p', { class: 'hint' }, 'Liste tronquée : téléchargez le CSV pour tout voir.') : '');
}

export async function completenessPage(root, ctx) {
  const doc = await call('/api/v1/completeness');
  clear(root).append(el('h1', {}, 'Qui n\'a pas saisi ?'),
    el('p', {}, `Structures sans activité enregistrée depuis ${doc.weeks} semaines :`),
    el('div', { class: 'toolbar' }, ...tableButtons('Télécharger', '/api/v1/completeness', '', 'completude')),
    doc.silent_structures.length ? el('ul', { class: 'plain' }, doc.silent_structures.map(s =>
      el('li', {}, s.label, el('span', { class: 'muted' }, s.last ? ` — dernière activité le ${frDate(s.last)}` : ' — aucune activité')))) :
      el('p', {}, 'Toutes les structures ont saisi.'));
  if (doc.silent_sheets && doc.silent_sheets.length) {
    root.append(el('h2', {}, `Fiches sans activité depuis ${doc.weeks} semaines`),
      el('ul', { class: 'plain' }, doc.silent_sheets.map(s =>
        el('li', {}, el('a', { href: `#/fiche/${s.sheet}` }, s.sheet), ` — ${s.label}`,
          el('span', { class: 'muted' }, s.last ? ` — dernière activité le ${frDate(s.last)}` : ' — aucune activité')))));
  }
}

export async function reportsPage(root, ctx) {
  const year = yearOf(ctx);
  const now = new Date();
  const list = el('ul', { class: 'plain' });
  for (let m = 1; m <= 12; m++) {
    const ym = `${year}-${String(m).padStart(2, '0')}`;
    if (year === now.getFullYear() && m > now.getMonth() + 1) break;
    list.append(el('li', {}, `Bilan ${frOfMonth(ym)} `,
      downloadButton('page à imprimer', `/api/v1/rollups/${ym}.html`, `bilan-${ym}.html`), ' ',
      ...tableButtons('tableur', `/api/v1/rollups/${ym}`, '', `bilan-${ym}`)));
  }
  clear(root).append(el('h1', {}, `Bilans ${year}`), yearPicker(ctx, '#/bilans'),
    el('p', { class: 'hint' }, 'Les bilans mensuels sont établis chaque mois par le serveur ; la page téléchargée s\'ouvre dans le navigateur et s\'imprime.'),
    list,
    el('h2', {}, 'Rapport du COPIL'),
    el('p', {}, downloadButton(`Rapport ${year} (page à imprimer)`, `/api/v1/copil/${year}.html`, `copil-${year}.html`), ' ',
      ...tableButtons('tableur', `/api/v1/copil/${year}`, '', `copil-${year}`)),
    el('p', { class: 'muted' }, `Mis à jour ${frTime(Date.now())}.`));
}
