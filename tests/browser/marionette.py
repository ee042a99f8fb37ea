"""marionette.py — headless Firefox driven through Marionette, Firefox's
own remote protocol, for the browser tests: Debian 12 packages Firefox
ESR but no geckodriver, so the few WebDriver commands the tests use are
spoken here directly (messages "LENGTH:JSON" on a TCP socket).

The driver and its elements answer the calls the tests make of Selenium's
(get, find_element(s), click, send_keys, clear, text, get_attribute,
execute_script, save_screenshot), so that one test can read the same
under either browser."""

import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By

ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

# Firefox left to itself would call home; loopback tests must not.
PREFS = {
    'marionette.port': 0,
    'intl.accept_languages': 'fr-FR, fr',
    'intl.locale.requested': 'fr-FR',
    'browser.shell.checkDefaultBrowser': False,
    'app.normandy.enabled': False,
    'app.update.disabledForTesting': True,
    'datareporting.policy.dataSubmissionEnabled': False,
    'toolkit.telemetry.enabled': False,
    'messaging-system.rsexperimentloader.enabled': False,
    'network.connectivity-service.enabled': False,
    'network.captive-portal-service.enabled': False,
    'services.settings.server': 'http://127.0.0.1:9/',
    'browser.safebrowsing.update.enabled': False,
    'extensions.getAddons.cache.enabled': False,
    'browser.startup.homepage_override.mstone': 'ignore',
    'dom.serviceWorkers.testing.enabled': True,
}

# Selenium's locator strategies, as WebDriver names them.
STRATEGY = {By.CSS_SELECTOR: 'css selector', By.TAG_NAME: 'tag name', By.XPATH: 'xpath',
            By.LINK_TEXT: 'link text', By.PARTIAL_LINK_TEXT: 'partial link text'}


class Element:
    def __init__(self, driver, ref):
        self.d, self.ref = driver, ref

    def _call(self, name, **params):
        return self.d.command(name, id=self.ref, **params)

    def click(self):
        self._call('WebDriver:ElementClick')

    def clear(self):
        self._call('WebDriver:ElementClear')

    def send_keys(self, text):
        self._call('WebDriver:ElementSendKeys', text=str(text))

    @property
    def text(self):
        return self._call('WebDriver:GetElementText')

    @property
    def tag_name(self):
        return self._call('WebDriver:GetElementTagName')

    def get_attribute(self, name):
        return self.d.execute_script('return arguments[0].getAttribute(arguments[1]);', self, name)

    def find_element(self, by, value):
        return self.d.find_element(by, value, within=self)

    def find_elements(self, by, value):
        return self.d.find_elements(by, value, within=self)


class Firefox:
    """Firefox ESR, headless, in a profile of its own; quit() ends it."""

    def __init__(self, width=1280, height=900):
        self.profile = tempfile.mkdtemp(prefix='ctg-firefox-')
        with open(os.path.join(self.profile, 'user.js'), 'w') as f:
            for k, v in PREFS.items():
                f.write(f'user_pref({json.dumps(k)}, {json.dumps(v)});\n')
        env = dict(os.environ, MOZ_HEADLESS_WIDTH=str(width), MOZ_HEADLESS_HEIGHT=str(height),
                   LANG='fr_FR.UTF-8', LANGUAGE='fr')
        self.log = open(os.path.join(self.profile, 'firefox.log'), 'w')
        self.proc = subprocess.Popen(
            [os.environ.get('CTG_FIREFOX', '/usr/bin/firefox-esr'), '--headless', '--marionette',
             '--no-remote', '--profile', self.profile, 'about:blank'],
            stdout=self.log, stderr=self.log, env=env)
        port_file = os.path.join(self.profile, 'MarionetteActivePort')
        for _ in range(600):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            if self.proc.poll() is not None:
                raise RuntimeError('firefox stopped: ' + open(self.log.name).read()[-2000:])
            time.sleep(0.1)
        port = int(open(port_file).read())
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=60)
        self.buf = b''
        self.serial = 0
        self._read()    # the greeting: {"applicationType": "gecko", ...}
        self.capabilities = self.command('WebDriver:NewSession', capabilities={
            'alwaysMatch': {'acceptInsecureCerts': True}})['capabilities']
        self.command('WebDriver:SetWindowRect', width=width, height=height)

    def _read(self):
        while b':' not in self.buf:
            self.buf += self._recv()
        n, rest = self.buf.split(b':', 1)
        n = int(n)
        while len(rest) < n:
            rest += self._recv()
        self.buf = rest[n:]
        return json.loads(rest[:n])

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise RuntimeError('firefox closed the connection')
        return chunk

    def command(self, name, **params):
        self.serial += 1
        body = json.dumps([0, self.serial, name, params]).encode()
        self.sock.sendall(str(len(body)).encode() + b':' + body)
        while True:
            kind, serial, error, result = self._read()
            if kind == 1 and serial == self.serial:
                break
        if error:
            kind = error.get('error', '')
            if kind == 'no such element':
                raise NoSuchElementException(error.get('message'))
            if kind == 'stale element reference':
                raise StaleElementReferenceException(error.get('message'))
            raise RuntimeError(f'{name}: {kind}: {error.get("message")}')
        return result.get('value', result) if isinstance(result, dict) else result

    def _wire(self, v):
        return {ELEMENT: v.ref} if isinstance(v, Element) else v

    def _unwire(self, v):
        if isinstance(v, dict) and ELEMENT in v:
            return Element(self, v[ELEMENT])
        if isinstance(v, list):
            return [self._unwire(x) for x in v]
        return v

    def _locate(self, by, value):
        if by == By.ID:
            return 'css selector', f'[id="{value}"]'
        return STRATEGY[by], value

    def find_element(self, by, value, within=None):
        using, value = self._locate(by, value)
        extra = {'element': within.ref} if within else {}
        return self._unwire(self.command('WebDriver:FindElement', using=using, value=value, **extra))

    def find_elements(self, by, value, within=None):
        using, value = self._locate(by, value)
        extra = {'element': within.ref} if within else {}
        return self._unwire(self.command('WebDriver:FindElements', using=using, value=value, **extra))

    def get(self, url):
        self.command('WebDriver:Navigate', url=url)

    def refresh(self):
        self.command('WebDriver:Refresh')

    def execute_script(self, script, *args):
        return self._unwire(self.command('WebDriver:ExecuteScript', script=script,
                                         args=[self._wire(a) for a in args]))

    def execute_async_script(self, script, *args):
        return self._unwire(self.command('WebDriver:ExecuteAsyncScript', script=script,
                                         args=[self._wire(a) for a in args], scriptTimeout=30000))

    def save_screenshot(self, path, full=False):
        data = self.command('WebDriver:TakeScreenshot', full=full, hash=False)
        with open(path, 'wb') as f:
            f.write(base64.b64decode(data))

    def quit(self):
        try:
            self.command('Marionette:Quit')
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
