"""test_reports.py — the reports and spreadsheets as their readers meet them.

A realistic history is sent to the real ctgd by the real ctg-load (about
1,200 generated records over four months). Then, for last month's bilan
and this year's COPIL report, as a coordinator would fetch them:

- the page is valid HTML for `tidy -errors`, every inline SVG parses as XML;
- headless Chromium prints it to PDF: the page count stays within the
  bound, the summary comes first, and page 1 is kept as a PNG to look at;
- the printed text names communes, never their INSEE codes, and holds no
  measure keyword of the code (by_residence, coverage…);
- the xlsx of a sheet and of the bilan, read back with openpyxl, has
  French headers, numbers as numbers, dates as dates, « < 5 » as text,
  and the very values of the JSON.
"""

import datetime
import io
import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET

import openpyxl

import ctg

# A month of this history (about 300 records on 46 sheets) prints on at most
# this many A4 pages: a summary page, then about two thirds of a page per
# sheet with activity.
BILAN_MAX_PAGES = 40
COPIL_MAX_PAGES = 16
# (« cadence » and « qualitative » are French words too: the plan uses them.)
MEASURE_KEYWORDS = ['by_residence', 'by_category', 'by_activity', 'records',
                    'distinct_persons', 'venues', 'coverage', 'partners',
                    'trend', 'year_to_date', 'real', 'res', 'imp']


def fetch(d, path, token):
    import urllib.request
    req = urllib.request.Request(d.url + path, headers={'Authorization': f'Bearer {token}'})
    with urllib.request.urlopen(req) as res:
        return res.status, res.headers.get('Content-Type'), res.read()


def last_month():
    first = datetime.date.today().replace(day=1)
    prev = first - datetime.timedelta(days=1)
    return f'{prev.year:04d}-{prev.month:02d}'


def check_html(name, html):
    """tidy finds no error nor warning; each SVG is well-formed XML."""
    path = os.path.join(tempfile.gettempdir(), f'ctg-{name}.html')
    with open(path, 'wb') as f:
        f.write(html)
    t = subprocess.run(['tidy', '-errors', '-quiet', path], capture_output=True, text=True)
    assert t.returncode == 0, f'{name}: tidy says:\n{t.stderr[:2000]}'
    svgs = re.findall(rb'<svg.*?</svg>', html, re.S)
    assert svgs, f'{name}: no chart'
    for s in svgs:
        try:
            root = ET.fromstring(s)
        except ET.ParseError as e:
            raise AssertionError(f'{name}: an SVG does not parse ({e}): {s[:300]!r}')
        assert root.find('{http://www.w3.org/2000/svg}title') is not None, \
            f'{name}: an SVG without a title for screen readers: {s[:200]!r}'
    return path


def print_pdf(name, html_path, max_pages):
    """Chromium's print to PDF; returns the text of each page."""
    pdf = os.path.join(tempfile.gettempdir(), f'ctg-{name}.pdf')
    profile = tempfile.mkdtemp(prefix='ctg-chromium-')
    subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu',
                    '--no-pdf-header-footer', f'--user-data-dir={profile}',
                    f'--print-to-pdf={pdf}', 'file://' + html_path],
                   capture_output=True, check=True, timeout=120)
    info = subprocess.run(['pdfinfo', pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r'Pages:\s+(\d+)', info).group(1))
    print(f'{name}: {pages} pages')
    assert 1 < pages <= max_pages, f'{name}: {pages} pages, the bound is {max_pages}'
    os.makedirs(ctg.SHOTS, exist_ok=True)
    subprocess.run(['pdftoppm', '-r', '60', '-png', '-f', '1', '-l', '1', '-singlefile', pdf,
                    os.path.join(ctg.SHOTS, f'{name}-page1')], check=True)
    text = subprocess.run(['pdftotext', '-layout', pdf, '-'], capture_output=True,
                          text=True, check=True).stdout
    return text.split('\f')


def check_words(name, text, codes):
    for code, commune in codes.items():
        assert not re.search(rf'\b{code}\b', text), \
            f'{name}: the INSEE code {code} printed where « {commune} » belongs'
    for k in MEASURE_KEYWORDS:
        assert not re.search(rf'\b{k}\b', text), f'{name}: the keyword « {k} » printed'


def cell_value(v, small):
    """The JSON's count as a published cell says it."""
    return f'< {small}' if small and 1 <= v < small else v


def check_sheet_xlsx(d, coord, sheet, month, names):
    """From January (of last month's year) to last month."""
    window = f'from={month[:4]}-01&to={month}'
    status, ctype, body = fetch(d, f'/api/v1/sheets/{sheet}.xlsx?{window}', coord)
    assert status == 200 and ctype.startswith('application/vnd.openxmlformats'), ctype
    _, doc = d.get(f'/api/v1/sheets/{sheet}?{window}', coord)
    wb = openpyxl.load_workbook(io.BytesIO(body))
    ws = wb['Indicateurs']
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    assert head[:4] == ('Fiche', 'Du', 'Au', 'Indicateur'), head
    col = {h: i for i, h in enumerate(head)}
    assert ws.freeze_panes == 'A2', ws.freeze_panes
    small = doc['small_cells']
    seen = communes = 0
    for ind in doc['indicators']:
        mine = [r for r in rows[1:] if r[col['Indicateur']] == ind['id']]
        assert mine, f'{ind["id"]}: no row'
        first = mine[0]
        assert isinstance(first[col['Du']], datetime.datetime), first
        assert first[col['Du']].strftime('%d/%m/%Y') == f'01/01/{month[:4]}', first
        v = ind['value']
        if isinstance(v, dict):
            for key, n in v.items():
                label = names.get(key, key)
                row = [r for r in mine if r[col['Code INSEE']] == key or r[col['Détail']] == label
                       or (key == 'hors' and r[col['Détail']] == 'hors CC')]
                if ind['measure'] == 'by_residence':
                    assert row, f'{ind["id"]}: no row for {key} ({label})'
                    assert row[0][col['Valeur']] == cell_value(n, small), (ind['id'], key, row[0])
                    seen += 1
                    communes += 1
        elif isinstance(v, int):
            assert first[col['Valeur']] == v and isinstance(first[col['Valeur']], int), \
                (ind['id'], v, first)
            seen += 1
        if ind.get('target') is not None:
            assert first[col['Cible']] == ind['target'], (ind['id'], first)
    # A trend's change is a percentage: a ratio the cell formats with « % ».
    pct = [r for r in ws.iter_rows(min_row=2) if r[col['Unité']].value == '%'
           and r[col['Valeur']].value is not None]
    for r in pct:
        assert isinstance(r[col['Valeur']].value, float), r[col['Valeur']].value
        assert '%' in r[col['Valeur']].number_format, r[col['Valeur']].number_format
    assert seen > 5, f'only {seen} values compared'
    return seen, communes


def check_bilan_xlsx(d, coord, month):
    status, _, body = fetch(d, f'/api/v1/rollups/{month}.xlsx', coord)
    assert status == 200
    _, doc = d.get(f'/api/v1/rollups/{month}', coord)
    wb = openpyxl.load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ['Indicateurs', 'Fiches', 'Changements'], wb.sheetnames
    rows = list(wb['Fiches'].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    by_code = {r[col['Fiche']]: r for r in rows[1:]}
    for s in doc['sheets']:
        r = by_code[s['code']]
        assert r[col['Activités du mois']] == s['month']['records'], (s['code'], r)
        assert r[col['Participants depuis janvier']] == s['year_to_date']['participants']
    ind = list(wb['Indicateurs'].iter_rows(values_only=True))
    assert 'Valeur du mois' in ind[0] and 'Valeur depuis janvier' in ind[0], ind[0]
    texts = [c for r in ind[1:] for c in r if isinstance(c, str) and c.startswith('< ')]
    assert all(t == f'< {doc["small_cells"]}' for t in texts), texts[:5]


def main():
    d = ctg.Daemon()
    try:
        admin, _, coord = ctg.tokens(d)
        _, plan = d.get('/api/v1/plan', coord)
        structures = [a for w in plan['structures'] for a in ('--structure', w['keyword'])]
        every = d.admin('token', 'create', '--role', 'submitter', *structures, '--label',
                        'toutes structures', token=admin)
        subprocess.run([os.path.join(ctg.BIN, 'ctg-load'), '--server', f'127.0.0.1:{d.listen}',
                        '--token', every, '--seconds', '8', '--rate', '150', '--days', '120',
                        '--seed', '20261208'], check=True, capture_output=True, timeout=120)
        names = {c['code']: c['name'] for c in plan['communes']}
        codes = {c['code']: c['name'] for c in plan['communes']}
        month = last_month()

        _, ctype, html = fetch(d, f'/api/v1/rollups/{month}.html', coord)
        assert ctype.startswith('text/html'), ctype
        path = check_html('bilan', html)
        pages = print_pdf('bilan', path, BILAN_MAX_PAGES)
        assert 'Le mois en chiffres' in pages[0], pages[0][:500]
        assert 'Fiches avec activité' in pages[0]
        check_words('bilan', '\f'.join(pages), codes)
        assert any(n in '\f'.join(pages) for n in names.values()), 'no commune named'

        year = datetime.date.today().year
        _, _, html = fetch(d, f'/api/v1/copil/{year}.html', coord)
        path = check_html('copil', html)
        pages = print_pdf('copil', path, COPIL_MAX_PAGES)
        assert f'Synthèse {year}' in pages[0], pages[0][:500]
        assert 'Axe I' in pages[1], pages[1][:300]
        check_words('copil', '\f'.join(pages), codes)

        # I.A.1, and the sheet whose indicators break down by most communes.
        def communes_of(code):
            _, doc = d.get(f'/api/v1/sheets/{code}?from={month[:4]}-01&to={month}', coord)
            return max([len(i['value']) for i in doc['indicators']
                        if i['measure'] == 'by_residence'] or [0])
        widest = max((s['code'] for s in plan['sheets']), key=communes_of)
        for sheet in ('I.A.1', widest):
            n, communes = check_sheet_xlsx(d, coord, sheet, month, names)
            print(f'xlsx of {sheet}: {n} values equal to the JSON, {communes} by commune')
        assert communes > 3, f'{widest}: too few communes compared'
        check_bilan_xlsx(d, coord, month)
        d.stop()
    finally:
        d.cleanup()


if __name__ == '__main__':
    ctg.run(main, 'test_reports')
