"""HTTP cache policy for weekly re-crawls: revalidate everything, hide nothing.

Scrapy's RFC2616Policy may serve a "fresh" cached copy without asking the server, and it answers a
5xx with the cached copy. Both would hide what the tool exists to see: whether the document is still
published and the site still up. This policy always revalidates (If-None-Match / If-Modified-Since),
so an unchanged document costs a 304 and no re-extraction, while every URL is still observed.
"""
from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy


class RevalidatingPolicy(RFC2616Policy):
    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(self, cachedresponse, response, request) -> bool:
        return response.status == 304
