"""Realistic Bangkok district-office websites and a loopback server to crawl them.

    from sitegen import SCENARIOS, serve_pair
    site = SCENARIOS["samphanthawong_2567"]()          # Site: resources + manifest
    with serve_pair(site) as server:                    # 127.0.0.1 (+ 127.0.0.2 for the second host)
        print(server.start_url, site.manifest.expected_scores)
"""
from sitegen.model import DocumentEntry, Manifest, PageEntry, Resource, Site, Special
from sitegen.scenarios import SCENARIOS, cached, default_extra_files, generate
from sitegen.server import ServerHandle, serve, serve_pair

__all__ = ["SCENARIOS", "DocumentEntry", "Manifest", "PageEntry", "Resource", "ServerHandle", "Site",
           "Special", "cached", "default_extra_files", "generate", "serve", "serve_pair"]
