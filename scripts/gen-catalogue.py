#!/usr/bin/env python3
"""gen-catalogue.py -- regenerate schema/catalogue/ from the CTG action plan.

Usage: scripts/gen-catalogue.py [SEED.txt] [--out DIR]
  SEED  plain-text CTG plan (default: <repo>/../shared/seed/000_93cec867f6185c2a.txt)
  DIR   output directory     (default: <repo>/schema/catalogue)

Writes axes.tsv, objectives.tsv, sheets.tsv, indicators.tsv and
targets-notes.md (README.md in the same directory is maintained by hand).
Python 3 standard library only. Output is deterministic (same seed -> same
bytes). Any deviation from the expected structure -- sheet missing, indicator
totals other than 374 = 90 real + 162 res + 122 imp, an unknown irregularity,
an expected irregularity that no longer occurs, a target quote not found --
aborts with a non-zero exit status and a message on stderr; nothing is
written in that case.
"""

import argparse
import os
import re
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SEED = os.path.join(REPO_ROOT, '..', 'shared', 'seed', '000_93cec867f6185c2a.txt')
DEFAULT_OUT = os.path.join(REPO_ROOT, 'schema', 'catalogue')

N_SHEETS = 46
EXPECTED_KIND_TOTALS = {'real': 90, 'res': 162, 'imp': 122}
EXPECTED_TOTAL = 374
EXPECTED_AXES = 5
EXPECTED_OBJECTIVES = 14
ROMAN = {1: 'I', 2: 'II', 3: 'III', 4: 'IV', 5: 'V'}
KINDS = ('real', 'res', 'imp')

# ---------------------------------------------------------------------------
# Explicit table of irregularities in the seed.  Every irregularity the parser
# detects is recorded as (sheet number, tag); the set of observed
# irregularities must equal this table exactly, so an unknown oddity (or a
# known one that disappeared because the seed changed) fails the run.
# ---------------------------------------------------------------------------
EXPECTED_IRREGULARITIES = {
    # "Les partenaires techniques et institutionnels associés" without ':'
    (10, 'partners-heading-no-colon'),
    (16, 'partners-heading-no-colon'),
    (23, 'partners-heading-no-colon'),
    (38, 'partners-heading-no-colon'),
    # "Les Indicateurs d'évaluation :" with a capital I
    (31, 'indicators-heading-capitalised'),
    (36, 'indicators-heading-capitalised'),
    # "- Lien avec les fiches actions" without ':' (no links follow)
    (3, 'links-line-no-colon'),
    (5, 'links-line-no-colon'),
    (26, 'links-line-no-colon'),
    # "- Liens avec ..." (plural) instead of "- Lien avec ..."
    (38, 'links-line-plural'), (39, 'links-line-plural'), (40, 'links-line-plural'),
    (41, 'links-line-plural'), (42, 'links-line-plural'), (43, 'links-line-plural'),
    (44, 'links-line-plural'), (45, 'links-line-plural'), (46, 'links-line-plural'),
    # Markdown bold markers around the "Lien avec les fiches actions" label
    (20, 'links-line-bold'), (21, 'links-line-bold'),
    (35, 'links-line-bold'), (36, 'links-line-bold'),
    # link code whose prefix does not match the sheet number (see LINK_FIXES)
    (41, 'link-code-typo'),
    # pilot block: identical structure line repeated (layout duplicate)
    (2, 'pilot-structure-duplicated'),
    # pilot block without an elected-member line
    (11, 'pilot-no-elected'), (28, 'pilot-no-elected'), (43, 'pilot-no-elected'),
    # elected-member line after the structure line
    (26, 'pilot-elected-not-first'),
    # "Un.e élu.es" instead of "Un.e élu.e"
    (35, 'pilot-elected-label-variant'), (36, 'pilot-elected-label-variant'),
    (37, 'pilot-elected-label-variant'), (39, 'pilot-elected-label-variant'),
    # "Un.e élu.es (IntraMuros) : Mme SANSON" -- parenthesised qualifier
    (39, 'pilot-elected-qualifier'),
    # elected member only, no pilot structure line
    (39, 'pilot-no-structure'),
    # sheets without a "La place des habitants" section
    (6, 'no-residents-section'), (8, 'no-residents-section'),
    (21, 'no-residents-section'), (26, 'no-residents-section'),
    # indicator line without the leading "- " (see UNBULLETED_INDICATORS)
    (23, 'indicator-unbulleted'),
    # whitespace-only (not empty) line inside an indicator list
    (46, 'indicator-whitespace-line'),
    # two deadlines over two lines: "2022 (0-6 ans)" / "2023 (7-18 ans)"
    (10, 'deadline-multi'),
}

# Indicator lines that are not written as "- " bullets but are indicators.
# (sheet, kind, exact line text)
UNBULLETED_INDICATORS = {
    (23, 'real', 'Campagne de communication'),
}

# Link codes whose written prefix contradicts the sheet number; mapped to the
# code of the sheet with that number (the parenthesised gloss confirms it:
# "II.B.21 (Espaces de rencontres entre acteurs Jeunesse)" is sheet 21 =
# III.B.21).  (sheet, written code) -> normalised code
LINK_FIXES = {
    (41, 'II.B.21'): 'III.B.21',
}

# ---------------------------------------------------------------------------
# Quantified targets, cadences and baselines stated in the sheets.
# (sheet number, category, exact substring of one seed line, attach-to, note)
# attach-to is an indicator id suffix "<kind>/<n>" (sheet code prepended) or
# "sheet".  The quote must occur on exactly one line of that sheet unless an
# occurrence index is given as a 6th element (1-based).
# ---------------------------------------------------------------------------
TARGETS = [
    # --- Axe I
    (2, 'cadence', "3 fois par an sur chaque secteur de la Communauté de communes", 'real/1',
     'festive events with RIPE, structures and local actors'),
    (2, 'cadence', "Organisation d'évènements (3x par an sur le territoire)", 'real/1',
     'the indicator itself states the cadence ("sur le territoire" vs "sur chaque secteur" in the descriptif)'),
    (2, 'baseline', "les trois crèches et les AMA", 'sheet', 'structural: 3 crèches on the territory'),
    (3, 'baseline', "Itinérantes sur les communes de Montcuq et de Castelnau Montratier", 'res/1',
     'today: 2 communes covered by the itinerant matinées d\'éveil'),
    (3, 'cadence', "Définir le nombre de permanences par mois sur les communes de Saint-Paul Flaugnac, l'Hospitalet, Castelnau et Montcuq", 'res/1',
     'monthly sessions on 4 communes; number per month still to be set'),
    (4, 'baseline', "En 2021, la CC QB compte comptait 20 assistantes maternelles, en activité", 'imp/4',
     'baseline for "Maintien voire augmentation du nombre d\'AMA"'),
    (4, 'baseline', "un nombre en baisse depuis 2019 (avec la diminution de 4)", 'imp/4',
     'trend: -4 AMA since 2019 (i.e. 24 in 2019)'),
    (6, 'baseline', "L'offre d'accueil individuel (20 AMA en 2021)", 'res/1',
     'baseline for the needs/offer analysis'),
    (7, 'cadence', "Autour du budget prévisionnel des crèches en début d'année", 'real/1',
     'yearly (start of year) budget meeting CAF / élus / crèches'),
    (7, 'cadence', "Organisation, chaque année, pour les élus enfance-jeunesse, d'une visite-présentation des crèches", 'res/1',
     'one visit of the crèches per year'),
    (7, 'baseline', "Programmation de réunions communes avec les trois crèches du territoire", 'res/2',
     'structural: 3 crèches'),
    (7, 'cadence', "Proposer une formation annuelle à la gestion associative", 'res/4',
     'one training per year'),
    (7, 'target', "**Organisation de rencontres conviviales entre parents utilisateurs**, dans chaque crèche", 'res/5',
     'one meeting per crèche'),
    # --- Axe II
    (9, 'target', "La planification de 6 matinées thématiques autour de groupes d'échange de parents dont 2 matinées organisées avec les médiathèques", 'real/2',
     '6 thematic mornings, 2 of them with the médiathèques'),
    (9, 'threshold', "séances d'initiation au yoga parents/enfants de 0-6 ans", 'real/2', 'age band'),
    (10, 'threshold', "pour les parents des enfants et des jeunes de 0 à 18 ans", 'sheet',
     'age band of the sheet; deadline split 0-6 ans (2022) / 7-18 ans (2023)'),
    (10, 'threshold', "fin de journée après 18h", 'res/4',
     'scheduling constraint for parent actions'),
    (11, 'baseline', "seules Pern et St-Paul-Flaunac ont une aide aux devoirs pour quelques enfants", 'res/1',
     '2 communes with homework help'),
    (11, 'baseline', "Le CLAS de Montcuq s'est arrêté en 2013 faute de bénévoles", 'res/2',
     'no CLAS since 2013'),
    (11, 'baseline', "le Collège de Montcuq a mis en place en 2018 le dispositif « devoirs faits »", 'sheet', ''),
    (12, 'baseline', "En 2019, des temps d'animation mis en place par le RIPE au sein de l'école maternelle de Saint-Paul-Flaugnac", 'res/1',
     'pre-COVID passerelle action'),
    (12, 'cadence', "Réfléchir à des actions passerelles régulières sur l'année (exemple : des demi-journées, chaque trimestre...)", 'real/1',
     'quarterly half-days (example)'),
    (13, 'target', "Organisation de 3 temps de réunions :", 'real/1',
     'rentrée, mid-year, end of year (3 meetings a year per ALSH)'),
    (13, 'target', "Organisation de 3 temps de rencontre entre les ALSH et les familles", 'real/1',
     'the indicator itself'),
    (14, 'threshold', "les situations de familles monoparentales et celles des jeunes parents au chômage** (- de 25 ans)", 'real/2',
     'target group: unemployed young parents under 25'),
    # --- Axe III
    (17, 'threshold', "Développement des chantiers jeunes 10-15 ans", 'sheet', 'target age range (sheet title)'),
    (17, 'baseline', "effectifs de 333 enfants de 5-9 ans, 352 jeunes de 10-14 ans, 418 jeunes de 15-19 ans et 317 jeunes de 20-24 ans", 'res/3',
     'INSEE counts extrapolated to 2022'),
    (17, 'baseline', "Si les 3 ALSH proposent des activités jusqu'à 11-12 ans", 'sheet', ''),
    (17, 'baseline', "touchent pour l'instant plutôt des plus jeunes (8-10 ans)", 'sheet', '3e Lieu summer courses'),
    (17, 'baseline', "31 participants en 2021 et touche surtout des 11-13 ans", 'imp/1',
     'baseline for "Augmentation du nombre de jeunes bénéficiaires de chantiers jeunes"'),
    (17, 'target', "Viser que chaque jeune du territoire ait pu en bénéficier une fois dans son adolescence (13-18 ans)", 'res/3', ''),
    (17, 'target', "Viser que chaque commune ait pu accueillir un chantier dans le cadre de la CTG", 'res/1', ''),
    (17, 'target', "panneau sur chaque chantier", 'real/1', 'one sign per chantier'),
    (17, 'cadence', "pendant les vacances scolaires, à raison d'une semaine dans chaque commune", 'real/1',
     'one week of chantier per commune'),
    (17, 'cadence', "Organiser un **séjour-découverte par an** d'un à plusieurs jours, avec une demi-journée de marche et une demi-journée de séjour découverte ou activité", 'real/2', 'one séjour a year'),
    (17, 'target', "Des chantiers jeunes organisés sur l'ensemble des communes du territoire", 'real/1',
     'the indicator itself: a chantier in every commune'),
    (18, 'threshold', "pour les jeunes à partir de 12-13 ans, qui ne fréquentent plus les ALSH", 'real/2', 'target age'),
    (18, 'target', "**Sur différents lieux et temps** : toutes les communes", 'res/4', 'survey youth in every commune'),
    (18, 'threshold', "des enfants qui ne vont plus à l'ALSH après 11 ans", 'res/3', 'parents surveyed'),
    (18, 'option', "en prévoyant du ramassage et co voiturage bénévole dans toutes les communes", 'res/2', 'restitution option 1'),
    (18, 'option', "lors d'un événement ou d'une réunion dans chaque commune", 'res/2', 'restitution option 2: one per commune'),
    (19, 'baseline', "effectifs de 333 enfants de 5-9 ans, 352 jeunes de 10-14 ans, 418 jeunes de 15-19 ans et 317 jeunes de 20-24 ans", 'res/1',
     'INSEE counts extrapolated to 2022'),
    (19, 'baseline', "il accueille majoritairement des 10-12 ans", 'res/1', 'current ALSH Jeunes public'),
    (19, 'threshold', "en distinguant les 13-15 ans les 15-18 ans", 'sheet', ''),
    (19, 'target', "Un ALSH Jeunes mieux connu des jeunes de 12-15 ans et de leurs parents", 'res/1', ''),
    (19, 'target', "Une participation des enfants de toutes les communes", 'res/3', ''),
    (19, 'threshold', "intervention auprès des 4^e-3^eme", 'real/3', 'collège classes targeted'),
    (19, 'target', "Maintenir et **pérenniser le séjour hiver et le séjour été** (ski, surf par exemple ou autres propositions pouvant intéresser d'autres types de jeunes), avec 16 places", 'res/2',
     'a winter and a summer séjour each year, 16 places'),
    (19, 'cadence', "un dépliant annuel distribué largement dans les collèves", 'real/2', 'yearly leaflet'),
    (19, 'cadence', "annonce avant chaque vacance par affichage", 'real/2', 'before each school holiday'),
    (19, 'target', "1 ou 2 projets montés avec les jeunes", 'real/1', 'the indicator itself'),
    (19, 'target', "Une augmentation du nombre d'ados 12-15 ans", 'res/1', 'the indicator itself (direction, age band)'),
    (20, 'cadence', "(mensuelles ?)", 'res/5', 'monthly accueil-écoute permanences (tentative)'),
    (20, 'cadence', "Organisation de rencontres annuelles entre acteurs locaux et départementaux", 'real/2',
     'the indicator itself: yearly meetings'),
    (21, 'baseline', "effectifs de 333 enfants de 5-9 ans, 352 jeunes de 10-14 ans, 418 jeunes de 15-19 ans et 317 jeunes de 20-24 ans", 'sheet',
     'INSEE counts extrapolated to 2022'),
    (21, 'cadence', "(mensuels ? Tous les 2 mois ?)", 'res/1', 'regular meetings between youth actors (tentative)'),
    (21, 'cadence', "une lettre d'actualités mensuelle entre professionnels jeunesse-vie sociale", 'res/4', 'monthly newsletter'),
    (21, 'target', "(1/2 journée avec un intervenant)", 'res/6', 'shared training format'),
    (22, 'threshold', "Pour les 3-11 ans, en 2021", 'res/1', ''),
    (22, 'baseline', "l'ALSH à Montcuq a accueilli en moyenne 20 enfants, les mercredis, et 33 enfants/jour aux petites vacances et en juillet", 'res/1',
     '2021 average attendance, Montcuq'),
    (22, 'baseline', "l'ALSH à L'Hospitalet, 15 les mercredis, 20 aux petites vacances, 30 en juillet", 'res/1',
     '2021 average attendance, L\'Hospitalet'),
    (22, 'baseline', "celui de Castelnaud, 20 les mercredis et 50 aux petites vacances et juillet", 'res/1',
     '2021 average attendance, Castelnau'),
    (22, 'baseline', "St Paul Flaugnac a un projet d'ALSH du mercredi pour 12 enfants", 'res/1', 'planned capacity'),
    (22, 'baseline', "L'ALSH de Montcuq ferme 1 semaine sur 2 aux petites vacances et aucun ALSH ne fonctionne en août", 'res/2', ''),
    (22, 'baseline', "pas de service d'ALSH une semaine sur deux pendant les petites vacances à Montcuq, aucun service en août", 'res/2',
     'restated in the descriptif'),
    (23, 'target', "**Mettre en place un référent par commune et une coordination intercommunale pour :**", 'res/2', 'one référent per commune'),
    (23, 'cadence', "**Réflexion sur un support de communication mensuel**", 'res/3', 'monthly medium'),
    (24, 'baseline', "Toutes les écoles disposent d'une garderie périscolaire", 'res/4', ''),
    (24, 'baseline', "(de 30€ par an à 22€ par mois)", 'res/1', 'range of garderie fees'),
    (24, 'baseline', "Deux écoles proposent une aide aux devoirs, assurée seulement par deux personnes", 'sheet', ''),
    (24, 'baseline', "Une commune a entamé une réflexion pour transformer la garderie en ALAE, St Paul Flaugnac.", 'res/4', ''),
    (24, 'target', "en l'élargissant à des représentants des 10 communes", 'res/3', 'structural: 10 communes'),
    (24, 'target', "Diffuser des exemples d'ALAE auprès de chaque commune et association de parents", 'res/3', ''),
    (25, 'cadence', "Organiser tous les deux mois une réunion de travail entre les responsables d'ALSH", 'real/1', ''),
    (25, 'cadence', "Organisation de réunions tous les deux mois entre les responsables d'ALSH", 'real/1', 'the indicator itself'),
    (26, 'baseline', "une seule salle de taille moyenne pour toutes les activités", 'res/3', 'Lhospitalet premises'),
    (26, 'target', "une solution temporaire pour l'été 2022", 'res/2', 'date target'),
    (26, 'option', "Organiser deux sites, l'un pour les petits, l'autre pour les grands", 'res/2', 'one of the listed options'),
    # --- Axe IV
    (28, 'baseline', "(cf. 22 bénévoles, non retraités, de Léopard de la rue...)", 'sheet', ''),
    (29, 'cadence', "Prévoir une date au printemps ou à la rentrée scolaire", 'real/1', 'timing of the yearly fête'),
    (30, 'baseline', "S'il faut environ 30 mn pour rejoindre Cahors ou Caussade", 'sheet', ''),
    (30, 'baseline', "d'accéder en moins de 20 mn aux services de proximité", 'sheet', ''),
    (30, 'target', "Recenser avec chaque commune des lieux ressources", 'real/1', ''),
    (30, 'target', "dans chaque village", 'res/1', 'common signage in every village'),
    (32, 'target', "**Mettre en place un référent par commune pour :**", 'res/1', 'one référent per commune'),
    (32, 'cadence', "**Réflexion sur un support de communication mensuel pour présenter les manifestations à l'échelle intercommunale**", 'res/2',
     'monthly medium; res/2 measures "La fréquence de parution du support"'),
    (33, 'cadence', "(donner 1h par mois à une action d'aide de voisinage)", 'imp/1', '« l\'heure citoyenne »'),
    (34, 'baseline', "Présence d'un espace de vie sociale sur Saint Paul Flaugnac", 'sheet', '1 EVS today'),
    (34, 'baseline', "Un foyer rural à St Cyprien fermé il y a deux ans, faute de bénévoles.", 'sheet', ''),
    (34, 'target', "Un acteur repéré et accompagné dans l'élaboration du dossier EVS", 'res/1', 'the indicator itself'),
    (35, 'target', "Organiser une journée des nouveaux arrivants dans les communes", 'real/1', ''),
    (36, 'target', "Un ambassadeurs par commune", 'res/2', 'the indicator itself'),
    # --- Axe V
    (39, 'cadence', "News-letter trimestrielles", 'res/3', 'quarterly newsletter at mairie level'),
    (39, 'cadence', "Délocalisation au moins 2 fois par an des France Services", 'res/2', 'the indicator itself'),
    (40, 'baseline', "la part des ménages fiscaux imposés qui est passée de 39,6% en 2015 à 45,1% en 2018", 'sheet', ''),
    (40, 'threshold', "(cf aide Etat pour cantine à 1 €)", 'real/2', ''),
    (41, 'cadence', "Organiser une rencontre tous les deux mois entre partenaires intervenant sur le territoire", 'res/2',
     'every two months = 6/year, while res/2 says 4 « Pti\'Déj »'),
    (41, 'cadence', "Organiser une fois par an une information globale auprès des élus", 'res/1',
     'closest indicator (it speaks of partners, not élus)'),
    (41, 'target', "Organisation de 4 « Pti'Déj » entre les travailleurs sociaux", 'res/2', 'the indicator itself'),
    (42, 'target', "Mise en place d'au moins 2 ateliers annuels", 'res/1', 'the indicator itself'),
    (43, 'baseline', "deux communes disposent d'un CCAS actif, Castelnau Montratier et Montcuq en Quercy Blanc", 'imp/1', ''),
]


class SeedError(Exception):
    pass


def die(msg):
    sys.stderr.write('gen-catalogue: ERROR: %s\n' % msg)
    sys.exit(1)


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------
TOC_RE = re.compile(r'^(I|II|III|IV|V)\.([ABC])\.(\d+)\.\t(.+?)\t(?:Pages? .*)$')
AXE_RE = re.compile(r'^Axe (\d) : (.+)$')
OBJ_RE = re.compile(r'^Objectif ([ABC]) : (.+)$')
ACTION_RE = re.compile(r'^Action (\d+) : (.+)$')
END_RE = re.compile(r'^Ech[ée]ancier des actions')
CODE_RE = re.compile(r'\b(I|II|III|IV|V)\.([ABC])\.(\d+)\b')

HEADINGS = [
    ('context', re.compile(r'^[EÉ]l[ée]ments de contexte :$')),
    ('expected', re.compile(r'^Résultats attendus :$')),
    ('method', re.compile(r'^Descriptif – Méthode – Etapes de réalisation :$')),
    ('resources', re.compile(r'^Ressources mobilisables :$')),
    ('pilots', re.compile(r"^Les référents-pilotes de l'action :$")),
    ('partners', re.compile(r'^Les partenaires techniques et institutionnels associés( :)?$')),
    ('residents', re.compile(r'^La place des habitants :$')),
    ('indicators', re.compile(r"^Les ([Ii])ndicateurs d'évaluation :$")),
    ('real', re.compile(r'^Indicateurs de réalisation :$')),
    ('res', re.compile(r'^Indicateurs de résultat :$')),
    ('imp', re.compile(r"^Indicateurs d'impact :$")),
    ('deadline', re.compile(r'^Échéance : (.+)$')),
    ('method', re.compile(r"^Suite de l'action (\d+) page suivante$")),
]


def classify(line):
    s = line.strip()
    for name, rx in HEADINGS:
        m = rx.match(s)
        if m:
            return name, m
    return None, None


def parse(seed_path):
    with open(seed_path, 'rb') as fh:
        raw = fh.read()
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        raise SeedError('seed is not valid UTF-8: %s' % e)
    if '\r' in text:
        raise SeedError('seed contains CR characters; expected LF line endings')
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    L = lambda n: lines[n - 1]  # 1-based access
    nlines = len(lines)

    irregular = set()

    def irr(sheet, tag):
        irregular.add((sheet, tag))

    # --- table of contents: code + title for every sheet
    toc = {}
    for i in range(1, nlines + 1):
        m = TOC_RE.match(L(i))
        if m:
            ax, letter, num, title = m.group(1), m.group(2), int(m.group(3)), m.group(4).strip()
            if num in toc:
                raise SeedError('table of contents lists sheet %d twice (line %d)' % (num, i))
            toc[num] = {'code': '%s.%s.%d' % (ax, letter, num), 'axis': ax, 'letter': letter,
                        'title': title, 'line': i}
    missing = [n for n in range(1, N_SHEETS + 1) if n not in toc]
    extra = sorted(n for n in toc if not 1 <= n <= N_SHEETS)
    if missing or extra:
        raise SeedError('table of contents: missing sheets %s, unexpected %s' % (missing, extra))
    code_of = {n: toc[n]['code'] for n in toc}

    # --- locate sheets
    starts = []  # (action line, number, title)
    for i in range(1, nlines + 1):
        m = ACTION_RE.match(L(i))
        if m:
            starts.append((i, int(m.group(1)), m.group(2).strip()))
    nums = [s[1] for s in starts]
    if nums != list(range(1, N_SHEETS + 1)):
        missing = sorted(set(range(1, N_SHEETS + 1)) - set(nums))
        raise SeedError('action sheets found %s; missing %s (expected 1..%d in order)'
                        % (nums, missing, N_SHEETS))

    def prev_nonblank(i):
        i -= 1
        while i >= 1 and L(i).strip() == '':
            i -= 1
        return i

    sheets = []
    for idx, (aline, num, title) in enumerate(starts):
        oline = prev_nonblank(aline)
        mo = OBJ_RE.match(L(oline))
        xline = prev_nonblank(oline)
        mx = AXE_RE.match(L(xline))
        if not mo or not mx:
            raise SeedError('sheet %d (line %d): expected "Axe N :" and "Objectif X :" lines before the Action line'
                            % (num, aline))
        # end of sheet: next sheet's Axe line, an "Echéancier" line, or EOF
        end = nlines
        for j in range(aline + 1, nlines + 1):
            if END_RE.match(L(j)):
                end = j - 1
                break
            if idx + 1 < len(starts) and j == starts[idx + 1][0]:
                end = prev_nonblank(prev_nonblank(j)) - 1
                break
        t = toc[num]
        if ROMAN[int(mx.group(1))] != t['axis'] or mo.group(1) != t['letter']:
            raise SeedError('sheet %d: header says Axe %s / Objectif %s but table of contents code is %s'
                            % (num, mx.group(1), mo.group(1), t['code']))
        sheets.append({
            'num': num, 'code': t['code'], 'axis': t['axis'], 'letter': t['letter'],
            'objective': '%s.%s' % (t['axis'], t['letter']),
            'axis_num': int(mx.group(1)), 'axis_title': mx.group(2).strip(),
            'obj_title': mo.group(2).strip(), 'title': title, 'toc_title': t['title'],
            'first': xline, 'action_line': aline, 'last': end,
        })

    # --- split every sheet into sections
    for sh in sheets:
        num = sh['num']
        sections = {}
        cur = None
        deadline_first = None
        for i in range(sh['action_line'] + 1, sh['last'] + 1):
            line = L(i)
            name, m = classify(line)
            if name is not None:
                if name == 'partners' and m.group(1) is None:
                    irr(num, 'partners-heading-no-colon')
                if name == 'indicators' and m.group(1) == 'I':
                    irr(num, 'indicators-heading-capitalised')
                if name == 'method' and m.lastindex and line.strip().startswith('Suite'):
                    if int(m.group(1)) != num:
                        raise SeedError('sheet %d line %d: "Suite de l\'action %s"' % (num, i, m.group(1)))
                if name == 'deadline':
                    if 'deadline' in sections:
                        raise SeedError('sheet %d: two "Échéance" lines' % num)
                    deadline_first = (i, m.group(1).strip())
                    sections['deadline'] = []
                    cur = 'deadline'
                    continue
                if name in sections and name not in ('method',):
                    raise SeedError('sheet %d line %d: section %r appears twice' % (num, i, name))
                sections.setdefault(name, [])
                cur = name
                continue
            if cur is None:
                if line.strip():
                    raise SeedError('sheet %d line %d: text before the first section: %r' % (num, i, line))
                continue
            sections[cur].append((i, line))
        for need in ('resources', 'pilots', 'partners', 'indicators', 'real', 'res', 'imp', 'deadline'):
            if need not in sections:
                raise SeedError('sheet %d (%s): section %r not found' % (num, sh['code'], need))
        if 'residents' not in sections:
            irr(num, 'no-residents-section')
        if any(l.strip() for _, l in sections['indicators']):
            raise SeedError('sheet %d: text between "Les indicateurs d\'évaluation" and the first kind heading' % num)
        sh['sections'] = sections

        # --- indicators
        inds = []
        for kind in KINDS:
            n = 0
            for i, line in sections[kind]:
                if line.strip() == '':
                    if line != '':
                        irr(num, 'indicator-whitespace-line')
                    continue
                if line.startswith('- '):
                    label = line[2:].strip()
                elif (num, kind, line.strip()) in UNBULLETED_INDICATORS:
                    irr(num, 'indicator-unbulleted')
                    label = line.strip()
                else:
                    raise SeedError('sheet %d line %d: unexpected line in "%s" indicator list: %r '
                                    '(add it to UNBULLETED_INDICATORS if it is an indicator)'
                                    % (num, i, kind, line))
                if not label:
                    raise SeedError('sheet %d line %d: empty indicator label' % (num, i))
                if '**' in label:
                    raise SeedError('sheet %d line %d: markdown markers in indicator label %r' % (num, i, label))
                n += 1
                inds.append({'kind': kind, 'n': n, 'label': label, 'line': i})
            if n == 0:
                raise SeedError('sheet %d: no "%s" indicators' % (num, kind))
        sh['indicators'] = inds

        # --- pilots
        elected = None
        structures = []
        nonblank = [(i, l.strip()) for i, l in sections['pilots'] if l.strip()]
        for pos, (i, s) in enumerate(nonblank):
            m = re.match(r'^Un\.e (élu\.es?)(?: \(([^)]*)\))? : (.+)$', s)
            if m:
                if elected is not None:
                    raise SeedError('sheet %d: two elected-member lines' % num)
                if m.group(1) != 'élu.e':
                    irr(num, 'pilot-elected-label-variant')
                if m.group(2):
                    irr(num, 'pilot-elected-qualifier')
                if pos != 0:
                    irr(num, 'pilot-elected-not-first')
                elected = m.group(3).strip()
            elif s.startswith('Un.e'):
                raise SeedError('sheet %d line %d: unrecognised elected-member line %r' % (num, i, s))
            else:
                if s in structures:
                    irr(num, 'pilot-structure-duplicated')
                    continue
                structures.append(s)
        if elected is None:
            irr(num, 'pilot-no-elected')
        if not structures:
            irr(num, 'pilot-no-structure')
        sh['pilot_elected'] = elected or ''
        sh['pilot_structures'] = ' | '.join(structures)

        # --- partners, residents: non-blank lines, stripped, joined with " | "
        sh['partners'] = ' | '.join(l.strip() for _, l in sections['partners'] if l.strip())
        if not sh['partners']:
            raise SeedError('sheet %d: empty partners section' % num)
        sh['residents'] = ' | '.join(l.strip() for _, l in sections.get('residents', []) if l.strip())

        # --- links
        link_lines = []
        for i, l in sections['resources']:
            plain = l.replace('**', '')
            m = re.match(r'^\s*-\s*(Liens?) avec les fiches actions\s*(:?)\s*(.*)$', plain)
            if m:
                link_lines.append((i, l, m))
        if len(link_lines) != 1:
            raise SeedError('sheet %d: expected one "Lien avec les fiches actions" line, found %d'
                            % (num, len(link_lines)))
        i, l, m = link_lines[0]
        if m.group(1) == 'Liens':
            irr(num, 'links-line-plural')
        if '**' in l.split('avec les fiches actions')[0]:
            irr(num, 'links-line-bold')
        if m.group(2) == '':
            irr(num, 'links-line-no-colon')
            if m.group(3).strip():
                raise SeedError('sheet %d line %d: text after link label without colon' % (num, i))
        links = []
        rest = m.group(3)
        for cm in CODE_RE.finditer(rest):
            written = cm.group(0)
            target = int(cm.group(3))
            if target not in code_of:
                raise SeedError('sheet %d line %d: link to unknown sheet %s' % (num, i, written))
            code = code_of[target]
            if written != code:
                fixed = LINK_FIXES.get((num, written))
                if fixed != code:
                    raise SeedError('sheet %d line %d: link %s does not match sheet %d = %s '
                                    '(add to LINK_FIXES if it is a typo)' % (num, i, written, target, code))
                irr(num, 'link-code-typo')
            if code == sh['code']:
                raise SeedError('sheet %d: links to itself' % num)
            if code not in links:
                links.append(code)
        # anything that looks like a reference but is not a full code?
        leftovers = CODE_RE.sub('', rest)
        if re.search(r'\b(?:fiche|action)s? ?n?°? ?\d+', leftovers) or re.search(r'\b[IV]+\.[ABC]\b', leftovers):
            raise SeedError('sheet %d line %d: unparsed reference in links line: %r' % (num, i, rest))
        sh['links'] = ','.join(links)

        # --- deadline
        di, dfirst = deadline_first
        dlines = [dfirst] + [l.strip() for _, l in sections['deadline'] if l.strip()]
        if len(dlines) == 1 and re.fullmatch(r'20\d\d', dfirst):
            sh['deadline'] = dfirst
        else:
            parts = []
            for d in dlines:
                mm = re.fullmatch(r'(20\d\d) \(([^)]+)\)', d)
                if not mm:
                    raise SeedError('sheet %d line %d: unrecognised deadline %r' % (num, di, d))
                parts.append('%s:%s' % (mm.group(1), mm.group(2)))
            irr(num, 'deadline-multi')
            sh['deadline'] = '|'.join(parts)

    return lines, sheets, irregular


# ---------------------------------------------------------------------------
# Checks and output
# ---------------------------------------------------------------------------
def check_value(v, where):
    if not isinstance(v, str):
        v = str(v)
    if '\t' in v or '\n' in v or '\r' in v:
        raise SeedError('%s: value contains a tab or newline: %r' % (where, v))
    if v != v.strip():
        raise SeedError('%s: value has surrounding whitespace: %r' % (where, v))
    return v


def tsv(header, rows, name):
    out = ['\t'.join(header)]
    for r in rows:
        if len(r) != len(header):
            raise SeedError('%s: row with %d fields, header has %d' % (name, len(r), len(header)))
        out.append('\t'.join(check_value(v, '%s %s' % (name, r[0])) for v in r))
    return '\n'.join(out) + '\n'


def build(lines, sheets, irregular):
    # irregularities must match the explicit table exactly
    unexpected = sorted(irregular - EXPECTED_IRREGULARITIES)
    vanished = sorted(EXPECTED_IRREGULARITIES - irregular)
    if unexpected or vanished:
        msg = []
        if unexpected:
            msg.append('unexpected irregularities (review, then add to EXPECTED_IRREGULARITIES): %s' % unexpected)
        if vanished:
            msg.append('expected irregularities not found (seed changed?): %s' % vanished)
        raise SeedError('; '.join(msg))

    # axes / objectives (titles from the sheet headers; must agree across sheets)
    axes, objectives = {}, {}
    for sh in sheets:
        a = axes.setdefault(sh['axis'], {'num': sh['axis_num'], 'title': sh['axis_title']})
        if a['title'] != sh['axis_title'] or a['num'] != sh['axis_num']:
            raise SeedError('sheet %d: axis header %r differs from earlier sheets %r'
                            % (sh['num'], sh['axis_title'], a['title']))
        o = objectives.setdefault(sh['objective'], {'axis': sh['axis'], 'letter': sh['letter'],
                                                    'title': sh['obj_title']})
        if o['title'] != sh['obj_title']:
            raise SeedError('sheet %d: objective header %r differs from earlier sheets %r'
                            % (sh['num'], sh['obj_title'], o['title']))
    if len(axes) != EXPECTED_AXES:
        raise SeedError('found %d axes, expected %d' % (len(axes), EXPECTED_AXES))
    if len(objectives) != EXPECTED_OBJECTIVES:
        raise SeedError('found %d objectives, expected %d' % (len(objectives), EXPECTED_OBJECTIVES))

    # indicator totals
    totals = {k: 0 for k in KINDS}
    for sh in sheets:
        for ind in sh['indicators']:
            totals[ind['kind']] += 1
    total = sum(totals.values())
    if total != EXPECTED_TOTAL or totals != EXPECTED_KIND_TOTALS:
        raise SeedError('indicator counts %s (total %d) differ from expected %s (total %d)'
                        % (totals, total, EXPECTED_KIND_TOTALS, EXPECTED_TOTAL))

    files = {}
    files['axes.tsv'] = tsv(['code', 'number', 'title'],
                            [[c, str(axes[c]['num']), axes[c]['title']]
                             for c in sorted(axes, key=lambda c: axes[c]['num'])], 'axes.tsv')
    files['objectives.tsv'] = tsv(['code', 'axis', 'letter', 'title'],
                                  [[c, o['axis'], o['letter'], o['title']]
                                   for c, o in sorted(objectives.items(),
                                                      key=lambda kv: (axes[kv[1]['axis']]['num'], kv[1]['letter']))],
                                  'objectives.tsv')
    files['sheets.tsv'] = tsv(
        ['code', 'number', 'axis', 'objective', 'title', 'pilot_elected', 'pilot_structures',
         'partners', 'deadline', 'links', 'place_of_residents'],
        [[sh['code'], str(sh['num']), sh['axis'], sh['objective'], sh['title'], sh['pilot_elected'],
          sh['pilot_structures'], sh['partners'], sh['deadline'], sh['links'], sh['residents']]
         for sh in sheets], 'sheets.tsv')
    rows = []
    ids = set()
    for sh in sheets:
        for ordn, ind in enumerate(sh['indicators'], 1):
            iid = '%s/%s/%d' % (sh['code'], ind['kind'], ind['n'])
            ids.add(iid)
            rows.append([sh['code'], str(ordn), iid, ind['kind'], ind['label']])
    files['indicators.tsv'] = tsv(['sheet', 'ord', 'id', 'kind', 'label'], rows, 'indicators.tsv')
    files['targets-notes.md'] = targets_md(lines, sheets, ids)
    return files, totals


def targets_md(lines, sheets, ids):
    by_num = {sh['num']: sh for sh in sheets}
    entries = {}
    seen = set()
    for t in TARGETS:
        num, cat, quote, attach, note = t[:5]
        occ = t[5] if len(t) > 5 else None
        if (num, quote) in seen:
            raise SeedError('TARGETS: duplicate entry for sheet %d %r' % (num, quote))
        seen.add((num, quote))
        sh = by_num[num]
        hits = [i for i in range(sh['first'], sh['last'] + 1) if quote in lines[i - 1]]
        if occ is None and len(hits) != 1:
            raise SeedError('TARGETS: quote %r found %d times in sheet %d (lines %d-%d), expected once'
                            % (quote, len(hits), num, sh['first'], sh['last']))
        if occ is not None and len(hits) < occ:
            raise SeedError('TARGETS: quote %r: occurrence %d not found in sheet %d' % (quote, occ, num))
        lineno = hits[(occ or 1) - 1]
        if attach == 'sheet':
            target = 'sheet'
        else:
            target = '%s/%s' % (sh['code'], attach)
            if target not in ids:
                raise SeedError('TARGETS: %s is not an indicator id' % target)
        if '`' in quote:
            raise SeedError('TARGETS: backtick in quote %r' % quote)
        entries.setdefault(num, []).append((lineno, cat, quote, target, note))

    out = []
    out.append('# Quantified targets, cadences and baselines per action sheet')
    out.append('')
    out.append('Generated by `scripts/gen-catalogue.py` from the curated `TARGETS` table in that')
    out.append('script; do not edit by hand. Each quote is an exact substring of the seed line')
    out.append('given as `L<n>` (1-based line number in the seed); the generator checks that')
    out.append('the quote occurs on exactly one line of the sheet. Quotes are shown in code')
    out.append('spans so that markdown markers present in the seed (`**`) stay literal.')
    out.append('')
    out.append('Categories: **target** (a quantity or coverage to reach), **cadence** (a')
    out.append('frequency), **baseline** (a measured or stated current value from the')
    out.append('diagnostic), **threshold** (an age band, price or time limit that bounds the')
    out.append('public or the action), **option** (a quantified alternative among several).')
    out.append('"→" gives the indicator id the item best attaches to, or `sheet` when no')
    out.append('indicator fits.')
    out.append('')
    out.append('Sheets with no quantified statement: %s.'
               % ', '.join(sh['code'] for sh in sheets if sh['num'] not in entries))
    for sh in sheets:
        if sh['num'] not in entries:
            continue
        out.append('')
        out.append('## %s — %s' % (sh['code'], sh['title']))
        out.append('')
        for lineno, cat, quote, target, note in sorted(entries[sh['num']], key=lambda e: e[0]):
            s = '- L%d · %s · `%s` → `%s`' % (lineno, cat, quote, target)
            if note:
                s += ' — %s' % note
            out.append(s)
    out.append('')
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description='Regenerate schema/catalogue/ from the CTG action plan.')
    ap.add_argument('seed', nargs='?', default=DEFAULT_SEED, help='seed text file')
    ap.add_argument('--out', default=DEFAULT_OUT, help='output directory')
    ap.add_argument('-q', '--quiet', action='store_true', help='do not print the per-sheet table')
    args = ap.parse_args()

    try:
        lines, sheets, irregular = parse(args.seed)
        files, totals = build(lines, sheets, irregular)
    except OSError as e:
        die('cannot read seed: %s' % e)
    except SeedError as e:
        die(str(e))

    os.makedirs(args.out, exist_ok=True)
    for name in sorted(files):
        path = os.path.join(args.out, name)
        tmp = path + '.tmp'
        with open(tmp, 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(files[name])
        os.replace(tmp, path)

    if not args.quiet:
        print('sheet      num real res imp total')
        for sh in sheets:
            c = {k: sum(1 for i in sh['indicators'] if i['kind'] == k) for k in KINDS}
            print('%-10s %3d %4d %3d %3d %5d' % (sh['code'], sh['num'], c['real'], c['res'], c['imp'],
                                                 sum(c.values())))
        print('TOTAL          %4d %3d %3d %5d' % (totals['real'], totals['res'], totals['imp'],
                                                  sum(totals.values())))
        print('wrote %s' % ', '.join(sorted(files)), 'to', os.path.relpath(args.out))


if __name__ == '__main__':
    main()
