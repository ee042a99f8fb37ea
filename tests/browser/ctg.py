"""ctg.py — what the browser tests share: the real ctgd on port 0 in a
temporary directory, tokens made with the real ctg-admin, a headless
Chromium driven by Selenium, axe-core's accessibility check, and a look
at each screenshot (a blank page fails)."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zlib
import struct
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BIN = os.environ.get('CTG_BIN_DIR', 'build/bin')
AXE = os.environ.get('CTG_AXE', '')
SHOTS = os.environ.get('CTG_SHOTS', 'build/screenshots')


class Daemon:
    """ctgd on loopback, ports chosen by the system, stopped by stop()."""

    def __init__(self, directory=None, http_port=0):
        self.dir = directory or tempfile.mkdtemp(prefix='ctg-web-')
        self.start(http_port)

    def start(self, http_port=0):
        ports = os.path.join(self.dir, 'ports')
        if os.path.exists(ports):
            os.unlink(ports)
        self.log = open(os.path.join(self.dir, 'ctgd.log'), 'ab')
        self.proc = subprocess.Popen(
            [os.path.join(BIN, 'ctgd'), '--db', os.path.join(self.dir, 'ctg.db'),
             '--listen', '127.0.0.1:0', '--http', f'127.0.0.1:{http_port}',
             '--port-file', ports, '--reports', os.path.join(self.dir, 'reports')],
            stdout=self.log, stderr=self.log)
        for _ in range(200):
            if os.path.exists(ports) and 'http' in open(ports).read():
                break
            if self.proc.poll() is not None:
                raise RuntimeError('ctgd stopped: ' + open(self.log.name).read()[-2000:])
            time.sleep(0.05)
        words = dict(line.split() for line in open(ports))
        self.listen, self.http = int(words['listen']), int(words['http'])
        self.url = f'http://127.0.0.1:{self.http}'

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        if self.proc.wait(timeout=60) != 0:
            raise RuntimeError('ctgd did not stop cleanly: ' + open(self.log.name).read()[-2000:])
        self.log.close()

    def admin(self, *args, token=None):
        env = dict(os.environ, CTG_SERVER=f'127.0.0.1:{self.listen}')
        if token:
            env['CTG_TOKEN'] = token
        out = subprocess.run([os.path.join(BIN, 'ctg-admin'), *args], env=env,
                             capture_output=True, text=True, check=True)
        return out.stdout.strip().splitlines()[-1]

    def submit(self, *args, token):
        """ctg-submit, with its key file and outbox in the test's directory."""
        env = dict(os.environ, CTG_SERVER=f'127.0.0.1:{self.listen}', CTG_TOKEN=token,
                   CTG_KEY_FILE=os.path.join(self.dir, 'personnes.key'),
                   CTG_OUTBOX=os.path.join(self.dir, 'outbox.db'))
        subprocess.run([os.path.join(BIN, 'ctg-submit'), *args], env=env,
                       capture_output=True, text=True, check=True)

    def query(self, *args, token):
        env = dict(os.environ, CTG_SERVER=f'127.0.0.1:{self.listen}', CTG_TOKEN=token)
        out = subprocess.run([os.path.join(BIN, 'ctg-query'), '--json', *args], env=env,
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    def get(self, path, token, method='GET'):
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={'Authorization': f'Bearer {token}'})
        try:
            with urllib.request.urlopen(req) as res:
                return res.status, json.loads(res.read() or b'null')
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b'null')

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def run(main, name):
    """Runs a browser test's main: its last line says it passed, or why
    not (status 1)."""
    try:
        main()
    except AssertionError as e:
        print(f'{name}: FAILED: {e}', file=sys.stderr)
        sys.exit(1)
    print(f'{name}: every step passed')


def tokens(d):
    """An admin, a RIPE submitter and a coordinator."""
    admin = d.admin('token', 'create', '--role', 'admin', '--label', 'administrateur')
    sub = d.admin('token', 'create', '--role', 'submitter', '--structure', 'ripe',
                  '--label', 'animatrice RIPE', token=admin)
    coord = d.admin('token', 'create', '--role', 'coordinator', '--label',
                    'chargée de coopération', token=admin)
    return admin, sub, coord


def browser(width=360, height=740, downloads=None):
    o = Options()
    o.binary_location = os.environ.get('CTG_CHROMIUM', '/usr/bin/chromium')
    for a in ['--headless=new', '--no-sandbox', '--disable-gpu', '--lang=fr-FR',
              '--disable-dev-shm-usage', f'--window-size={width},{height}']:
        o.add_argument(a)
    prefs = {'intl.accept_languages': 'fr-FR,fr'}
    if downloads:
        prefs.update({'download.default_directory': downloads, 'download.prompt_for_download': False})
    o.add_experimental_option('prefs', prefs)
    o.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    # French dates in the date fields (JJ/MM/AAAA), as on a French device.
    service = Service(os.environ.get('CTG_CHROMEDRIVER', '/usr/bin/chromedriver'),
                      env=dict(os.environ, LANGUAGE='fr', LANG='fr_FR.UTF-8'))
    d = webdriver.Chrome(service=service, options=o)
    size(d, width, height)
    d.execute_cdp_cmd('Emulation.setLocaleOverride', {'locale': 'fr-FR'})
    if downloads:
        d.execute_cdp_cmd('Browser.setDownloadBehavior', {'behavior': 'allow', 'downloadPath': downloads})
    return d


def size(d, width, height):
    """The page's viewport as a phone's or a PC's."""
    d.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
        'width': width, 'height': height, 'deviceScaleFactor': 1, 'mobile': width < 600})


def offline(d, off):
    """Chromium's network emulation, for the page and its service worker."""
    d.execute_cdp_cmd('Network.enable', {})
    d.execute_cdp_cmd('Network.emulateNetworkConditions', {
        'offline': off, 'latency': 0, 'downloadThroughput': -1, 'uploadThroughput': -1})


def wait(d, test, what, timeout=15):
    try:
        return WebDriverWait(d, timeout, poll_frequency=0.1, ignored_exceptions=[
            StaleElementReferenceException, NoSuchElementException]).until(lambda _: test())
    except Exception:
        os.makedirs(SHOTS, exist_ok=True)
        d.save_screenshot(os.path.join(SHOTS, 'failure.png'))
        raise AssertionError(f'{what}: not seen within {timeout} s (see failure.png); page says: '
                             + d.find_element(By.TAG_NAME, 'main').text[:1500])


def errors(d):
    """What the page's scripts reported as errors (a refused or failed
    request is the network's, and the page tells it in its own words)."""
    return [l['message'] for l in d.get_log('browser') if l['level'] == 'SEVERE'
            and l.get('source') != 'network']


def axe(d, page):
    """axe-core in the page: every violation serious or critical fails."""
    if not AXE:
        raise AssertionError('axe-core missing: CTG_AXE names axe.min.js (scripts/setup installs it)')
    d.execute_script(open(AXE).read())
    result = d.execute_async_script(
        'const done = arguments[arguments.length - 1];'
        'axe.run(document, {resultTypes: ["violations"]}).then(r => done(r.violations))'
        '.catch(e => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]));')
    bad = [v for v in result if v['impact'] in ('serious', 'critical')]
    if bad:
        raise AssertionError(f'{page}: accessibility: ' + '; '.join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:4]}" for v in bad))
    lang = d.execute_script('return document.documentElement.lang')
    if lang != 'fr':
        raise AssertionError(f'{page}: lang is {lang!r}, expected "fr"')


def _png_rows(path):
    """The rows of an 8-bit RGB(A) PNG as bytes (Chromium's screenshots)."""
    data = open(path, 'rb').read()
    pos, chunks, width, height, channels = 8, b'', 0, 0, 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            width, height, depth, color = struct.unpack('>IIBB', body[:10])
            channels = {2: 3, 6: 4}[color]
            assert depth == 8
        elif kind == b'IDAT':
            chunks += body
        pos += 12 + n
    raw = zlib.decompress(chunks)
    stride, prev, rows = width * channels, bytearray(width * channels), []
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def screenshot(d, name, full=False):
    """Saves the page as SHOTS/name.png (with full, the whole page, not
    only the screen) and fails when it is blank: fewer than 3 % of its
    pixels differ from the page's background."""
    os.makedirs(SHOTS, exist_ok=True)
    path = os.path.join(SHOTS, f'{name}.png')
    if full and not hasattr(d, 'execute_cdp_cmd'):
        d.save_screenshot(path, full=True)      # Firefox: the whole page itself
    elif full:
        w, h = d.execute_script('return [innerWidth, innerHeight]')
        tall = d.execute_script('return document.documentElement.scrollHeight')
        size(d, w, min(tall, 6000))
        d.save_screenshot(path)
        size(d, w, h)
    else:
        d.save_screenshot(path)
    width, height, ch, rows = _png_rows(path)
    bg = rows[-1][:3]
    inked = sum(1 for r in rows[::4] for x in range(0, width * ch, ch * 4) if r[x:x + 3] != bg)
    total = len(rows[::4]) * len(range(0, width * ch, ch * 4))
    if inked < 0.03 * total:
        raise AssertionError(f'{name}: the screenshot is blank ({inked} of {total} pixels inked)')
    return path
