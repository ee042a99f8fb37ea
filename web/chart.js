// chart.js — horizontal bar charts in SVG, drawn here (no library): one
// row per item, its label, its bar and its value in words. A value under
// the secrecy threshold is written « < N » and drawn as a hatched bar
// at the threshold's height, never as a real figure.

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// rows: [{label, value}]; options: {title, small (secrecy threshold), unit}.
export function barChart(rows, { title, small = 0, unit = '' } = {}) {
  const rowH = 26, labelW = 210, valueW = 70, width = 600;
  const height = rows.length * rowH + 8;
  const max = Math.max(1, ...rows.map(r => r.value));
  const barW = width - labelW - valueW;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-label': title, preserveAspectRatio: 'xMinYMin meet' });
  root.append(svg('title', {}, title));
  const defs = svg('defs', {});
  const pat = svg('pattern', { id: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse',
    patternTransform: 'rotate(45)' });
  pat.append(svg('rect', { width: 3, height: 6, fill: '#9aa9b8' }));
  defs.append(pat);
  root.append(defs);
  rows.forEach((r, i) => {
    const y = 4 + i * rowH;
    const hidden = small > 0 && r.value > 0 && r.value < small;
    const shown = hidden ? small : r.value;
    const w = Math.max(r.value > 0 ? 2 : 0, Math.round(barW * shown / Math.max(max, hidden ? small : 1)));
    const label = r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label;
    root.append(svg('text', { x: labelW - 6, y: y + 16, 'text-anchor': 'end', class: 'c-label' }, label));
    root.append(svg('rect', { x: labelW, y: y + 3, width: w, height: rowH - 8, rx: 2,
      fill: hidden ? 'url(#hatch)' : '#2f6ea5' }));
    root.append(svg('text', { x: labelW + w + 6, y: y + 16, class: 'c-value' },
      hidden ? `< ${small}` : `${r.value.toLocaleString('fr-FR')}${unit}`));
  });
  return root;
}
