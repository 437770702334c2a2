"""Thai words: PyThaiNLP's `newmm` segmenter with the checklist's government terms, and phrase matching
on words that tolerates a few inserted words.

    finder = WordFinder(["สรุปผลเรื่องร้องเรียน"], terms=["สขร.1"], max_gap=3)
    finder.find(compact("รายงานสรุปผลการดำเนินงานเรื่องร้องเรียน"))   # {"สรุปผลเรื่องร้องเรียน": (6, 39)}

Texts and phrases are in crawler.text.thai.compact() form (no spaces). A phrase is split into its words
(the segmenter), short words kept with their neighbour ("ผล" with "สรุป", "การ" with the next word) so
that a lone two-letter word never matches inside an unrelated one. The phrase matches a text when its
parts appear in order and at most `max_gap` of the text's own words stand between two parts; a "|"
(where the audit removed an item name or joined two texts) is never crossed. A contiguous match needs
no segmentation at all, so the segmenter runs only on texts that hold every part of some phrase.

PyThaiNLP's dictionary ships inside the package: nothing is downloaded.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable

BARRIER = "|"
FORWARD = ("การ", "ความ")          # nominalisers: they belong to the word after them
OPTIONAL = ("การ",)                 # often dropped in titles ("แผนใช้จ่าย" for "แผนการใช้จ่าย")
SHORT = 2                           # a word this short is not matched alone
TYPO_MIN = 10                       # a phrase this long still matches with one letter wrong, missing or extra


@lru_cache(maxsize=8)
def _trie(terms: tuple[str, ...]):
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    return dict_trie(set(thai_words()) | set(terms))


class Segmenter:
    """newmm over PyThaiNLP's word list plus `terms`; one cache of word starts per text."""

    def __init__(self, terms: Iterable[str] = (), cache_size: int = 50_000):
        self.terms = tuple(sorted({t for t in terms if t}))
        self._cache: dict[str, tuple[int, ...]] = {}
        self._cache_size = cache_size
        self.calls = 0                      # texts actually segmented (for the speed measurement)
        self.chars = 0

    def words(self, text: str) -> list[str]:
        from pythainlp.tokenize import word_tokenize

        self.calls += 1
        self.chars += len(text)
        return [w for w in word_tokenize(text, custom_dict=_trie(self.terms), engine="newmm",
                                         keep_whitespace=False) if w.strip()]

    def starts(self, text: str) -> tuple[int, ...]:
        """Offsets where the text's words start (cached per text)."""
        hit = self._cache.get(text)
        if hit is None:
            offsets, at = [], 0
            for word in self.words(text):
                found = text.find(word, at)
                if found < 0:
                    continue
                offsets.append(found)
                at = found + len(word)
            hit = tuple(offsets)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[text] = hit
        return hit

    def starts_word(self, text: str, at: int) -> bool:
        starts = self.starts(text)
        n = bisect_left(starts, at)
        return n < len(starts) and starts[n] == at

    def content_words_before(self, text: str, at: int, limit: int) -> int:
        """Thai words before offset `at`, counted from the last "|" (numbers, "MOIT 2", "(1.6" are not);
        compared with `limit` only: without segmenting when too few Thai letters stand there to exceed it."""
        segment_start = text.rfind(BARRIER, 0, at) + 1
        if sum(1 for ch in text[segment_start:at] if "\u0e01" <= ch <= "\u0e2e") <= limit:
            return 0 if at == segment_start else min(limit, at - segment_start)
        starts = self.starts(text)
        lo, hi = bisect_left(starts, segment_start), bisect_left(starts, at)
        count = 0
        for n in range(lo, hi):
            end = starts[n + 1] if n + 1 < len(starts) else len(text)
            if any("\u0e01" <= ch <= "\u0e2e" for ch in text[starts[n]:end]):
                count += 1
        return count

    def words_between(self, text: str, start: int, end: int) -> int:
        """How many of the text's words begin in [start, end)."""
        if end <= start:
            return 0
        starts = self.starts(text)
        return bisect_left(starts, end) - bisect_left(starts, start)


def phrase_parts(segmenter: Segmenter, phrase: str) -> tuple[str, ...]:
    """A compact phrase as the parts matched in order: its words, short ones kept with a neighbour."""
    words = segmenter.words(phrase)
    if "".join(words) != phrase:            # the segmenter dropped something: match the phrase whole
        return (phrase,)
    split: list[str] = []
    for word in words:                      # "แผนการ" is a dictionary word; its การ still leads the next
        tail = next((f for f in FORWARD if word.endswith(f) and len(word) > len(f) + SHORT), None)
        split += [word[:-len(tail)], tail] if tail else [word]
    parts: list[str] = []
    pending = ""
    for word in split:
        if word in FORWARD:
            pending += word
            continue
        word = pending + word
        pending = ""
        if parts and len(word) <= SHORT:
            parts[-1] += word
        else:
            parts.append(word)
    if pending:
        if parts:
            parts[-1] += pending
        else:
            parts.append(pending)
    merged: list[str] = []
    for part in parts:                      # a first part that is still short joins the second
        if merged and len(merged[-1]) <= SHORT:
            merged[-1] += part
        else:
            merged.append(part)
    return tuple(merged)


class AtomFinder:
    """Which checklist atoms occur in a compact text.

    An atom is tested only when all its characters occur in the text and (with `nested`, worth it for
    long body texts) every shorter atom it contains was found; most atoms are thus ruled out by a set
    lookup, and str.find does the rest.
    """

    def __init__(self, atoms: Iterable[str], nested: bool = True):
        self.atoms = sorted(set(a for a in atoms if a), key=lambda a: (len(a), a))
        rarity = Counter(ch for a in self.atoms for ch in set(a))
        self._groups: dict[str, list[str]] = defaultdict(list)
        for atom in self.atoms:
            self._groups[min(set(atom), key=lambda ch: (rarity[ch], ch))].append(atom)
        self._chars = {a: frozenset(a) for a in self.atoms}
        self._order = {a: n for n, a in enumerate(self.atoms)}
        self._inside = ({a: [b for b in self.atoms if len(b) < len(a) and b in a] for a in self.atoms}
                        if nested else dict.fromkeys(self.atoms, ()))
        self._nested = nested
        self._cache: dict[str, frozenset[str]] = {}

    def find(self, text: str) -> frozenset[str]:
        if not text:
            return frozenset()
        cacheable = len(text) <= 2000
        if cacheable and text in self._cache:
            return self._cache[text]
        chars = set(text)
        tried = [a for ch in chars.intersection(self._groups) for a in self._groups[ch]]
        found: set[str] = set()
        if not self._nested:
            found.update(a for a in tried if self._chars[a] <= chars and a in text)
            tried = []
        tried.sort(key=self._order.__getitem__)
        for atom in tried:
            if self._chars[atom] <= chars and all(b in found for b in self._inside[atom]) and atom in text:
                found.add(atom)
        result = frozenset(found)
        if cacheable:
            if len(self._cache) > 20_000:
                self._cache.clear()
            self._cache[text] = result
        return result


class WordFinder:
    """Which phrases (compact atoms) occur in a compact text: contiguously, or word by word with at
    most `max_gap` inserted words between parts. `find` returns atom -> (start, end) of the match."""

    def __init__(self, atoms: Iterable[str], segmenter: Segmenter, max_gap: int):
        self.segmenter = segmenter
        self.max_gap = max_gap
        self.atoms = sorted({a for a in atoms if a}, key=lambda a: (len(a), a))
        self._parts = {a: phrase_parts(segmenter, a) for a in self.atoms}
        # One substring pass finds every piece a phrase may be made of: whole phrases, the cores of
        # their parts, and the first and last letters of long phrases (for one wrong letter).
        self._by_first: dict[str, list[str]] = defaultdict(list)
        self._by_head: dict[str, list[str]] = defaultdict(list)
        pieces = set(self.atoms)
        for atom, parts in self._parts.items():
            if len(parts) > 1:
                cores = [_core(p) for p in parts]
                pieces.update(cores)
                self._by_first[cores[0]].append(atom)
            if len(atom) >= TYPO_MIN:
                pieces.update((atom[:3], atom[-3:]))
                self._by_head[atom[:3]].append(atom)
        self._pieces = AtomFinder(pieces, nested=False)
        self._cache: dict[str, dict[str, tuple[int, int]]] = {}

    def find(self, text: str) -> dict[str, tuple[int, int]]:
        if not text:
            return {}
        cacheable = len(text) <= 2000
        if cacheable and text in self._cache:
            return self._cache[text]
        present = self._pieces.find(text)
        found: dict[str, tuple[int, int]] = {}
        for atom in self.atoms:
            if atom in present:
                at = text.find(atom)
                found[atom] = (at, at + len(atom))
        for first in present.intersection(self._by_first):
            for atom in self._by_first[first]:
                if atom not in found and all(_core(p) in present for p in self._parts[atom]):
                    span = self._gapped(text, self._parts[atom])
                    if span is not None:
                        found[atom] = span
        for head in present.intersection(self._by_head):
            for atom in self._by_head[head]:
                if atom not in found and atom[-3:] in present:
                    span = _one_typo(text, atom)
                    if span is not None:
                        found[atom] = span
        if cacheable:
            if len(self._cache) > 20_000:
                self._cache.clear()
            self._cache[text] = found
        return found

    def _gapped(self, text: str, parts: tuple[str, ...]) -> tuple[int, int] | None:
        first = parts[0]
        start = text.find(first)
        while start >= 0:
            end = self._chain(text, start + len(first), parts[1:])
            if end is not None:
                return start, end
            start = text.find(first, start + 1)
        return None

    def _chain(self, text: str, end: int, parts: tuple[str, ...]) -> int | None:
        for part in parts:
            best = None
            for form in _forms(part):
                at = text.find(form, end)
                # After a gap a part must begin a word: "ราชการ" is not found inside "ข้าราชการ".
                while at > end and not self.segmenter.starts_word(text, at):
                    at = text.find(form, at + 1)
                if at >= 0 and (best is None or at < best[0]):
                    best = (at, form)
            if best is None:
                return None
            at, form = best
            if BARRIER in text[end:at] or self.segmenter.words_between(text, end, at) > self.max_gap:
                return None
            end = at + len(form)
        return end


def _core(part: str) -> str:
    for prefix in OPTIONAL:
        if part.startswith(prefix) and len(part) > len(prefix) + SHORT:
            return part[len(prefix):]
    return part


def _forms(part: str) -> tuple[str, ...]:
    core = _core(part)
    return (part,) if core == part else (part, core)


def _one_typo(text: str, atom: str) -> tuple[int, int] | None:
    """Where the text holds the atom with one letter substituted, missing or extra ("แผนปิบัติการ")."""
    n = len(atom)
    start = text.find(atom[:3])
    while start >= 0:
        for length in (n - 1, n, n + 1):
            piece = text[start:start + length]
            if len(piece) == length and piece[-3:] == atom[-3:] and _within_one(piece, atom):
                return start, start + length
        start = text.find(atom[:3], start + 1)
    return None


def _within_one(a: str, b: str) -> bool:
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if b[:i] + b[i + 1:] == a:
            return True
    return False
