"""Address policy: where a crawl may connect (server-side request forgery guard, issue 14).

A site on a public address may only lead to public addresses: a link or redirect to 10.x, 127.x,
169.254.169.254 (cloud metadata), ::1 … is refused, so a hostile page cannot make the crawler read an
internal service and publish what it said in a report. The check is on the RESOLVED address, in a
downloader middleware that sees every request and every redirect hop (a redirect is a new request).
The middleware resolves through the reactor's resolver, the one the connection then uses: Scrapy's
cache answers both with the same address, and `GuardedResolver` checks every answer too, so a name that
resolves to a public address for the check and a private one for the connection does not pass.

A start URL that is itself on a private or loopback address (an intranet site, the demo, the tests) is
the user's explicit choice: private addresses are then allowed for that run, except link-local ones
(169.254.0.0/16, where cloud metadata lives; fe80::/10; fd00:ec2::254) and multicast/unspecified.
`--allow-private` (OIT_ALLOW_PRIVATE) allows everything. OIT_PUBLIC_NETWORKS lists networks to count
as public (the tests run a "public" site on 127.0.0.2 without leaving loopback).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Never reachable from a crawl of a private site either: metadata services and link-local neighbours.
LINK_LOCAL = tuple(ipaddress.ip_network(n) for n in ("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128"))
ALLOW_HINT = "crawl an intranet site by its own private address, or pass --allow-private"


class BlockedAddress(DNSLookupError):
    """A name resolved to an address the policy refuses (raised by GuardedResolver)."""


class BlockedRequest(IgnoreRequest):
    """A request the address policy refused; recorded as a failure of kind "blocked"."""


def parse_address(host: str) -> IPAddress | None:
    try:
        ip = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    return ip.ipv4_mapped or ip if isinstance(ip, ipaddress.IPv6Address) else ip


def kind_of(ip: IPAddress) -> str:
    for kind in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return "public" if ip.is_global else "non-public"


@dataclass
class AddressPolicy:
    private_site: bool = False               # the start URL is on a non-public address
    allow_private: bool = False              # --allow-private: anything goes
    public_networks: tuple[IPNetwork, ...] = field(default_factory=tuple)

    def is_public(self, ip: IPAddress) -> bool:
        if any(ip in net for net in self.public_networks if net.version == ip.version):
            return True
        return ip.is_global and not ip.is_multicast

    def refusal(self, ip: IPAddress) -> str | None:
        """Why a connection to `ip` is refused, or None when it is allowed."""
        ip = parse_address(str(ip)) or ip
        if self.allow_private or self.is_public(ip):
            return None
        if self.private_site:
            if any(ip in net for net in LINK_LOCAL if net.version == ip.version) or ip.is_multicast \
                    or ip.is_unspecified:
                return f"{ip} is a {kind_of(ip)} address (cloud metadata or a local network neighbour)"
            return None
        return f"{ip} is a {kind_of(ip)} address and the site is on a public one ({ALLOW_HINT})"

    @classmethod
    def for_site(cls, start_ip: IPAddress | None, allow_private: bool = False,
                 public_networks: tuple[IPNetwork, ...] = ()) -> AddressPolicy:
        policy = cls(allow_private=allow_private, public_networks=public_networks)
        policy.private_site = start_ip is not None and not policy.is_public(start_ip)
        return policy


def networks(values) -> tuple[IPNetwork, ...]:
    """OIT_PUBLIC_NETWORKS as networks (a list or a comma-separated string)."""
    if isinstance(values, str):
        values = [v for v in values.split(",") if v.strip()]
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values or ())


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that refuses answers the running crawl's policy forbids."""

    policy: AddressPolicy | None = None       # set by AddressGuard when the crawl opens (one per process)

    def getHostByName(self, name, timeout=()):
        d = super().getHostByName(name, timeout)
        d.addCallback(self._checked, name)
        return d

    def _checked(self, address: str, name: str) -> str:
        policy = GuardedResolver.policy
        ip = parse_address(address)
        why = policy.refusal(ip) if policy is not None and ip is not None else None
        if why:
            raise BlockedAddress(f"{name} -> {why}")
        return address


class AddressGuard:
    """Downloader middleware: every request (and so every redirect hop) checked on its resolved address."""

    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.allow_private = s.getbool("OIT_ALLOW_PRIVATE")
        self.public_networks = networks(s.get("OIT_PUBLIC_NETWORKS"))
        self.policy: AddressPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def _resolve(self, host: str) -> IPAddress | None:
        ip = parse_address(host)
        if ip is not None:
            return ip
        from twisted.internet import reactor
        address = await maybe_deferred_to_future(reactor.resolve(host))
        return parse_address(address)

    async def _policy(self) -> AddressPolicy:
        if self.policy is None:
            start = getattr(self.crawler.spider, "start_url", None)
            try:
                start_ip = await self._resolve(urlsplit(start).hostname or "") if start else None
            except DNSLookupError:
                start_ip = None          # unresolvable start: it fails on its own; public rules meanwhile
            self.policy = AddressPolicy.for_site(start_ip, self.allow_private, self.public_networks)
            GuardedResolver.policy = self.policy
        return self.policy

    async def process_request(self, request, spider=None):
        if urlsplit(request.url).scheme == "file":
            # Only the files `oit audit --dir` listed are read from disk; any other file:// is refused.
            listed = getattr(self.crawler.spider, "listed", None) or []
            if self.crawler.settings.get("OIT_DIR") and request.url in listed:
                return None
            raise BlockedRequest("blocked by the address policy: a file:// URL outside the audited folder")
        policy = await self._policy()
        if policy.allow_private:
            return None
        host = urlsplit(request.url).hostname or ""
        try:
            ip = await self._resolve(host)
        except BlockedAddress as exc:
            why = exc.args[0] if exc.args else str(exc)
        except DNSLookupError:
            return None                  # the download fails with the DNS error itself
        else:
            why = policy.refusal(ip) if ip is not None else None
            why = f"{host} -> {why}" if why and parse_address(host) is None else why
        if why:
            self.crawler.stats.inc_value("oit/blocked")
            raise BlockedRequest(f"blocked by the address policy: {why}")
        return None
