"""robots.txt rules, read by Protego as Scrapy's default parser does, asked more cheaply of Thai URLs.

Protego normalises the path of every URL it is asked about by decoding its %XX escapes one by one in
Python and encoding the result again (~100 µs for a Thai slug of ~100 escapes; the crawl process asks
once per request). RobotParser hands it the URL with each run of escapes that is valid UTF-8 for
non-ASCII characters already decoded: Protego encodes those characters back to the very bytes the
escapes stood for, so it compares the same normalised path with the same rules, with fewer escapes to
decode. Escapes of ASCII characters (`%2F`, `%3D`, `%25`) and invalid sequences are left as they are,
for Protego to treat as before; the host is left alone (urlsplit checks non-ASCII there).
"""
from __future__ import annotations

import re

from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.python import to_unicode

_NON_ASCII_ESCAPES = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


class RobotParser(ProtegoRobotParser):
    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return super().allowed(decoded_for_rules(to_unicode(url)), user_agent)


def decoded_for_rules(url: str) -> str:
    """`url` with its path's and query's runs of UTF-8 escapes of non-ASCII characters decoded."""
    if "%" not in url:
        return url
    scheme = url.find("://")
    start = url.find("/", scheme + 3) if scheme >= 0 else 0
    if start < 0:
        return url
    return url[:start] + _NON_ASCII_ESCAPES.sub(_utf8_or_as_is, url[start:])


def _utf8_or_as_is(run: re.Match) -> str:
    try:
        return bytes.fromhex(run.group().replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return run.group()
