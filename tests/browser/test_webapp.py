#!/usr/bin/python3
"""test_webapp.py — the web app as its users meet it, in headless Chromium
against the real ctgd: an animatrice records on a phone, offline and
online, corrects and cancels; the coordinator reads a sheet. Every page
is looked at (screenshots, not blank) and checked by axe-core.

    CTG_BIN_DIR=build/bin CTG_AXE=.../axe.min.js tests/browser/test_webapp.py
"""

import datetime
import os
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import ctg

YEAR = datetime.date.today().year


def by_label(scope, text):
    """The control a label names, within scope (the page or a group)."""
    for label in scope.find_elements(By.TAG_NAME, 'label'):
        if label.text.strip() == text:
            return scope.find_element(By.ID, label.get_attribute('for')) if hasattr(scope, 'session_id') \
                else scope.find_element(By.XPATH, f".//*[@id='{label.get_attribute('for')}']")
    raise AssertionError(f'no field labelled « {text} »')


def pick(d, scope, label, typed, option):
    """Types into a search field and clicks the suggestion that starts with option."""
    box = by_label(scope, label)
    box.clear()
    box.send_keys(typed)
    lst = d.find_element(By.ID, box.get_attribute('aria-controls'))
    item = ctg.wait(d, lambda: next((li for li in lst.find_elements(By.TAG_NAME, 'li')
                                     if li.text.startswith(option)), None), f'suggestion « {option} »')
    item.click()


def choose(select, text):
    """Picks the option of a <select> that reads text, as a click would."""
    quoted = f'"{text}"' if '"' not in text else f"'{text}'"
    select.find_element(By.XPATH, f'.//option[normalize-space(.)={quoted}]').click()


def fill(d, rec):
    """The form, as a person fills it: sheet, activity, venue, groups, partners, title."""
    ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'form.record'), 'the form')
    pick(d, d, 'Fiche(s) action', rec['sheet_typed'], rec['sheet'])
    choose(by_label(d, 'Activité'), rec['activity'])
    pick(d, d, 'Lieu (commune)', rec['venue_typed'], rec['venue'])
    group = d.find_elements(By.CSS_SELECTOR, '.group')[0]
    choose(by_label(group, 'Catégorie'), rec['category'])
    if rec.get('residence_code'):
        res = by_label(group, 'Commune de résidence')
        res.clear()
        res.send_keys(rec['residence_code'])
    else:
        pick(d, group, 'Commune de résidence', rec['residence_typed'], rec['residence'])
    count = by_label(group, 'Nombre')
    count.clear()
    count.send_keys(str(rec['count']))
    by_label(d, 'Partenaires').send_keys(rec['partners'])
    by_label(d, 'Titre').send_keys(rec['title'])
    d.find_element(By.CSS_SELECTOR, 'form.record button[type=submit]').click()


def banner(d):
    return d.find_element(By.CSS_SELECTOR, 'main .banner').text


def net(d):
    return d.find_element(By.ID, 'net').text


def recent(daemon, token):
    return daemon.query('recent', 'ripe', '--limit', '50', token=token)['records']


def login(d, daemon, token):
    d.get(daemon.url + '/')
    ctg.wait(d, lambda: d.find_elements(By.ID, 'token'), 'the login form')
    d.find_element(By.ID, 'token').send_keys(token)
    d.find_element(By.CSS_SELECTOR, 'form.login button').click()


def look(d, name, page, full=False):
    text = d.find_element(By.TAG_NAME, 'body').text
    for word in ('null', 'undefined', 'NaN', '[object'):
        assert word not in text, f'{page}: « {word} » printed on the page'
    ctg.screenshot(d, name, full)
    ctg.axe(d, page)


def field_error(d, label):
    f = by_label(d, label)
    return d.find_element(By.ID, f.get_attribute('id') + '-err').text


def main():
    daemon = ctg.Daemon()
    admin, sub, coord = ctg.tokens(daemon)
    status, plan = daemon.get('/api/v1/plan', sub)
    assert status == 200, plan
    lhosp = next(c for c in plan['communes'] if c['name'] == 'Pern-Lhospitalet')
    base = {'sheet_typed': 'promotion ripe', 'sheet': 'I.A.1 —',
            'activity': 'Animation (matinée d\'éveil, animation collective)',
            'venue_typed': 'montcuq', 'venue': 'Montcuq-en-Quercy-Blanc',
            'category': 'Assistantes maternelles agréées (AMA)',
            'residence_typed': 'lhosp', 'residence': 'Pern-Lhospitalet', 'count': 6,
            'partners': 'PMI, CAF', 'title': 'Matinée d\'éveil'}
    d = ctg.browser(360, 740)
    try:
        # The animatrice, on her phone.
        d.get(daemon.url + '/')
        ctg.wait(d, lambda: d.find_elements(By.ID, 'token'), 'the login form')
        look(d, 'phone-login', 'connexion')
        d.find_element(By.ID, 'token').send_keys('0' * 64)
        d.find_element(By.CSS_SELECTOR, 'form.login button').click()
        ctg.wait(d, lambda: 'inconnu' in d.find_element(By.ID, 'token-err').text, 'a wrong token refused')
        d.find_element(By.ID, 'token').clear()
        d.find_element(By.ID, 'token').send_keys(sub)
        d.find_element(By.CSS_SELECTOR, 'form.login button').click()
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'form.record'), 'the form after login')
        look(d, 'phone-form', 'saisie')
        # Installable on the home screen: Chromium finds nothing missing.
        ctg.wait(d, lambda: d.execute_script('return !!navigator.serviceWorker.controller'),
                 'the service worker in control')
        missing = d.execute_cdp_cmd('Page.getInstallabilityErrors', {})['installabilityErrors']
        assert missing == [], missing

        # A mistake is told beside its field, before anything is sent.
        d.find_element(By.CSS_SELECTOR, 'form.record button[type=submit]').click()
        ctg.wait(d, lambda: field_error(d, 'Activité'), 'the activity\'s error')
        assert 'choisissez' in field_error(d, 'Activité'), field_error(d, 'Activité')
        assert 'commune' in field_error(d, 'Lieu (commune)'), field_error(d, 'Lieu (commune)')
        assert recent(daemon, admin) == [], 'a refused form reached the server'

        # One record, through the form; ctg-query says the same.
        fill(d, base)
        ctg.wait(d, lambda: 'enregistrée par le serveur' in banner(d), 'the record stored')
        rows = recent(daemon, admin)
        assert len(rows) == 1 and rows[0]['title'] == base['title'], rows
        assert rows[0]['partners'] == ['PMI', 'CAF'], rows   # offered on her next forms
        first = rows[0]['id']
        rev = daemon.query('revisions', first, token=admin)['revisions'][-1]
        assert rev['sheets'] == ['I.A.1'] and rev['activity'] == 'animation', rev
        assert rev['commune'] == '46201' and rev['structure'] == 'ripe', rev
        assert rev['groups'] == [{'category': 'ama', 'residence': lhosp['code'], 'count': 6}], rev
        assert rev['partners'] == ['PMI', 'CAF'] and rev['title'] == base['title'], rev
        look(d, 'phone-form-sent', 'saisie envoyée')

        # Offline: two records wait on the device, the page reopens from
        # its cache, and both are stored exactly once when the network is back.
        ctg.wait(d, lambda: d.execute_script('return !!navigator.serviceWorker.controller'),
                 'the service worker in control')
        # No network: Chromium's emulation, and ctgd itself out of reach
        # (stopped), so that nothing can get through either way.
        ctg.offline(d, True)
        daemon.stop()
        for title in ('Atelier hors ligne 1', 'Atelier hors ligne 2'):
            fill(d, {**base, 'title': title, 'count': 3})
            ctg.wait(d, lambda: 'en attente' in banner(d), f'« {title} » kept on the device')
        ctg.wait(d, lambda: '2 en attente' in net(d), 'two records waiting')
        look(d, 'phone-offline', 'saisie hors ligne')
        d.refresh()
        ctg.offline(d, True)
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'form.record'), 'the page opened offline')
        assert '2 en attente' in net(d), net(d)
        daemon.start(http_port=daemon.http)
        assert len(recent(daemon, admin)) == 1, 'sent while offline'
        ctg.offline(d, False)
        ctg.wait(d, lambda: 'en attente' not in net(d), 'the waiting records sent', timeout=30)
        rows = recent(daemon, admin)
        titles = sorted(r['title'] for r in rows)
        assert titles == ['Atelier hors ligne 1', 'Atelier hors ligne 2', base['title']], titles
        assert len({r['id'] for r in rows}) == 3 and all(r['rev'] == 1 for r in rows), rows

        # A record ctgd refuses: its reason beside the field, kept on the device.
        fill(d, {**base, 'title': 'Commune erronée', 'residence_code': '46999'})
        ctg.wait(d, lambda: 'Refusé par le serveur' in banner(d), 'the refusal')
        group = d.find_elements(By.CSS_SELECTOR, '.group')[0]
        res = by_label(group, 'Commune de résidence')
        why = d.find_element(By.ID, res.get_attribute('id') + '-err').text
        assert '46999' in why and 'inconnue' in why, why
        look(d, 'phone-refused', 'saisie refusée')
        assert len(recent(daemon, admin)) == 3
        d.get(daemon.url + '/#/saisies')
        card = ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '.card.refused'), 'the refused record kept')
        assert 'Motif' in card[0].text and '46999' in card[0].text, card[0].text
        look(d, 'phone-mine', 'mes saisies')

        # Amend and void from « Mes saisies ».
        def server_card(title):
            return next(c for c in d.find_elements(By.CSS_SELECTOR, '.card')
                        if title in c.text and 'refused' not in c.get_attribute('class'))
        ctg.wait(d, lambda: d.find_elements(By.XPATH, "//h2[.='Enregistrées par le serveur']/following::li"),
                 'the server\'s records')
        server_card('Matinée').find_element(By.XPATH, ".//button[.='Corriger']").click()
        ctg.wait(d, lambda: 'Corriger' in d.find_element(By.TAG_NAME, 'h1').text, 'the amend form')
        group = d.find_elements(By.CSS_SELECTOR, '.group')[0]
        count = by_label(group, 'Nombre')
        assert count.get_attribute('value') == '6'
        count.clear()
        count.send_keys('7')
        d.find_element(By.CSS_SELECTOR, 'form.record button[type=submit]').click()
        ctg.wait(d, lambda: d.find_element(By.TAG_NAME, 'h1').text == 'Mes saisies', 'back to Mes saisies')
        revs = daemon.query('revisions', first, token=admin)['revisions']
        assert len(revs) == 2 and revs[-1]['groups'][0]['count'] == 7, revs
        ctg.wait(d, lambda: d.find_elements(By.XPATH, "//h2[.='Enregistrées par le serveur']/following::li"),
                 'the server\'s records')
        server_card('hors ligne 1').find_element(By.XPATH, ".//button[.='Annuler']").click()
        reason = ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'form.void input'), 'the void form')[0]
        reason.send_keys('saisi deux fois')
        d.find_element(By.CSS_SELECTOR, 'form.void button').click()
        ctg.wait(d, lambda: any(r['voided'] for r in recent(daemon, admin)), 'the record voided')
        voided = [r['title'] for r in recent(daemon, admin) if r['voided']]
        assert voided == ['Atelier hors ligne 1'], voided
        # The same person counts once, whether ctg-submit or the page
        # recorded her: the key moves from ctg-submit's file to the page.
        daemon.submit('add', '--action', 'I.B.5', '--activity', 'visite', '--date',
                      datetime.date.today().isoformat(), '--commune', '46201',
                      '--structure', 'ripe', '--person', 'ama:Léa Martin:46201', token=sub)
        d.get(daemon.url + '/#/cle')
        ctg.wait(d, lambda: d.find_elements(By.ID, 'keyfile'), 'the key page')
        look(d, 'phone-key', 'clé des personnes')
        d.find_element(By.ID, 'keyfile').send_keys(os.path.join(daemon.dir, 'personnes.key'))
        ctg.wait(d, lambda: 'Clé importée' in d.find_element(By.TAG_NAME, 'main').text, 'the key imported')
        d.get(daemon.url + '/#/saisie')
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'form.record'), 'the form')
        pick(d, d, 'Fiche(s) action', 'I.B.5', 'I.B.5 —')
        Select(by_label(d, 'Activité')).select_by_visible_text('Visite (découverte, visite-présentation)')
        pick(d, d, 'Lieu (commune)', 'montcuq', 'Montcuq-en-Quercy-Blanc')
        group = d.find_elements(By.CSS_SELECTOR, '.group')[0]
        Select(by_label(group, 'Catégorie')).select_by_visible_text(base['category'])
        by_label(group, 'Personne (facultatif)').send_keys('  Léa Martin ')
        by_label(group, 'Nombre').send_keys('1')
        d.find_element(By.CSS_SELECTOR, 'form.record button[type=submit]').click()
        ctg.wait(d, lambda: 'enregistrée par le serveur' in banner(d), 'the person\'s record stored')
        status, sheet = daemon.get(f'/api/v1/sheets/I.B.5?from={YEAR}-01&to={YEAR}-12', admin)
        persons = next(i for i in sheet['indicators'] if i['id'] == 'I.B.5/res/1')
        assert sheet['records'] == 2 and persons['value'] == 1, (sheet['records'], persons)
        errs = ctg.errors(d)
        assert not errs, errs
    finally:
        d.quit()

    # The coordinator, on her PC, then on a phone.
    downloads = os.path.join(daemon.dir, 'downloads')
    os.makedirs(downloads)
    d = ctg.browser(1280, 900, downloads)
    try:
        login(d, daemon, coord)
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'table.sheets'), 'the dashboard')
        look(d, 'desktop-dashboard', 'tableau de bord')
        d.get(f'{daemon.url}/#/fiche/I.A.1?annee={YEAR}')
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '#indicators tbody tr'), 'the sheet page')
        status, sheet = daemon.get(f'/api/v1/sheets/I.A.1?from={YEAR}-01&to={YEAR}-12', coord)
        assert status == 200 and sheet['records'] == 2, sheet
        for ind in sheet['indicators']:
            row = d.find_element(By.CSS_SELECTOR, f'#indicators tr[data-id="{ind["id"]}"]')
            cells = row.find_elements(By.TAG_NAME, 'td')
            assert cells[4].text == (ind['status'] or '—'), (ind['id'], cells[4].text, ind['status'])
            if isinstance(ind['value'], int) and ind['measure'] not in ('qualitative', 'trend'):
                shown = cells[2].text.split('\n')[0].split(' ')[0].replace('\u202f', '')
                assert shown == str(ind['value']), (ind['id'], cells[2].text, ind['value'])
        summary = d.find_element(By.CSS_SELECTOR, 'main .summary').text
        assert f"{sheet['records']} activité(s), {sheet['participants']} participant(s)" in summary, summary
        assert 'Pern-Lhospitalet' in d.find_element(By.TAG_NAME, 'main').text
        # Evidence for a qualitative indicator: told what is missing
        # before sending, then stored, shown under it, and in the API.
        form = d.find_element(By.ID, 'evidence-form')
        Select(by_label(d, 'Indicateur')).select_by_value('I.A.1/res/1')
        form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
        assert 'texte vide' in field_error(d, 'Ce qui a été fait'), field_error(d, 'Ce qui a été fait')
        by_label(d, 'Ce qui a été fait').send_keys('Dépliant du RIPE diffusé dans les 9 mairies')
        by_label(d, 'Référence (facultatif)').send_keys('CR du 12 mars')
        form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
        shown = '#indicators tr[data-id="I.A.1/res/1"] ul.evidence li'
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, shown), 'the evidence under its indicator')
        status, sheet = daemon.get(f'/api/v1/sheets/I.A.1?from={YEAR}-01&to={YEAR}-12', coord)
        ev = next(i for i in sheet['indicators'] if i['id'] == 'I.A.1/res/1')['evidence']
        assert len(ev) == 1 and ev[0]['text'] == 'Dépliant du RIPE diffusé dans les 9 mairies' and \
            ev[0]['state'] == 'réalisé' and ev[0]['reference'] == 'CR du 12 mars', ev
        text = d.find_element(By.CSS_SELECTOR, shown).text
        assert 'réalisé : Dépliant du RIPE' in text and 'CR du 12 mars' in text, text
        assert datetime.date.today().strftime('%d/%m/%Y') in text, text
        look(d, 'desktop-sheet', 'fiche', full=True)
        d.find_element(By.CSS_SELECTOR, '#indicators tr[data-id="I.A.1/res/5"] a').click()
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'table.records tbody tr'), 'the records behind')
        rows = d.find_elements(By.CSS_SELECTOR, 'table.records tbody tr')
        status, behind = daemon.get(f'/api/v1/indicators/I.A.1/res/5/records?from={YEAR}-01&to={YEAR}-12', coord)
        assert len(rows) == len(behind['records']) == 2, (len(rows), behind)
        look(d, 'desktop-records', 'activités derrière un indicateur')
        for route, name, ready in (('completude', 'desktop-completeness', 'ul.plain'),
                                   ('bilans', 'desktop-reports', 'ul.plain li')):
            d.get(f'{daemon.url}/#/{route}')
            ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, ready), name)
            look(d, name, route)
        # The COPIL report, downloaded through the page (the token in a header).
        d.find_element(By.XPATH, f"//button[.='Rapport {YEAR} (page à imprimer)']").click()
        report = os.path.join(downloads, f'copil-{YEAR}.html')
        ctg.wait(d, lambda: os.path.exists(report) and os.path.getsize(report) > 0, 'the COPIL report downloaded')
        assert f'Comité de pilotage {YEAR}' in open(report, encoding='utf-8').read()
        # ... and its workbook, bytes kept whole: a zip openpyxl reads.
        d.find_elements(By.XPATH, "//button[.='tableur (Excel, LibreOffice)']")[-1].click()
        book = os.path.join(downloads, f'copil-{YEAR}.xlsx')
        ctg.wait(d, lambda: os.path.exists(book) and os.path.getsize(book) > 0, 'the COPIL workbook downloaded')
        import openpyxl
        sheets = openpyxl.load_workbook(book).sheetnames
        assert sheets == ['Indicateurs', 'Fiches'], sheets
        d.get(f'{daemon.url}/#/fiche/I.A.1?annee={YEAR}')
        ctg.size(d, 360, 740)
        d.refresh()
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '#indicators tbody tr'), 'the sheet page')
        look(d, 'phone-sheet', 'fiche (téléphone)', full=True)
        d.get(f'{daemon.url}/#/tableau')
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'table.sheets'), 'the dashboard')
        look(d, 'phone-dashboard', 'tableau de bord (téléphone)')
        ctg.size(d, 1280, 900)
        d.get(f'{daemon.url}/#/saisie')   # not hers: the dashboard instead
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'table.sheets'), 'the dashboard for a coordinator')
        errs = ctg.errors(d)
        assert not errs, errs
    finally:
        d.quit()
    # An admin token reads, and is offered no form it could not send.
    d = ctg.browser(1280, 900)
    try:
        login(d, daemon, admin)
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'table.sheets'), 'the dashboard for an admin')
        menu = d.find_element(By.ID, 'nav').text
        assert 'Tableau de bord' in menu and 'Nouvelle activité' not in menu, menu
    finally:
        d.quit()
    daemon.stop()
    daemon.cleanup()


if __name__ == '__main__':
    ctg.run(main, 'webapp')
