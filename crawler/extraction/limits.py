"""Bounds on what a hostile document can make the extractors do (issue 14), in one place.

Office files are zip containers whose declared sizes can lie, and PDF streams are zlib data that can
inflate a thousandfold. Both are checked here by actually inflating, in bounded chunks, counting as
they expand and stopping at the cap: nothing is ever held beyond CHUNK bytes of output, so a 1 GiB
bomb costs the time to inflate up to the cap and a few MB of memory.
"""
from __future__ import annotations

import re
import struct
import zipfile
import zlib
from io import BytesIO

CHUNK = 1 << 20                          # bytes of output inflated at a time
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_INFLATED = 300 * 1024 * 1024     # all members of one Office file, as they really expand
MAX_PDF_INFLATED = 256 * 1024 * 1024     # all non-image zlib streams of one PDF
_LOCAL_HEADER = struct.Struct(zipfile.structFileHeader)      # a local file header


def _inflated(data: memoryview, budget: int, wbits: int) -> tuple[int, bool]:
    """(bytes a zlib/deflate stream at the start of `data` expands to, reached its end), counted
    chunk by chunk and stopping once over `budget`. Corrupt data counts what inflated before it."""
    inflater = zlib.decompressobj(wbits)
    total, pos = 0, 0
    try:
        while total <= budget and not inflater.eof:
            if inflater.unconsumed_tail:
                out = inflater.decompress(inflater.unconsumed_tail, CHUNK)
            elif pos < len(data):
                out = inflater.decompress(data[pos:pos + CHUNK], CHUNK)
                pos += CHUNK
            else:
                break
            total += len(out)
            if not out and not inflater.unconsumed_tail and pos >= len(data):
                break
    except zlib.error:
        pass
    return total, inflater.eof


def zip_problem(body: bytes, cap: int = MAX_ZIP_INFLATED) -> str | None:
    """Why an Office zip container must not be opened (corrupt, too many members, expanding beyond
    `cap`, or a member expanding to other than its declared size), or None."""
    try:
        with zipfile.ZipFile(BytesIO(body)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        return f"corrupt zip container: {exc}"
    if len(entries) > MAX_ZIP_ENTRIES:
        return f"zip with {len(entries)} entries: refused"
    declared = sum(entry.file_size for entry in entries)
    if declared > cap:
        return f"zip declaring {declared} bytes when expanded: refused (over {cap}; zip bomb?)"
    view, budget = memoryview(body), cap
    for entry in entries:
        start = entry.header_offset
        try:
            header = _LOCAL_HEADER.unpack_from(body, start)
        except struct.error:
            return f"corrupt zip container: member {entry.filename} outside the file"
        data = view[start + _LOCAL_HEADER.size + header[10] + header[11]:]   # name, extra field
        if entry.compress_type == zipfile.ZIP_STORED:
            size, complete = min(entry.compress_size, len(data)), True
        elif entry.compress_type == zipfile.ZIP_DEFLATED:
            size, complete = _inflated(data, budget, -15)
        else:
            continue                    # other methods: the parser refuses them itself
        if size > budget:
            return f"zip member {entry.filename} expands beyond {cap} bytes: refused (zip bomb?)"
        if complete and size != entry.file_size:
            return (f"zip member {entry.filename} expands to {size} bytes, not the {entry.file_size} "
                    "it declares: refused (forged size)")
        budget -= size
    return None


_STREAM = re.compile(rb"stream\r?\n")
_DICT_BEFORE = 2048                      # bytes before `stream` searched for the stream's dictionary


def pdf_problem(body: bytes, cap: int = MAX_PDF_INFLATED) -> str | None:
    """Why a PDF must not be opened: its zlib streams (images aside, which text extraction never
    decodes) expand beyond `cap` bytes. None otherwise. Linear in the file plus the capped inflation."""
    view, budget = memoryview(body), cap
    for match in _STREAM.finditer(body):
        head = body[max(0, match.start() - _DICT_BEFORE):match.start()]
        head = head[head.rfind(b"obj"):] if b"obj" in head else head
        if b"/Image" in head or b"Flate" not in head:
            continue
        size, _ = _inflated(view[match.end():], budget, zlib.MAX_WBITS)
        if size > budget:
            return f"PDF streams expand beyond {cap} bytes: refused (decompression bomb?)"
        budget -= size
    return None
