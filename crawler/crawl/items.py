"""What the spider hands to the pipelines: one fetched or failed URL."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ResourceItem:
    url: str                          # canonical URL requested
    kind: str                         # "page" (in scope, crawled) | "document" | "external" (one hop)
    ok: bool
    final_url: str = ""
    depth: int = 0
    referer: str | None = None
    status: int | None = None
    error_kind: str | None = None     # a crawler.evidence.failures.FailureKind (a str)
    error: str | None = None
    content_type: str = ""
    charset: str | None = None        # charset from the Content-Type header, if any
    filename: str = ""                # from Content-Disposition or the URL path
    last_modified: str | None = None
    etag: str | None = None
    fetched_at: str | None = None
    from_cache: bool = False          # answered 304 / from the HTTP cache: body unchanged
    on_site: bool = True
    sha256: str | None = None
    size: int | None = None
    dates: list[dict] = field(default_factory=list)   # found in the file name or URL
    body: bytes = b""                 # dropped once stored
