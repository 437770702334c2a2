"""robots.txt: our parser (crawler/crawl/robots.py) answers as Scrapy's Protego parser does."""
import random
from urllib.parse import quote

from scrapy.robotstxt import ProtegoRobotParser

from crawler.crawl.robots import RobotParser, decoded_for_rules

PIECES = ["/", "a", "ก", "ำ", "=", "?", "&", "*", "%", "%2F", "%2f", "%3D", "%25", "%41", "%E0", "%B8", "%81",
          "%E0%B8%81", "%e0%b8%b2", "%FF", "%C3%A9", "%F0%9F%98%80", quote("ประกาศ"), quote(quote("แผน")), "ประกาศ"]


def _path(rng: random.Random) -> str:
    return "/" + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))


def test_the_parser_allows_and_refuses_what_protego_does():
    """Thai paths percent-encoded, raw, double-encoded, cut or invalid UTF-8, ASCII escapes, wildcards and
    anchors, in rules and URLs: the same answer for 3,000 URLs against each of 60 random robots.txt."""
    rng = random.Random(16)
    for _ in range(60):
        rules = "".join(f"{rng.choice(['Disallow', 'Allow'])}: {_path(rng)}{rng.choice(['', '$'])}\n"
                        for _ in range(rng.randint(1, 6)))
        body = f"User-agent: *\n{rules}".encode()
        ours, protego = RobotParser(body, None), ProtegoRobotParser(body, None)
        for _ in range(50):
            url = "http://127.0.0.1:8701" + _path(rng) + rng.choice(["", "?q=" + rng.choice(PIECES), "#" + rng.choice(PIECES)])
            assert ours.allowed(url, "oit") == protego.allowed(url, "oit"), (rules, url)


def test_only_the_escapes_of_non_ascii_characters_after_the_host_are_decoded():
    assert decoded_for_rules("https://x.test/%E0%B8%81%E0%B8%B2/a%2Fb?c=%E0%B8%81%3D") == "https://x.test/กา/a%2Fb?c=ก%3D"
    assert decoded_for_rules("https://x.test/%E0%B8/%FF") == "https://x.test/%E0%B8/%FF"     # not UTF-8: as is
    assert decoded_for_rules("https://%E0%B8%81.test") == "https://%E0%B8%81.test"
