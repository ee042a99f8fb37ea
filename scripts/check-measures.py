#!/usr/bin/env python3
"""check-measures.py -- validate schema/catalogue/measures.tsv and
schema/catalogue/sheet_activities.tsv against indicators.tsv, sheets.tsv,
vocabulary.tsv (and schema/communes.tsv for the number of CC communes).

Usage: scripts/check-measures.py [--dir CATALOGUE_DIR] [--communes FILE] [-q]

Prints every problem found as `check-measures: FILE:LINE: message` on stderr
and exits 1 if there is any; otherwise prints a summary (rows per measure and
per kind, unless -q) and exits 0. Exit status 2 on a usage or I/O error.
See schema/catalogue/MEASURES.md for the meaning of every column.
Python 3 standard library only.
"""

import argparse
import os
import re
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DIR = os.path.join(REPO_ROOT, 'schema', 'catalogue')
DEFAULT_COMMUNES = os.path.join(REPO_ROOT, 'schema', 'communes.tsv')

MEASURES_HEADER = ['id', 'measure', 'scope', 'filter', 'basis', 'target',
                   'target_per', 'baseline', 'baseline_year', 'note']
SHEET_ACT_HEADER = ['sheet', 'activities']

COUNT_MEASURES = ('records', 'participants', 'distinct_persons', 'venues', 'partners')
BREAKDOWN_MEASURES = ('by_category', 'by_residence', 'by_activity')
MEASURES = COUNT_MEASURES + BREAKDOWN_MEASURES + ('coverage', 'cadence', 'trend', 'qualitative')
SCOPES = ('sheet', 'all')
FILTER_KEYS = ('activity', 'structure', 'category')
BASES = ('records', 'participants', 'distinct_persons')
PERS = ('an', 'convention')
KINDS = ('real', 'res', 'imp')

# target_per allowed when a target is set, by measure (see MEASURES.md).
ALLOWED_PER = {m: PERS for m in COUNT_MEASURES}
ALLOWED_PER.update({'coverage': PERS, 'qualitative': PERS,
                    'cadence': ('convention',), 'trend': ('an',)})

BASELINE_YEARS = range(2010, 2025)   # diagnostic years up to the end of the convention
MAX_NOTE = 300                       # characters: "one short sentence"
INT_RE = re.compile(r'^[1-9][0-9]*$')
NUM_RE = re.compile(r'^(0|[1-9][0-9]*)(\.[0-9]+)?$')


class Checker:
    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append('%s: %s' % (where, msg))


def read_tsv(path, header, ck):
    """Return list of (line_no, fields) after checking encoding, line endings
    and header. Exits 2 if the file cannot be read."""
    name = os.path.basename(path)
    try:
        with open(path, 'rb') as f:
            raw = f.read()
    except OSError as e:
        sys.exit('check-measures: cannot read %s: %s' % (path, e.strerror))
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        ck.err(name, 'not valid UTF-8 (byte offset %d)' % e.start)
        return []
    if text.startswith('\ufeff'):
        ck.err(name + ':1', 'starts with a byte-order mark; write plain UTF-8')
        text = text[1:]
    if '\r' in text:
        ck.err(name, 'contains CR characters; use LF line endings only')
        text = text.replace('\r', '')
    if not text.endswith('\n'):
        ck.err(name, 'last line does not end with LF')
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    if not lines:
        ck.err(name, 'empty file')
        return []
    got = lines[0].split('\t')
    if header is not None and got != header:
        ck.err(name + ':1', 'header is %r, expected %r' % ('\t'.join(got), '\t'.join(header)))
        return []
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        fields = line.split('\t')
        if len(fields) != len(got):
            ck.err('%s:%d' % (name, n), '%d fields, expected %d (tabs inside a value?)'
                   % (len(fields), len(got)))
            continue
        for col, v in zip(got, fields):
            if v != v.strip():
                ck.err('%s:%d' % (name, n), 'column %s has leading/trailing whitespace' % col)
            if '"' in v and col != 'note' and col != 'label':
                ck.err('%s:%d' % (name, n), 'column %s contains a quote character (no quoting allowed)' % col)
        rows.append((n, fields))
    return rows


def load_reference(cat, communes_path, ck):
    indicators = read_tsv(os.path.join(cat, 'indicators.tsv'),
                          ['sheet', 'ord', 'id', 'kind', 'label'], ck)
    sheets = read_tsv(os.path.join(cat, 'sheets.tsv'), None, ck)
    vocab = read_tsv(os.path.join(cat, 'vocabulary.tsv'),
                     ['kind', 'keyword', 'parent', 'label'], ck)
    if ck.errors:
        return None
    ind = [(f[2], f[0], f[3]) for _, f in indicators]          # (id, sheet, kind)
    sheet_codes = [f[0] for _, f in sheets]
    words = {k: set() for k in FILTER_KEYS}
    kind_map = {'activity': 'activity', 'structure': 'structure', 'category': 'category'}
    for n, (kind, kw, parent, _label) in vocab:
        if kind not in kind_map:
            ck.err('vocabulary.tsv:%d' % n, 'unknown kind %r' % kind)
            continue
        words[kind].add(kw)
    for n, (kind, kw, parent, _label) in vocab:
        if parent and parent not in words.get(kind, ()):
            ck.err('vocabulary.tsv:%d' % n, 'parent %r of %r is not a %s keyword' % (parent, kw, kind))
    n_communes = 9
    try:
        with open(communes_path, encoding='utf-8') as f:
            hdr = f.readline().rstrip('\n').split('\t')
            ti, ci = hdr.index('type'), hdr.index('ccqb')
            n_communes = sum(1 for l in f
                             if (p := l.rstrip('\n').split('\t'))[ti] == 'COM' and p[ci] == '1')
    except (OSError, ValueError, IndexError):
        pass   # fall back to the 9 communes of the CC
    return ind, sheet_codes, words, n_communes


def parse_filter(s, words, where, ck):
    """Return {key: [values]} or None on error."""
    out = {}
    if s == '':
        return out
    ok = True
    for part in s.split(';'):
        if '=' not in part:
            ck.err(where, 'filter part %r is not key=value[,value...]' % part)
            ok = False
            continue
        key, vals = part.split('=', 1)
        if key not in FILTER_KEYS:
            ck.err(where, 'filter key %r is not one of %s' % (key, ', '.join(FILTER_KEYS)))
            ok = False
            continue
        if key in out:
            ck.err(where, 'filter key %r appears twice' % key)
            ok = False
            continue
        values = vals.split(',')
        if any(v == '' for v in values):
            ck.err(where, 'filter %r has an empty value' % key)
            ok = False
        seen = set()
        for v in values:
            if v == '':
                continue
            if v in seen:
                ck.err(where, 'filter %s lists %r twice' % (key, v))
                ok = False
            seen.add(v)
            if v not in words[key]:
                ck.err(where, 'filter %s=%r is not a %s keyword of vocabulary.tsv' % (key, v, key))
                ok = False
        out[key] = values
    return out if ok else None


def check_sheet_activities(cat, sheet_codes, words, ck):
    rows = read_tsv(os.path.join(cat, 'sheet_activities.tsv'), SHEET_ACT_HEADER, ck)
    accepted = {}
    seen = []
    for n, (sheet, acts) in rows:
        where = 'sheet_activities.tsv:%d' % n
        if sheet not in sheet_codes:
            ck.err(where, 'unknown sheet %r' % sheet)
            continue
        if sheet in accepted:
            ck.err(where, 'sheet %s listed twice' % sheet)
            continue
        seen.append(sheet)
        values = acts.split(',') if acts else []
        if not values:
            ck.err(where, 'sheet %s accepts no activity' % sheet)
        good = set()
        for v in values:
            if v == '':
                ck.err(where, 'empty activity in list (stray comma?)')
            elif v in good:
                ck.err(where, 'activity %r listed twice' % v)
            elif v not in words['activity']:
                ck.err(where, 'activity %r is not an activity keyword of vocabulary.tsv' % v)
            else:
                good.add(v)
        if words['activity'] and good == words['activity']:
            ck.err(where, 'sheet %s accepts every activity type; list only those it serves' % sheet)
        accepted[sheet] = good
    missing = [s for s in sheet_codes if s not in accepted]
    if missing:
        ck.err('sheet_activities.tsv', 'missing sheets: %s' % ', '.join(missing))
    elif seen != sheet_codes:
        ck.err('sheet_activities.tsv', 'sheets are not in sheets.tsv order')
    return accepted


def check_number(where, col, value, integer, ck, lo=None, hi=None):
    if not (INT_RE.match(value) if integer else NUM_RE.match(value)):
        ck.err(where, '%s %r is not a %s' % (col, value,
               'positive whole number' if integer else 'non-negative number (digits, optional .decimals)'))
        return None
    x = int(value) if integer else float(value)
    if lo is not None and x < lo:
        ck.err(where, '%s %s is below %s' % (col, value, lo))
    if hi is not None and x > hi:
        ck.err(where, '%s %s is above %s' % (col, value, hi))
    return x


def check_measures(cat, ind, words, accepted, n_communes, ck):
    rows = read_tsv(os.path.join(cat, 'measures.tsv'), MEASURES_HEADER, ck)
    expected = [i for i, _, _ in ind]
    sheet_of = {i: s for i, s, _ in ind}
    kind_of = {i: k for i, _, k in ind}
    got_ids = [f[0] for _, f in rows]
    counts = {}
    seen = set()
    for n, f in rows:
        (id_, measure, scope, filt, basis, target, per, baseline, byear, note) = f
        where = 'measures.tsv:%d: %s' % (n, id_)
        if id_ not in sheet_of:
            ck.err(where, 'id is not in indicators.tsv')
            continue
        if id_ in seen:
            ck.err(where, 'id appears more than once')
            continue
        seen.add(id_)
        if measure not in MEASURES:
            ck.err(where, 'measure %r is not one of %s' % (measure, ', '.join(MEASURES)))
            continue
        counts[(measure, kind_of[id_])] = counts.get((measure, kind_of[id_]), 0) + 1
        if scope not in SCOPES:
            ck.err(where, 'scope %r is not sheet or all' % scope)
        flt = parse_filter(filt, words, where, ck)
        # basis
        if measure == 'trend':
            if basis not in BASES:
                ck.err(where, 'trend needs basis records, participants or distinct_persons (got %r)' % basis)
        elif basis:
            ck.err(where, 'basis is only for trend (measure is %s)' % measure)
        # qualitative rows select no records
        if measure == 'qualitative':
            if filt:
                ck.err(where, 'qualitative rows take no filter')
            if scope != 'sheet':
                ck.err(where, 'qualitative rows use scope sheet')
        if scope == 'all' and not filt:
            ck.err(where, 'scope all without a filter would select every record of the CC')
        # a sheet-scoped activity filter must be accepted by the sheet
        if flt and scope == 'sheet' and 'activity' in flt and sheet_of[id_] in accepted:
            bad = [a for a in flt['activity'] if a not in accepted[sheet_of[id_]]]
            if bad:
                ck.err(where, 'activity %s not accepted by sheet %s in sheet_activities.tsv '
                       '(no tagged record could match)' % (','.join(bad), sheet_of[id_]))
        # target / target_per
        if target:
            if measure in BREAKDOWN_MEASURES:
                ck.err(where, '%s is a breakdown and takes no target' % measure)
            elif measure == 'trend':
                x = check_number(where, 'target', target, False, ck)
                if x is not None and x <= 0:
                    ck.err(where, 'trend target is a ratio and must be > 0')
            elif measure == 'coverage':
                check_number(where, 'target', target, True, ck, 1, n_communes)
            else:
                check_number(where, 'target', target, True, ck)
            if not per:
                ck.err(where, 'target %s without target_per' % target)
            elif measure in ALLOWED_PER and per not in ALLOWED_PER[measure]:
                ck.err(where, 'target_per %r not allowed for %s (use %s)'
                       % (per, measure, ' or '.join(ALLOWED_PER[measure])))
        elif per:
            ck.err(where, 'target_per %r without a target' % per)
        if per and per not in PERS:
            ck.err(where, 'target_per %r is not an or convention' % per)
        # baseline
        if baseline:
            check_number(where, 'baseline', baseline, False, ck)
            if not byear:
                ck.err(where, 'baseline %s without baseline_year' % baseline)
        if byear:
            if not baseline:
                ck.err(where, 'baseline_year %s without baseline' % byear)
            y = check_number(where, 'baseline_year', byear, True, ck)
            if y is not None and y not in BASELINE_YEARS:
                ck.err(where, 'baseline_year %s outside %d-%d' % (byear, BASELINE_YEARS[0], BASELINE_YEARS[-1]))
        # note
        if not note:
            ck.err(where, 'note is empty; say in French what is counted or what evidence is expected')
        elif len(note) > MAX_NOTE:
            ck.err(where, 'note is %d characters; keep it to one short sentence (<= %d)' % (len(note), MAX_NOTE))
    missing = [i for i in expected if i not in seen]
    if missing:
        ck.err('measures.tsv', '%d indicator(s) without a row: %s%s' % (
            len(missing), ', '.join(missing[:10]), ' …' if len(missing) > 10 else ''))
    elif got_ids != expected:
        first = next(k for k, (a, b) in enumerate(zip(got_ids, expected)) if a != b)
        ck.err('measures.tsv:%d' % (first + 2),
               'rows are not in indicators.tsv order (expected %s here, found %s)'
               % (expected[first], got_ids[first]))
    return counts


def summary(counts):
    out = ['%-17s %5s %5s %5s %6s' % ('measure', 'real', 'res', 'imp', 'total')]
    tot = {k: 0 for k in KINDS}
    for m in MEASURES:
        row = [counts.get((m, k), 0) for k in KINDS]
        if not any(row):
            continue
        for k, v in zip(KINDS, row):
            tot[k] += v
        out.append('%-17s %5d %5d %5d %6d' % (m, row[0], row[1], row[2], sum(row)))
    out.append('%-17s %5d %5d %5d %6d' % ('total', tot['real'], tot['res'], tot['imp'], sum(tot.values())))
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description='Validate measures.tsv and sheet_activities.tsv.')
    ap.add_argument('--dir', default=DEFAULT_DIR, help='catalogue directory (default: %(default)s)')
    ap.add_argument('--communes', default=DEFAULT_COMMUNES,
                    help='communes referential, for the number of CC communes (default: %(default)s)')
    ap.add_argument('-q', '--quiet', action='store_true', help='print nothing on success')
    a = ap.parse_args()
    ck = Checker()
    ref = load_reference(a.dir, a.communes, ck)
    counts = {}
    if ref is not None:
        ind, sheet_codes, words, n_communes = ref
        accepted = check_sheet_activities(a.dir, sheet_codes, words, ck)
        counts = check_measures(a.dir, ind, words, accepted, n_communes, ck)
    if ck.errors:
        for e in ck.errors:
            print('check-measures: ' + e, file=sys.stderr)
        print('check-measures: %d problem(s) found' % len(ck.errors), file=sys.stderr)
        return 1
    if not a.quiet:
        print('check-measures: OK — %d indicators, %d sheets' % (sum(counts.values()), len(sheet_codes)))
        print(summary(counts))
    return 0


if __name__ == '__main__':
    sys.exit(main())
