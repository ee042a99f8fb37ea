#!/usr/bin/python3
"""strict_client.py — ctgd's replies as protobuf's pure-Python runtime reads them.

Usage: strict_client.py PROTO_DIR PORT HTTP_PORT

Generates ctg_pb2 from PROTO_DIR/ctg.proto with protoc into a temporary
directory, sends ctgd (on 127.0.0.1:PORT) requests whose replies quote long
multi-byte values or answer hostile bytes, and parses every reply with the
pure-Python runtime, which refuses any string that is not UTF-8
(UnicodeDecodeError ... field: ctg.v1.Ack.reason). Then asks the HTTP API
(127.0.0.1:HTTP_PORT) hostile paths and reads each JSON error strictly.
Exits 1 at the first reply it cannot read or that says the wrong thing.
Run by tests/test_protocol.c against the daemon it started.
"""
import os
import socket
import struct
import subprocess
import sys
import tempfile

os.environ["PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"] = "python"

E = "\u00e9"  # é, two bytes in UTF-8
MARK = b"@@@@@@@"  # a string's bytes, replaced after packing


def fail(msg):
    print("ÉCHEC : " + msg)
    sys.exit(1)


def load_pb2(proto_dir, tmp):
    subprocess.run(["protoc", "-I", proto_dir, "--python_out", tmp,
                    os.path.join(proto_dir, "ctg.proto")], check=True)
    sys.path.insert(0, tmp)
    from google.protobuf.internal import api_implementation
    import ctg_pb2
    if api_implementation.Type() != "python":
        fail("runtime protobuf %s, attendu python" % api_implementation.Type())
    return ctg_pb2


class Conn:
    def __init__(self, pb2, port):
        self.pb2 = pb2
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.seq = 0

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                fail("connexion fermée par ctgd")
            buf += chunk
        return buf

    def ask(self, req, patch=None):
        """Sends req (MARK replaced by patch, same length); the Reply."""
        self.seq += 1
        req.seq = self.seq
        body = req.SerializeToString()
        if patch is not None:
            if len(patch) != len(MARK) or body.count(MARK) != 1:
                fail("marqueur mal placé")
            body = body.replace(MARK, patch)
        self.sock.sendall(struct.pack(">I", len(body)) + body)
        (n,) = struct.unpack(">I", self.recv_exact(4))
        raw = self.recv_exact(n)
        rep = self.pb2.Reply()
        try:
            rep.ParseFromString(raw)  # strict: every string must be UTF-8
        except Exception as e:  # DecodeError, UnicodeDecodeError
            fail("réponse %d illisible : %s" % (self.seq, e))
        if rep.seq != self.seq:
            fail("réponse %d pour la requête %d" % (rep.seq, self.seq))
        return rep


def record(pb2, idbyte, **fields):
    r = pb2.Record(id=bytes([idbyte] * 6 + [0x70] + [idbyte] * 9),
                   activity="atelier", date="2024-03-01", commune="46063",
                   structure="ripe")
    r.groups.add(category="parent", residence="46063", count=3)
    for k, v in fields.items():
        setattr(r, k, v)
    return r


def check_acks(rep, expected):
    """expected: (status, words in the reason) per record, in order."""
    if rep.WhichOneof("body") != "submit" or len(rep.submit.acks) != len(expected):
        fail("réponse inattendue : %s" % rep)
    for i, (ack, (status, words)) in enumerate(zip(rep.submit.acks, expected)):
        if ack.status != status or words not in ack.reason:
            fail("accusé %d : %d « %s », attendu %d avec « %s »"
                 % (i, ack.status, ack.reason, status, words))


def protocol(pb2, port):
    c = Conn(pb2, port)
    refused = pb2.Ack.REFUSED
    req = pb2.Request()
    recs = [
        # The reason quotes the date: multi-byte, cut nowhere.
        record(pb2, 0x61, title=E * 300, date=E * 20),
        # Too long a title: quoted cut at 40 bytes, on a character.
        record(pb2, 0x62, title="x" + E * 300),
        record(pb2, 0x63, commune=E * 10),
        record(pb2, 0x64, structure="x" + E * 100),
        record(pb2, 0x65, title=MARK.decode()),
    ]
    req.submit.records.extend(recs)
    rep = c.ask(req, patch=b"abc\xff\xfe\x00z")
    check_acks(rep, [(refused, "date « " + E * 13), (refused, "titre « x" + E),
                     (refused, "commune « " + E), (refused, "structure « x" + E),
                     (refused, "champ title : UTF-8 invalide")])
    # A void's reason, long and multi-byte; then hostile.
    req = pb2.Request()
    req.void.id = bytes(16)
    req.void.reason = E * 300
    c.ask(req)
    req.void.reason = MARK.decode()
    rep = c.ask(req, patch=b"\xc3(\x00\x01\x02\x03\x04")
    check_acks(rep, [(refused, "champ void.reason : UTF-8 invalide")])
    # Questions: a long multi-byte key is quoted back, a hostile one refused.
    for kind in ("sheet", "revisions", "commune", "axis", "records", "rollup"):
        req = pb2.Request()
        req.query.kind = kind
        req.query.key = E * 300
        setattr(req.query, "from", "20" + E * 100)
        rep = c.ask(req)
        if rep.WhichOneof("body") != "document" or not rep.document.error:
            fail("question %s : %s" % (kind, rep))
    req.query.key = MARK.decode()
    rep = c.ask(req, patch=b"17\x00abcd")
    if "champ query.key : octet nul" not in rep.document.error:
        fail("question à l'octet nul : %s" % rep)
    # Token administration echoes what it is given.
    req = pb2.Request()
    req.token_admin.action = "create"
    req.token_admin.role = "x" + E * 300  # cut by a 256-byte buffer
    c.ask(req)
    req.token_admin.role = "submitter"
    req.token_admin.structures.append(E * 300)
    c.ask(req)
    req.token_admin.action = E * 300
    c.ask(req)
    req = pb2.Request()
    req.stats.SetInParent()
    if c.ask(req).WhichOneof("body") != "stats":
        fail("statistiques")
    # Last: a frame that is no request at all; its error must parse too.
    c.sock.sendall(struct.pack(">I", 3) + b"\xff\xff\xff")
    (n,) = struct.unpack(">I", c.recv_exact(4))
    rep = pb2.Reply()
    rep.ParseFromString(c.recv_exact(n))
    if rep.WhichOneof("body") != "error":
        fail("trame illisible : %s" % rep)


def http_get(port, target):
    """target: the raw bytes of the request line's path. (status, body)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET " + target + b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def http(port):
    import json
    import urllib.parse
    long_key = urllib.parse.quote(E * 300).encode()
    cases = [
        (b"/api/v1/sheets/%FF", 400),
        (b"/api/v1/sheets/%C3", 400),
        (b"/api/v1/sheets/17%00x", 400),
        (b"/api/v1/sheets/%1B%5B31m", 400),
        (b"/api/v1/sheets/17?from=%FF", 400),
        (b"/api/v1/sheets/17?from=2024-01%00", 400),
        (b"/api/v1/sheets/" + long_key, 404),
        (b"/api/v1/communes/" + long_key, 404),
        (b"/api/v1/sheets/17?from=" + long_key, 400),
        (b"/%FF%FE", 400),
        (b"/" + long_key, 404),
    ]
    for target, want in cases:
        status, body = http_get(port, target)
        try:
            doc = json.loads(body.decode("utf-8"))  # strict
        except Exception as e:
            fail("HTTP %s : corps illisible (%s) : %r" % (target, e, body[:200]))
        if status != want or doc.get("statut") != want or not doc.get("erreur"):
            fail("HTTP %s : %d %s, attendu %d" % (target, status, doc, want))
    # Raw bytes in the request line: whatever the answer, it reads.
    for target in (b"/api/v1/sheets/\xff", b"/api/v1/sheets/\xc3\xa9\x00"):
        status, body = http_get(port, target)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as e:
            fail("HTTP %r : %d, corps illisible (%s)" % (target, status, e))


def main():
    if len(sys.argv) != 4:
        fail("usage : strict_client.py PROTO_DIR PORT HTTP_PORT")
    with tempfile.TemporaryDirectory() as tmp:
        pb2 = load_pb2(sys.argv[1], tmp)
        protocol(pb2, int(sys.argv[2]))
        http(int(sys.argv[3]))
    print("toutes les réponses sont lisibles")


if __name__ == "__main__":
    main()
