"""A hostile website on loopback, for tests/test_hostile.py and `make bench` (issue 14).

    server = serve_hostile()          # "public" site on 127.0.0.2, an internal service on 127.0.0.1
    server.start_url                  # http://127.0.0.2:<port>/
    server.internal_url               # http://127.0.0.1:<port>/secret (must never be read)
    server.stop()

The "public" site counts as public when the crawl is given OIT_PUBLIC_NETWORKS=127.0.0.2/32, so every
link and redirect to 127.0.0.1, localhost, 169.254.169.254 … is one a real public site could make.
Every case is one path; CASES says what each serves. Bombs are built once per process, in memory.
"""
from __future__ import annotations

import functools
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "SECRET-TOKEN-7f3a9c"          # what the internal service says; must never be stored
ESC_TITLE = "\x1b]0;pwned\x07\x1b[2J\x1b[31mประกาศ\x1b[0m <script>alert(1)</script> =HYPERLINK(\"http://x\")"
GIB = 1 << 30


@functools.cache
def deflated(size: int, raw: bool = False, wbits_gzip: bool = False) -> bytes:
    """`size` bytes of spaces, zlib-, raw deflate- or gzip-compressed. One 1 MiB block ended by a
    full flush decodes the same wherever it stands, so it is repeated (the trailing checksum is then
    wrong: a bomb is read until a cap stops it, never to its end)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31 if wbits_gzip else (-15 if raw else 15))
    chunk = b" " * (1 << 20)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    return first + block * (size // len(chunk) - 1) + comp.flush()


def lzw_spaces(size: int) -> bytes:
    """At least `size` spaces as a PDF LZWDecode stream (EarlyChange 1): each code stands for one space
    more than the one before, up to the full table's ~3,800, so 1 GiB takes about 400 KB."""
    out, buffer, held, width = bytearray(), 0, 0, 9

    def put(code: int) -> None:
        nonlocal buffer, held
        buffer, held = (buffer << width) | code, held + width
        while held >= 8:
            held -= 8
            out.append((buffer >> held) & 0xFF)
        buffer &= (1 << held) - 1

    put(256)                                   # clear
    code, run, next_code, emitted = 32, 1, 258, 0
    while emitted < size:
        put(code)
        emitted += run
        if next_code < 4096:                   # the entry just made is one space longer: use it next
            code, run, next_code = next_code, run + 1, next_code + 1
            if next_code + 1 > 1 << width and width < 12:
                width += 1
    put(257)                                   # end of data
    if held:
        out.append((buffer << (8 - held)) & 0xFF)
    return bytes(out)


def pdf_bomb(size: int = GIB, lzw: bool = False, padding: int = 0) -> bytes:
    """A one-page PDF whose content stream expands to `size` bytes (zlib, or LZW); `padding`: bytes of
    comment after the header (a large file, or the stream keyword at a chosen place)."""
    stream, name = (lzw_spaces(size), b"LZWDecode") if lzw else (deflated(size), b"FlateDecode")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /%s >>\nstream\n" % (len(stream), name) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n" + (b"%" + b" " * (padding - 2) + b"\n" if padding >= 2 else b"")), []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def forged_zip(members: dict[str, bytes], bomb: str, size: int = GIB, declared: int = 1000) -> bytes:
    """A zip of `members` plus member `bomb`, which inflates to `size` bytes but declares `declared`."""
    buf = bytearray()
    central = bytearray()
    entries = [(name, zlib.compress(data, 6)[2:-4], len(data), zlib.crc32(data)) for name, data in members.items()]
    entries.append((bomb, deflated(size, raw=True), declared, 0))
    for name, data, length, crc in entries:
        offset = len(buf)
        raw_name = name.encode()
        buf += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, 0x21, crc, len(data), length,
                           len(raw_name), 0) + raw_name + data
        central += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, 0, 8, 0, 0x21, crc, len(data),
                               length, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
    start = len(buf)
    buf += central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central),
                                 start, 0)
    return bytes(buf)


DOCX_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                           b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
                           b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   b'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
}
XLSX_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                           b'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
                           b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
}


def _page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{body}</body></html>").encode("utf-8", "surrogateescape")


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    trickle: float = 0.0          # seconds between bytes (a slow server)
    hang: float = 0.0             # seconds to wait before answering at all


class HostileServer:
    """Two loopback servers: the hostile "public" site (127.0.0.2) and an internal one (127.0.0.1)."""

    def __init__(self, links: int = 100_000, documents: int = 3_000):
        self.links, self.documents = links, documents
        self.site = _start("127.0.0.2", self._site_answer)
        self.internal = _start("127.0.0.1", lambda path: Answer(body=_page("internal", SECRET)))
        self.start_url = f"http://127.0.0.2:{self.site.server_port}/"
        self.internal_url = f"http://127.0.0.1:{self.internal.server_port}/secret"

    def url(self, path: str) -> str:
        return self.start_url + path.lstrip("/")

    def stop(self) -> None:
        for server in (self.site, self.internal):
            server.shutdown()
            server.server_close()

    # The cases: what the crawl's start page links to.
    def private_targets(self) -> list[str]:
        port = self.internal.server_port
        return [self.internal_url, f"http://localhost:{port}/secret", f"http://[::1]:{port}/secret",
                f"http://[::ffff:127.0.0.1]:{port}/secret", f"http://2130706433:{port}/secret",
                f"http://0.0.0.0:{port}/secret", "http://169.254.169.254/latest/meta-data/",
                "http://10.255.255.1/intranet", "http://[fd00:ec2::254]/latest/"]

    def _site_answer(self, path: str) -> Answer:
        pdf = (("Content-Type", "application/pdf"),)
        if path == "/":
            links = [f"<a href='{p}'>{p}</a>" for p in CASE_PATHS] + [
                f"<a href='{u}'>internal</a>" for u in self.private_targets()]
            return Answer(body=_page(ESC_TITLE, "<h1>" + ESC_TITLE + "</h1>" + "".join(links)))
        if path == "/redirect-internal":
            return Answer(302, headers=(("Location", self.internal_url),))
        if path == "/redirect-metadata":
            return Answer(302, headers=(("Location", "http://169.254.169.254/latest/meta-data/"),))
        if path == "/redirect-loop":
            return Answer(302, headers=(("Location", "/redirect-loop"),))
        if path == "/slow.pdf":
            return Answer(body=b"%PDF-1.4\n" + b" " * 200, headers=pdf, trickle=1.0)
        if path == "/hang.html":
            return Answer(body=_page("late", "late"), hang=30)
        if path == "/gzip-bomb.html":
            return Answer(body=gzip_bomb(), headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")))
        if path == "/gzip-small.html":
            return Answer(body=zlib.compress(_page("บีบอัด", "เนื้อหาบีบอัด gzip"), wbits=31),
                          headers=(("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")))
        if path == "/bomb.pdf":
            return Answer(body=pdf_bomb(), headers=pdf)
        if path == "/forged.docx":
            return Answer(body=forged_zip(DOCX_PARTS, "word/document.xml"),
                          headers=(("Content-Type", "application/vnd.openxmlformats-officedocument."
                                    "wordprocessingml.document"),))
        if path == "/forged.xlsx":
            return Answer(body=forged_zip(XLSX_PARTS, "xl/worksheets/sheet1.xml"),
                          headers=(("Content-Type", "application/vnd.openxmlformats-officedocument."
                                    "spreadsheetml.sheet"),))
        if path == "/broken.pdf":
            return Answer(body=pdf_bomb(1 << 20)[:300], headers=pdf)
        if path == "/encrypted.pdf":
            return Answer(body=b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R "
                          b"/Encrypt << /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >> >>\n%%EOF\n",
                          headers=pdf)
        if path == "/traversal.pdf":
            return Answer(body=pdf_bomb(1000), headers=pdf + (
                ("Content-Disposition", 'attachment; filename="../../../../etc/cron.d/evil\x1b[2J.pdf"'),))
        if path == "/digits.csv":
            return Answer(body=b"\n".join(b"1" * 5000 for _ in range(100)),
                          headers=(("Content-Type", "text/csv"),))
        if path == "/many-links.html":
            return Answer(body=_page("links", "".join(f"<a href='/p/{i}'>{i}</a>" for i in range(self.links))))
        if path == "/many-docs.html":
            return Answer(body=_page("docs", "".join(f"<a href='/d/{i}.pdf'>{i}</a>" for i in range(self.documents))))
        if path.startswith("/d/"):
            return Answer(body=pdf_bomb(1000), headers=pdf)
        if path == "/deep.html":
            return Answer(body=_page("deep", "<div>" * 100_000 + "ลึก" + "</div>" * 100_000))
        if path == "/tis620.html":
            return Answer(body="<html><head><title>ประกาศ</title></head><body>ภาษาไทย</body></html>".encode("cp874"),
                          headers=(("Content-Type", "text/html; charset=x-no-such-charset"),))
        if path == "/utf16.html":
            return Answer(body=_page("utf16", "สวัสดี").decode().encode("utf-16"),
                          headers=(("Content-Type", "text/html; charset=utf-16"),))
        if path == "/bad-bytes.html":
            return Answer(body=b"<html><title>\xff\xfe\x00\xc3(</title><body>\x00\x01\x02</body></html>")
        if path == "/429":
            return Answer(429, body=b"slow down", headers=(("Retry-After", "1"),))
        if path == "/503":
            return Answer(503, body=b"down")
        if path == "/private/hidden.pdf":
            return Answer(body=pdf_bomb(1000), headers=pdf)
        if path == "/robots.txt":
            return Answer(body=b"User-agent: *\nDisallow: /private/\n" + b"#" * 100_000 + b"\n",
                          headers=(("Content-Type", "text/plain"),))
        if path == "/empty.pdf":
            return Answer(body=b"", headers=pdf)
        if path == "/html-as.pdf":
            return Answer(body=_page("not a pdf", "x"), headers=pdf)
        return Answer(404, body=b"not found")


CASE_PATHS = ("redirect-internal", "redirect-metadata", "redirect-loop", "slow.pdf", "hang.html",
              "gzip-bomb.html", "bomb.pdf", "forged.docx", "forged.xlsx", "broken.pdf", "encrypted.pdf",
              "traversal.pdf", "digits.csv", "many-links.html", "many-docs.html", "deep.html",
              "tis620.html", "utf16.html", "bad-bytes.html", "429", "503", "private/hidden.pdf",
              "empty.pdf", "html-as.pdf", "gzip-small.html")


def gzip_bomb(size: int = GIB) -> bytes:
    """A gzip body inflating to `size` bytes."""
    return deflated(size, wbits_gzip=True)


def _start(host: str, answer) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            a = answer(self.path.split("?", 1)[0])
            if a.hang:
                time.sleep(a.hang)
            try:
                self.send_response(a.status)
                for name, value in a.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(a.body)))
                self.end_headers()
                if a.trickle:
                    for i in range(len(a.body)):
                        self.wfile.write(a.body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(a.trickle)
                else:
                    self.wfile.write(a.body)
            except OSError:               # the client gave up: that is the point of some cases
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve_hostile(**kw) -> HostileServer:
    return HostileServer(**kw)
