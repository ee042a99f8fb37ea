#!/usr/bin/python3
"""test_firefox.py — the web app in Debian 12's Firefox ESR, headless,
against the real ctgd: the animatrice records an activity on her phone;
ctgd goes away (the village hall's network is down) and she records
another, reloads the page, and it leaves by itself once ctgd is back,
stored once; the coordinator reads the sheet on her PC. Pages looked at
and checked by axe-core, as in test_webapp.py (Chromium).

    CTG_BIN_DIR=build/bin CTG_AXE=.../axe.min.js tests/browser/test_firefox.py
"""


from selenium.webdriver.common.by import By

import ctg
from marionette import Firefox
from test_webapp import YEAR, banner, by_label, fill, login, look, net, recent


def main():
    daemon = ctg.Daemon()
    admin, sub, coord = ctg.tokens(daemon)
    rec = {'sheet_typed': 'promotion ripe', 'sheet': 'I.A.1 —',
           'activity': 'Animation (matinée d\'éveil, animation collective)',
           'venue_typed': 'montcuq', 'venue': 'Montcuq-en-Quercy-Blanc',
           'category': 'Parents', 'residence_typed': 'lhosp',
           'residence': 'Pern-Lhospitalet', 'count': 4, 'partners': 'PMI',
           'title': 'Matinée d\'éveil (Firefox)'}
    d = Firefox(360, 740)
    try:
        login(d, daemon, sub)
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'form.record'), 'the form after login')
        look(d, 'firefox-phone-form', 'saisie (Firefox)')
        fill(d, rec)
        ctg.wait(d, lambda: 'enregistrée par le serveur' in banner(d), 'the record stored')
        rows = recent(daemon, admin)
        assert len(rows) == 1 and rows[0]['title'] == rec['title'] and \
            rows[0]['participants'] == 4 and rows[0]['commune'] == '46201', rows

        # ctgd unreachable: the entry waits on the device, the page reopens.
        ctg.wait(d, lambda: d.execute_script('return !!navigator.serviceWorker.controller'),
                 'the service worker in control')
        port = daemon.http
        daemon.stop()
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'form.record'), 'a fresh form')
        fill(d, dict(rec, title='Hors ligne (Firefox)', count=3))
        ctg.wait(d, lambda: 'en attente' in banner(d), 'the entry kept on the device')
        ctg.wait(d, lambda: '1 en attente' in net(d), 'the entry waiting on the device')
        # The address opened again, as she would from her home screen.
        d.get(daemon.url + '/')
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'form.record'), 'the form reopened from the cache')
        assert 'attente' in net(d), net(d)
        look(d, 'firefox-phone-offline', 'hors ligne (Firefox)')
        daemon.start(port)
        ctg.wait(d, lambda: 'attente' not in net(d), 'the entry sent once ctgd is back', timeout=40)
        titles = sorted(r['title'] for r in recent(daemon, admin))
        assert titles == ['Hors ligne (Firefox)', rec['title']], titles
    finally:
        d.quit()

    d = Firefox(1280, 900)
    try:
        login(d, daemon, coord)
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, 'table.sheets'), 'the dashboard')
        d.get(f'{daemon.url}/#/fiche/I.A.1?annee={YEAR}')
        ctg.wait(d, lambda: d.find_elements(By.CSS_SELECTOR, '#indicators tbody tr'), 'the sheet page')
        status, sheet = daemon.get(f'/api/v1/sheets/I.A.1?from={YEAR}-01&to={YEAR}-12', coord)
        assert status == 200 and sheet['records'] == 2 and sheet['participants'] == 7, sheet
        summary = d.find_element(By.CSS_SELECTOR, 'main .summary').text
        assert '2 activité(s), 7 participant(s)' in summary, summary
        assert 'Pern-Lhospitalet' in d.find_element(By.TAG_NAME, 'main').text
        look(d, 'firefox-desktop-sheet', 'fiche (Firefox)', full=True)
    finally:
        d.quit()
    daemon.stop()
    daemon.cleanup()


if __name__ == '__main__':
    ctg.run(main, 'firefox')
