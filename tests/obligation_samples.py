"""Obligation rows checked by hand, for the tests and for bench/obligations_bench.py.

Each entry: (Article or paragraph label, the first words of the sentence, which row of
that sentence) -> (bearer, modality) as a careful reader gives them. None: a
passive that names no one (or "There shall be ...": no bearer at all).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

PARIS_V4 = ("agreements", "paris", "paris_v4_2015-12-12_adopted-L9Rev1.body.md")
WTO = ("agreements", "wto", "wto_2013-11-18.md")

# Every fourth row of the Paris Agreement (v4), keyed by (label, n-th row of that label),
# the label cited as the file prints it (model.citations): "Article 4, 3.", "Article 22".
PARIS_SAMPLE = {
    ("Article 2, 2.", 1): (None, "will"),
    ("Article 4, 3.", 1): ("Each Party's successive nationally determined contribution", "will"),
    ("Article 4, 6.", 1): (
        "The least developed countries and small island developing States", "may"),
    ("Article 4, 11.", 1): ("A Party", "may"),
    ("Article 4, 14.", 1): ("Parties", "should"),
    ("Article 4, 17.", 1): ("Each party to such an agreement", "shall"),
    ("Article 6, 2.", 1): ("Parties", "shall"),
    ("Article 6, 4.", 2): ("It", "shall"),
    ("Article 6, 7.", 1): (
        "The Conference of the Parties serving as the meeting of the Parties to the "
        "Paris Agreement", "shall"),
    ("Article 7, 5.", 2): ("Adaptation action", "should"),
    ("Article 7, 10.", 1): ("Each Party", "should"),
    ("Article 7, 13.", 1): (None, "shall"),
    ("Article 8, 3.", 1): ("Parties", "should"),
    ("Article 9, 1.", 1): ("Developed country Parties", "shall"),
    ("Article 9, 5.", 1): ("Developed country Parties", "shall"),
    ("Article 9, 9.", 1): ("The institutions serving this Agreement", "shall"),
    ("Article 10, 6.", 1): (None, "shall"),
    ("Article 11, 2.", 1): ("Capacity-building", "should"),
    ("Article 11, 3.", 2): ("Developed country Parties", "should"),
    ("Article 11, 5.", 2): (
        "The Conference of the Parties serving as the meeting of the Parties to the "
        "Paris Agreement", "shall"),
    ("Article 13, 3.", 1): ("The transparency framework", "shall"),
    ("Article 13, 9.", 1): ("Developed country Parties", "shall"),
    ("Article 13, 11.", 2): ("The review process", "shall"),
    ("Article 13, 12.", 3): ("The review", "shall"),
    ("Article 14, 1.", 1): (
        "The Conference of the Parties serving as the meeting of the Parties to the "
        "Paris Agreement", "shall"),
    ("Article 15, 2.", 1): ("The mechanism referred to in paragraph 1 of this Article", "shall"),
    ("Article 16, 1.", 1): ("The Conference of the Parties", "shall"),
    ("Article 16, 4.", 1): (
        "The Conference of the Parties serving as the meeting of the Parties to the "
        "Paris Agreement", "shall"),
    ("Article 16, 5.", 1): (None, "shall"),
    # "The United Nations ... may be represented": the permission is the UN's (a miss)
    ("Article 16, 8.", 1): (
        "The United Nations and its specialized agencies and the International Atomic "
        "Energy Agency", "may"),
    ("Article 17, 2.", 1): ("Article 8", "shall"),
    ("Article 18, 1.", 3): (None, "shall"),
    ("Article 19, 1.", 1): (
        "Subsidiary bodies or other institutional arrangements established by or under "
        "the Convention", "shall"),
    ("Article 20, 1.", 2): ("This Agreement", "shall"),
    ("Article 20, 2.", 2): ("The organization and its member States", "shall"),
    ("Article 20, 3.", 3): ("The Depositary", "shall"),
    ("Article 22", 1): (
        "The provisions of Article 15 of the Convention on the adoption of amendments to "
        "the Convention", "shall"),
    ("Article 24", 1): (
        "The provisions of Article 14 of the Convention on settlement of disputes", "shall"),
    ("Article 26", 1): ("The Secretary-General of the United Nations", "shall"),
    ("Article 28, 3.", 1): ("Any Party", "shall"),
}



# The WTO Agreement (2013 consolidation): every 121st row from the 62nd, drawn and checked
# before the rules were last changed (so not a sample the rules were tuned on). Keys are the
# rows' labels, cited as the file prints them (model.citations): "Article VIII, 1." for a
# paragraph under an Article's sub-heading ("####Scope of the WTO"), "PART IV, Annex II"
# where the file has more than one Annex II (same sentences, same answers).
WTO_SAMPLE = {
    ("Article VIII, 1.", "The WTO shall have legal personality, an", 1): (
        "Each of its Members", "shall"),
    ("ANNEX 1", '"Other duties or charges" shall be recor', 0): (None, "shall"),
    ("ANNEX 1", "If this is not the case, consideration w", 0): (None, "will"),
    ("PART XI, Article 18, 2.", "The review process shall be undertaken o", 0): (None, "shall"),
    ("PART XIII, Article 2, 1.", "Members agree that as of the date of ent", 0): (
        "All such restrictions maintained between GATT 1947 contracting parties", "shall"),
    ("paragraph after PART XIII, Article 6, 6.", "Members whose total volume of textile an", 0): (
        None, "shall"),
    ("PART XIII, Article 5, 5.2.8", "With a view to harmonizing conformity as", 0): (
        "Members", "shall"),
    ("PART XIII, Annex 3", "The notification shall include the name ", 0): (
        "The notification", "shall"),
    ("PART I, Article 4, 4.1.",
     'For the purposes of this Agreement, the term "domestic industry" shall be interpreted', 0): (
        'The term "domestic industry"', "shall"),
    ("PART I, Article 9, 9.3.2", "The refund authorized should normally be", 0): (None, "should"),
    ("PART III, Annex II", "Where the authorities do not have the ab", 0): (None, "should"),
    ("PART IV, Annex II", "Speeches or statements made in any of th", 1): (
        "All delegations", "agrees to"),
    ("PART IV, Article 5", "The Secretariat shall inform the Members", 0): (
        "The Secretariat", "shall"),
    ("PART IV, Annex II", "all information that is by nature confid", 0): (
        "The authorities concerned", "shall not"),
    ("PART II, Article 4, 4.1.", "The appellate report shall be adopted by", 0): (
        "The DSB", "shall"),
    ("PART V, Article 12, 12.1.1", "Due consideration should be given to any", 0): (None, "should"),
    ("20.1.", "If the definitive countervailing duty is", 0): (None, "shall not"),
    ("32.1.", "Subject to paragraph 4, the provisions o", 0): (
        "The provisions of this Agreement", "shall"),
    ("PART XI, Article 6", "Such measures should take the form of ta", 0): (
        "Such measures", "should"),
    ("PART II, Article X, 1.",
     "There shall be multilateral negotiations on the question of emergency", 0): (
        None, "shall"),
    ("PART VI, Article XXIX", "The Agreement shall not prevent a Member", 0): (
        "The Agreement", "shall not"),
    ("PART II, Article 18", "Initial registration, and each renewal o", 0): (
        "Initial registration", "shall"),
    ("Article 41, 1.", "These procedures shall be applied in suc", 0): (None, "shall"),
    ("Article 70, 2.", "In respect of this paragraph and paragra", 0): (None, "shall"),
    ("PART VII, Article 10, 4.", "If a third party considers that a measur", 0): (
        "That Member", "may"),
    ("PART VII, Article 21, 6.", "The issue of implementation of the recom", 0): (
        "Any Member", "may"),
    ("PART VII, ANNEX 3", "The first four trading entities so ident", 0): (
        "The first four trading entities so identified", "shall"),
    ("PART VII, ANNEX 4", "It shall conclude these negotiations and produce a final report", 0): (
        "The negotiating group", "shall"),
    ("PART IV, Annex I", "Paragraph 2(a) provides that where the b", 0): (None, "shall"),
    ("PART XIII, Annex 5", "In the event that special treatment unde", 1): (
        "The attachment hereto", "shall"),
}


def by_label(rows: list[Any]) -> dict[tuple[str, int], Any]:
    """Rows keyed (label, n-th row of that label), as PARIS_SAMPLE is."""
    seen: Counter[str] = Counter()
    out = {}
    for row in rows:
        seen[row.label] += 1
        out[(row.label, seen[row.label])] = row
    return out


class BySentence:
    """Rows found by WTO_SAMPLE's (label, sentence start, n) keys: the n-th row of the
    sentences that start so. The label is left out: how a reader labels the blocks of a
    file from outside may change, the words do not."""

    def __init__(self, rows: list[Any]):
        self.rows = rows

    def get(self, key: Any, default: Any = None) -> Any:
        label, start, n = key
        places: dict[tuple[str, str], list[Any]] = {}
        for row in self.rows:
            if row.sentence.startswith(start):
                places.setdefault((row.block_id, row.sentence), []).append(row)
        if len({text for _, text in places}) > 1:  # then the label tells them apart
            places = {k: v for k, v in places.items() if v[0].label == label}
        if len({text for _, text in places}) != 1:
            return default  # none, or sentences that differ: the sample must say more
        found = next(iter(places.values()))  # the same sentence twice: either will do
        return found[n] if n < len(found) else default


def by_sentence(rows: list[Any]) -> BySentence:
    return BySentence(rows)


def precision(sample: dict[Any, tuple[str | None, str]], found: dict[Any, Any]
              ) -> tuple[int, int, int, list[str]]:
    """(bearers right, modalities right, rows, misses): a row not found is wrong."""
    bearers = modalities = 0
    misses = []
    for key, (bearer, modality) in sample.items():
        row = found.get(key)
        got = (row.bearer, row.modality) if row is not None else ("(no row)", "(no row)")
        bearers += got[0] == bearer
        modalities += got[1] == modality
        if got[0] != bearer:
            misses.append(f"{key}: bearer {got[0]!r}, by hand {bearer!r}")
    return bearers, modalities, len(sample), misses
