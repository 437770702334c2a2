"""Bounds on what a hostile document can make the extractors do (issue 14), in one place.

Office files are zip containers whose declared sizes can lie, and PDF streams are zlib data that can
inflate a thousandfold (LZW data a few thousandfold: a 120 KB file made PDFium take 560 MB, a 400 KB
one killed it; run-length data 64-fold). Both are checked here by actually inflating, in bounded chunks, counting as
they expand and stopping at the cap: nothing is ever held beyond CHUNK bytes of output, so a 1 GiB
bomb costs the time to inflate up to the cap and a few MB of memory.
"""
from __future__ import annotations

import mmap
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
_RELEASE_STEP = 4 * 1024 * 1024         # a mapped file is searched in windows of this size
_STREAM_KEYWORD_MAX = len(b"stream\r\n")
_DICT_BEFORE = 2048                      # bytes before `stream` searched for the stream's dictionary


def _lzw_size(data: memoryview, budget: int) -> int:
    """Bytes a PDF LZWDecode stream (EarlyChange 1) at the start of `data` expands to, counted from the
    lengths of its table's entries without producing them, stopping once over `budget`, at the
    end-of-data code or at the first code that cannot be."""
    lengths = [1] * 258                   # 256 bytes, then clear (256) and end of data (257)
    width, previous, total, buffer, held = 9, 0, 0, 0, 0
    for byte in data:
        buffer, held = (buffer << 8) | byte, held + 8
        while held >= width:
            held -= width
            code = (buffer >> held) & ((1 << width) - 1)
            buffer &= (1 << held) - 1
            if code == 256:
                del lengths[258:]
                width, previous = 9, 0
                continue
            if code == 257 or code > len(lengths) or (code == len(lengths) and not previous):
                return total
            size = lengths[code] if code < len(lengths) else previous + 1
            if previous and len(lengths) < 4096:
                lengths.append(previous + 1)
            total += size
            if total > budget:
                return total
            previous = size
            if len(lengths) + 1 >= 1 << width and width < 12:
                width += 1
    return total


def _run_length_size(data: memoryview, budget: int) -> int:
    """Bytes a RunLengthDecode stream expands to (at most 128 per 2 bytes), stopping over `budget`."""
    total, pos = 0, 0
    while pos < len(data) and total <= budget:
        n = data[pos]
        if n == 128:
            break
        total, pos = (total + n + 1, pos + n + 2) if n < 128 else (total + 257 - n, pos + 2)
    return total


def pdf_problem(body: bytes | mmap.mmap, cap: int = MAX_PDF_INFLATED) -> str | None:
    """Why a PDF must not be opened: its zlib, LZW and run-length streams (images aside, which text
    extraction never decodes) expand beyond `cap` bytes. None otherwise. Linear in the file plus the
    capped expansion."""
    view, budget = memoryview(body), cap
    try:
        for match in _streams(body):
            head = body[max(0, match.start() - _DICT_BEFORE):match.start()]
            head = head[head.rfind(b"obj"):] if b"obj" in head else head
            if b"/Image" in head:
                continue
            if b"Flate" in head:
                size, _ = _inflated(view[match.end():], budget, zlib.MAX_WBITS)
            elif b"LZW" in head:
                size = _lzw_size(view[match.end():], budget)
            elif b"RunLength" in head:
                size = _run_length_size(view[match.end():], budget)
            else:
                continue
            if size > budget:
                return f"PDF streams expand beyond {cap} bytes: refused (decompression bomb?)"
            budget -= size
    finally:
        view.release()
    return None


def _streams(body: bytes | mmap.mmap):
    """The `stream` keywords of a PDF. In a file mapping, searched window by window, the pages behind
    let go as the search moves on (read again from the page cache should they be touched): mapped
    whole, a 30 MB file would count whole in the process's memory."""
    if not (isinstance(body, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED")):
        yield from _STREAM.finditer(body)
        return
    pos, size = 0, len(body)
    while pos < size:
        end = min(size, pos + _RELEASE_STEP)
        last_end = pos
        for match in _STREAM.finditer(body, pos, end):
            yield match
            last_end = match.end()
        if end == size:
            return
        # The next window starts early enough to find a keyword cut by this one's end.
        pos = max(end - _STREAM_KEYWORD_MAX, last_end)
        behind = (pos - _DICT_BEFORE) // mmap.PAGESIZE * mmap.PAGESIZE
        if behind > 0:
            body.madvise(mmap.MADV_DONTNEED, 0, behind)
