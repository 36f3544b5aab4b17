"""Obligations: who must (or may) do what, by when, on what condition, in which phase.

Rules over the sentence grammar of legal drafting, no statistical model. A legal sentence
puts its bearer before a modal verb ("The DPRK shall", "Each Party may", "The United
States undertakes to") and its action after it; time limits are prepositional phrases
("within sixty (60) days after the date of entry into force") and conditions open with a
subordinator ("upon", "if", "unless", "provided that"). Each modal verb in an operative
paragraph (after the first Article) gives one row: "Parties shall A and shall B" gives two,
both borne by Parties. The passive voice names its bearer with "by" ("shall be verified by
the Agency") or names none ("Inspections shall be permitted"): that row has no bearer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import ARTICLE_LEVEL, PART_LEVEL, Document, citations

MODALITIES = ("shall", "shall not", "must", "must not", "may", "may not", "will",
              "will not", "should", "should not", "undertakes to", "undertakes not to",
              "agrees to", "agrees not to")
_MODAL_SIMPLE = re.compile(
    r"\b(?:(?P<base>shall|must|may|will|should)(?P<neg>\s+not)?"
    r"|(?P<verb>undertakes?|agrees?)\s+(?P<vneg>not\s+)?to)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[\"“(]?[A-Z])")
_MARKUP = re.compile(r"\s*</?(?:sup|sub|br|p|span|em|strong|i|b)\b[^>]*>\s*", re.IGNORECASE)
_ENUMERATOR = re.compile(r"^(?:\(?[a-z]{1,3}\)|\(?\d{1,3}[a-z]?[.)])\s*(?=[A-Za-z\"“])")
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|No|Nos|Art|para|paras|cf|viz|etc|Mr|Ms|Dr|St|"
                            r"U\.S|U\.N|approx|incl)\.$", re.IGNORECASE)
_OPENERS = {"if", "when", "whenever", "where", "upon", "unless", "once", "after", "before",
            "until", "following", "provided", "subject", "notwithstanding", "without", "for",
            "from", "within", "during", "at", "on", "in", "as", "pending", "with", "to",
            "except", "while", "by", "under", "having", "save", "consistent", "recognizing",
            "noting", "thereafter", "subsequently", "then", "further", "furthermore",
            "moreover", "accordingly", "likewise", "similarly", "also", "finally"}
_ADVERBS = re.compile(r"^(?:(?:thereafter|subsequently|then|further|furthermore|moreover|"
                      r"accordingly|likewise|similarly|also|finally|in addition|in particular)"
                      r",?\s+)+", re.IGNORECASE)
_NAMED = re.compile(r"\b(?:the|each|either|all|any|no|a|an|every|both)\s+"
                    r"(?:[A-Z][\w'’-]*)(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*")
_CONDITION = re.compile(
    r"(?:^|,\s*|\s)(?P<cond>(?:upon|if|unless|provided that|on condition that|subject to|"
    r"in the event (?:of|that)|once|where|when|after|following|pending)\s[^,;:]+)",
    re.IGNORECASE)
_NOT_CONDITIONS = re.compile(r"^(?:where|when|if)\s+(?:appropriate|possible|necessary|"
                             r"applicable|practicable|feasible|needed|relevant)\b"
                             r"|^where\s+(?:it|they)\s+(?:is|are)\b", re.IGNORECASE)
_PRONOUNS = {"it", "they", "he", "she", "each of them", "both of them", "either of them"}
_RELATIVE = {"that", "which", "who", "whom"}
_PARTICIPLE_IRREGULAR = {
    "made", "paid", "held", "taken", "given", "done", "sent", "kept", "set", "put", "met",
    "built", "brought", "sought", "bound", "laid", "left", "found", "known", "shown",
    "borne", "drawn", "chosen", "spent", "sold", "told", "thought", "understood", "won",
    "withdrawn", "undertaken", "overtaken", "written", "read", "run", "seen", "struck",
    "forgiven", "forbidden", "hidden", "arisen", "begun", "driven", "frozen", "stolen"}
# "shall be bound by", "shall be entitled to": the subject bears it; not a passive of doing
_STATIVE = {"bound", "governed", "guided", "informed", "deemed", "located", "composed", "based",
            "committed", "interested", "concerned", "situated", "engaged"}
# "shall be permitted to enter": the subject's permission; "shall be permitted": agentless
_STATIVE_BEFORE_TO = {"entitled", "required", "obliged", "authorized", "authorised",
                      "empowered", "allowed", "permitted", "expected", "encouraged", "invited"}
_NOT_PARTICIPLES = {"need", "deemed", "indeed", "seed", "feed", "speed", "bleed", "red",
                    "bed", "hundred", "open", "even", "often", "seven", "eleven", "ten",
                    "kindred", "sacred", "proceed", "exceed", "succeed"}
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_NUMBER_WORDS.update({w: 10 * n for n, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)})
_NUMBER = r"(?:\d[\d,]*|[a-z]+(?:[ -](?:and[ -])?[a-z]+){0,5})(?:\s*\(\d[\d,]*\))?"
_UNIT = r"(?:calendar\s+|working\s+|business\s+)?(?P<unit>days?|weeks?|months?|years?|hours?)"
_TIME = re.compile(
    rf"\b(?P<lead>within|no later than|not later than|not less than|at least|at the latest|"
    rf"before the end of|by the end of|before|after|every|for a period of|for)\s+"
    rf"(?P<number>{_NUMBER})\s+{_UNIT}(?:'s)?"
    rf"(?P<event>\s+(?:after|of|from|following|before|prior to|since|of receipt of)\s+"
    rf"[^,;:()]+)?", re.IGNORECASE)
_DATE = re.compile(r"\b(?P<lead>by|before|no later than|not later than|on or before)\s+"
                   r"(?P<date>\d{1,2}\s+(?:January|February|March|April|May|June|July|"
                   r"August|September|October|November|December)\s+\d{4})")
_EVENT_CUT = re.compile(r"\s+(?:and|or|but|in order|which|unless|if|provided|shall|may)\s.*$"
                        r"|\.$", re.IGNORECASE)
_ACTION_CUT = re.compile(
    r"\s*(?:;|:|,\s+(?:including|in accordance|with|as|where|when|if|unless|provided|subject|"
    r"which|who|that|recognizing|recognising|noting|taking|consistent|pursuant|under|on|at|in|"
    r"for|to|by|after|before|upon|so as|inter alia|each|both|and\s+(?:the|each|either|it|they))\b|"
    r"\bwithin\b|\bno later than\b|\bnot later than\b|\bin accordance with\b|\bupon\b|"
    r"\bprovided that\b|\bunless\b)", re.IGNORECASE)
_BEARER_CUT = re.compile(r",|\s(?:that|which|who|whose|whom)\s|\s\(")
MAX_ACTION_WORDS = 12


@dataclass(frozen=True)
class TimeLimit:
    text: str  # "within sixty (60) days after the date of entry into force of this Agreement"
    amount: int | None  # 60
    unit: str  # "days"
    event: str  # "the date of entry into force of this Agreement"
    short: str = ""  # "within 60 days after the date of entry into force of this Agreement"

    @property
    def days(self) -> int | None:
        """The limit in days, when the text gives it in days or weeks (months and years
        are calendar-dependent and stay as written)."""
        if self.amount is None:
            return None
        return {"days": self.amount, "weeks": 7 * self.amount}.get(self.unit)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "amount": self.amount, "unit": self.unit,
                "days": self.days, "event": self.event, "short": self.short}


@dataclass(frozen=True)
class Obligation:
    label: str  # the paragraph cited (model.citations): "4.1", "Article 30", "Article 2, 1."
    article: str  # "Article 4", "ARTICLE III"
    article_title: str
    phase: str  # the Part it stands in ("Phase One: Freeze and Verification") or ""
    bearer: str | None  # None: an agentless passive ("Inspections shall be permitted")
    modality: str  # one of MODALITIES
    action: str  # a short verb phrase
    time_limit: TimeLimit | None
    conditions: tuple[str, ...]
    sentence: str
    block_id: str
    clause: str | None
    passive: bool = False
    subject: str = ""  # the grammatical subject as written (for a passive: what is acted on)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "article": self.article,
                "article_title": self.article_title, "phase": self.phase,
                "bearer": self.bearer, "modality": self.modality, "action": self.action,
                "time_limit": self.time_limit.to_dict() if self.time_limit else None,
                "conditions": list(self.conditions), "passive": self.passive,
                "subject": self.subject, "sentence": self.sentence, "block": self.block_id,
                "clause": self.clause}

    @property
    def binding(self) -> bool:
        """An obligation proper, not a permission or an expectation."""
        return self.modality.split()[0] in ("shall", "must", "will", "undertakes", "agrees")


def extract(document: Document) -> list[Obligation]:
    """Every obligation, permission and commitment in the operative text, in order."""
    rows: list[Obligation] = []
    article = article_title = phase = ""
    seen_article = False
    for block, cited in zip(document.blocks, citations(document.blocks), strict=True):
        if block.is_heading:
            if block.level == PART_LEVEL:
                phase = block.text or cited
            elif re.fullmatch(r"(?i)\W*preamble\W*", block.text or block.label):
                seen_article = False
            elif block.level == ARTICLE_LEVEL or re.match(r"(?i)article\b", block.label):
                article, article_title, seen_article = cited or block.text, block.text, True
            continue
        if not seen_article:
            continue  # the preamble recites; it does not bind
        label = cited or article
        previous: str | None = None
        for sentence in split_sentences(block.text):
            for row in _sentence_rows(sentence, previous):
                rows.append(Obligation(label=label, article=article,
                                       article_title=article_title, phase=phase,
                                       block_id=block.id, clause=block.clause, **row))
                previous = row["bearer"] or previous
    return rows


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph. A footnote written inline (<sup>...</sup>) is a sentence
    of its own; a leading enumerator ("h)", "2.") is not part of the sentence."""
    if "<" in text and _MARKUP.search(text):
        return [s for part in _MARKUP.split(text) for s in _sentences(part)]
    return _sentences(text)


def _sentences(text: str) -> list[str]:
    text = _ENUMERATOR.sub("", text.strip())
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start:m.start()]
        if _ABBREVIATIONS.search(piece):
            continue
        out.append(piece.strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _sentence_rows(sentence: str, previous: str | None) -> list[dict[str, Any]]:
    matches = [m for m in _MODAL_SIMPLE.finditer(sentence) if not _excluded(sentence, m)]
    rows: list[dict[str, Any]] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(sentence)
        before = sentence[:m.start()]
        span = sentence[m.end():end]
        inherited = False
        if i == 0:
            intro, subject = _subject(before)
        else:
            intro, subject = "", _next_subject(sentence[matches[i - 1].end():m.start()])
            if not subject:
                subject, inherited = rows[-1]["subject"], True
        aside, span = _aside(span)
        intro = ", ".join(x for x in (intro, aside) if x)
        if inherited and rows[-1]["passive"]:  # "It shall be supervised by X, and shall aim"
            bearer = _bearer(subject, "", "", None)
        elif inherited:
            bearer = rows[-1]["bearer"]
        else:
            bearer = _bearer(subject, intro, before, previous)
        modality = _modality(m)
        action, passive, agent = _action(span)
        if passive and not inherited:
            bearer = agent
        elif passive and inherited:
            bearer = agent or (None if rows[-1]["passive"] else rows[-1]["bearer"])
        rows.append({"bearer": bearer, "modality": modality, "action": action,
                     "time_limit": _time_limit(intro) or _time_limit(span),
                     "conditions": _conditions(intro) + _conditions(span),
                     "sentence": sentence, "passive": passive, "subject": subject})
    return rows


def _excluded(sentence: str, m: re.Match[str]) -> bool:
    """Modal words that state no obligation: "shall mean", "as the case may be", "as may
    be agreed", the noun "will", and a modal inside a participial aside ("...,
    recognizing that peaking will take longer")."""
    clause = re.split(r"[;:,]", sentence[:m.start()])[-1].strip().lower()
    if re.match(r"(?:recogni[sz]ing|noting|acknowledging|bearing in mind|considering|"
                r"emphasi[sz]ing|affirming|stressing|taking into account)\b", clause):
        return True
    after = sentence[m.end():m.end() + 12].lower()
    before = sentence[max(0, m.start() - 14):m.start()].lower()
    word = m.group(0).lower()
    if m.group(0) == "May" and (re.search(r"\d\s+$", before) or re.match(r"\s+\d{4}", after)):
        return True  # the month
    if word.startswith("shall") and re.match(r"\s+(?:mean|be deemed to mean)\b", after):
        return True
    if re.search(r"\b(?:the case|as|as the case)\s+$", before):
        return True
    if re.search(r"\bas\s+(?:\w+\s+){1,3}$", sentence[:m.start()]) and re.match(
            r"\s+(?:not\s+)?(?:deem|consider|decide|determine|agree|require|think|prescribe|"
            r"provide|request|see fit|be)\b", sentence[m.end():m.end() + 20]):
        return True  # "as it may deem appropriate": a discretion described, not conferred
    return word == "will" and re.search(r"\b(?:the|good|political|free|their|its)\s+$", before
                                        ) is not None


def _modality(m: re.Match[str]) -> str:
    if m.group("base"):
        return m.group("base").lower() + (" not" if m.group("neg") else "")
    verb = m.group("verb").lower()
    verb = verb if verb.endswith("s") else verb + "s"
    return f"{verb} not to" if m.group("vneg") else f"{verb} to"


def _subject(before: str) -> tuple[str, str]:
    """(introductory phrase, grammatical subject) of the clause before a modal verb:
    "Within thirty (30) days, the DPRK" -> ("Within thirty (30) days", "the DPRK")."""
    clause = re.split(r"[;:]", before)[-1].strip()
    clause = re.sub(r"^(?:and|or|but)\s+", "", clause, flags=re.IGNORECASE)
    intro = ""
    first = clause.split(" ", 1)[0].lower().strip(",")
    if first in _OPENERS:
        cut = _subject_start(clause)
        if cut is not None:
            intro, clause = clause[:cut].rstrip(" ,"), clause[cut:]
        else:
            named = list(_NAMED.finditer(clause))
            if named and named[-1].start() > 0:
                intro, clause = clause[:named[-1].start()].strip(), clause[named[-1].start():]
    clause = _ADVERBS.sub("", re.sub(r",\s*$", "", clause).strip())
    said = list(_THAT_CLAUSE.finditer(clause))  # "Parties acknowledge that adaptation action"
    if said and not re.search(r"\b(?:which|who|that)\b", clause[:said[-1].start()]):
        clause = clause[said[-1].end():]  # ("Members which consider that ...": the relative)
    return intro, clause


_THAT_CLAUSE = re.compile(
    r"\b(?:acknowledges?|agrees?|recogni[sz]es?|decides?|ensures?|notes?|considers?|affirms?|"
    r"declares?|determines?|confirms?|provides?|understands?|believes?|requests?|requires?|"
    r"undertakes?|accepts?)\s+that\s+", re.IGNORECASE)
def _subject_start(clause: str) -> int | None:
    """Where the subject begins after an introductory phrase: after the rightmost comma
    whose remainder opens like a noun phrase ("If ..., and together with ..., each member
    State" -> "each member State")."""
    for m in reversed(list(re.finditer(r",\s+", clause))):
        rest = clause[m.end():]
        first = rest.split(" ", 1)[0].lower()
        if first not in _OPENERS and first not in ("and", "or", "but") and not first.endswith(
                ("ing", "ed")) and re.match(r"[\w\"“]", rest):
            return m.end()
    return None


def _next_subject(between: str) -> str:
    """The subject of a later modal in the sentence: "..., and the DPRK" -> "the DPRK";
    "... and" (the same subject, a second verb) -> ""."""
    tail = re.split(r"[;:]|,?\s+(?:and|or|but|while|whereas)\s+|,\s+", between.strip())[-1]
    tail = _ADVERBS.sub("", tail.strip())
    relative = re.fullmatch(r"(?:(?P<part>.+?)\s+of\s+)?(?:which|whom|who|that)", tail, re.I)
    if relative:  # "..., the first of which shall", "a facilitator, who shall"
        antecedent = between[:len(between.rstrip()) - len(tail)].rstrip(" ,")
        head = _antecedent(antecedent, partitive=bool(relative.group("part")))
        if head and relative.group("part"):
            return f"{relative.group('part')} of {head}"
        return head
    if not tail or not re.match(r"(?:the|each|either|all|any|no|a|an|every|both|it|they|"
                                r"such|this|these|that|those|[A-Z])\b", tail):
        return ""
    return tail


_PREPOSITIONS = r"in|of|to|at|by|for|under|with|on|from|within|into|between|among"
_DETERMINER = re.compile(r"\b(?:the|a|an|each|either|any|its|their)\s+")


def _antecedent(text: str, partitive: bool = False) -> str:
    """The noun phrase a relative pronoun stands for. "each of which" after "establish
    ... the following working groups" is the first plural phrase of the clause; "which"
    after "refer it to the Joint Commission" is the phrase just before, taken back over
    "of the ..." and "appointed by the ..." ("a facilitator appointed by the
    Secretary-General of the United Nations, who" is the facilitator)."""
    clause = re.split(r"[;:]|,\s+", text)[-1]
    if partitive:
        chunks = re.split(rf"\s+(?:{_PREPOSITIONS})\s+", clause)
        for n, chunk in enumerate(chunks):
            words = chunk.split()
            if words and words[-1].endswith("s") and not words[-1].endswith("ss"):
                if n == 0:
                    words = words[1:]  # the verb
                phrase = " ".join(words)
                dets = list(_DETERMINER.finditer(phrase))
                return phrase[dets[-1].start():] if dets else phrase
        return ""
    dets = list(_DETERMINER.finditer(clause))
    if not dets:
        return ""
    i = len(dets) - 1
    while i > 0:
        before = clause[:dets[i].start()]
        proper_of = re.search(r"\bof\s+$", before) and clause[dets[i - 1].end():][:1].isupper()
        if not (proper_of or re.search(r"\b\w+(?:ed|en)\s+by\s+$", before)):
            break
        i -= 1  # "the Secretary-General of the United Nations", "a facilitator appointed by"
    phrase = clause[dets[i].start():]
    return re.split(r"\s+(?:\w+(?:ed|en)\s+by|of|under|referred)\b", phrase, maxsplit=1)[0]


def _aside(span: str) -> tuple[str, str]:
    """", at the request of the DPRK, provide ..." -> ("at the request of the DPRK",
    "provide ...")."""
    m = re.match(r"\s*,\s*([^,:]+),\s*(.*)$", span, re.DOTALL)
    if m:
        aside, rest = m.group(1), m.group(2)
        while more := re.match(r"((?:and\s+)?\w+ing\b[^,:]*),\s*(.*)$", rest, re.DOTALL):
            aside, rest = f"{aside}, {more.group(1)}", more.group(2)  # ", building on ...,"
        return aside, rest
    lead = re.match(r"\s*,\s*([^,:]+):\s*$", span)  # "shall, in particular:"
    return (lead.group(1), ":") if lead else ("", span)


def _bearer(subject: str, intro: str, before: str, previous: str | None) -> str | None:
    """Who the subject names: the head noun phrase; a pronoun is the last party named
    before it in the sentence, or the previous row's bearer."""
    if not subject:
        return previous
    words = subject.split()
    if words and words[-1].lower() in _RELATIVE and len(words) > 1:  # "a committee that"
        subject = _antecedent(" ".join(words[:-1]).rstrip(" ,")) or " ".join(words[:-1])
    elif subject.lower() in _RELATIVE:
        head = _antecedent(before.rstrip()[:-len(subject)].rstrip(" ,"))
        subject = head or subject
    if subject.lower() == "there":  # "There shall be negotiations": no one is named
        return None
    if subject.lower() in _PRONOUNS:  # "If the United States considers ..., it may"
        named = _NAMED.findall(intro) or _NAMED.findall(before)[-1:]
        if named:
            return _tidy(named[0])
        return previous or subject
    head = _head(subject)
    return _tidy(head) if head else None


def _head(subject: str) -> str:
    """The subject without its appositions and relative clauses: "Parties, including
    ..., that have reached an agreement" -> "Parties"; "that" after a preposition is a
    demonstrative and stays ("each member State of that organization")."""
    for m in _BEARER_CUT.finditer(subject):
        if m.group(0).strip() == "that" and re.search(
                r"\b(?:of|in|to|for|with|by|on|at|from|under)$", subject[:m.start()]):
            continue
        return subject[:m.start()].strip()
    return subject.strip()


def _tidy(text: str) -> str:
    text = text.strip().strip(",")
    return text[:1].upper() + text[1:]


def _action(span: str) -> tuple[str, bool, str | None]:
    """(short verb phrase, passive?, agent of a passive) from the words after the modal."""
    text = span.strip()
    passive, agent = False, None
    m = re.match(r"(?:also\s+|in turn\s+|further\s+|jointly\s+|only\s+|\w+ly\s+)*be\s+"
                 r"(?:(?:\w+ly|also|so|then|not)\s+)?(?P<verb>[a-z]+)\b", text)
    deeming = m is not None and re.match(r"\s+(?:as|to be|to have)\b", text[m.end():]) is not None
    deeming = deeming or (m is not None and m.group("verb").lower() in _STATIVE_BEFORE_TO
                          and re.match(r"\s+to\s", text[m.end():]) is not None)
    if m and _is_participle(m.group("verb")) and m.group("verb").lower() not in _STATIVE \
            and not deeming:  # "shall be considered as having withdrawn": the subject bears it
        passive = True
        by = re.match(r"(?:\w+ly\s+){0,2}by\s+(?P<agent>[^,;:.]+)", text[m.end():].strip())
        if by:
            words = by.group("agent")
            if not re.match(r"(?:the|each|either|a|an|any|all|[A-Z])", words):
                named = _NAMED.search(words)  # "by written agreement of the Parties"
                words = named.group(0) if named else words
            agent = _tidy(re.split(r"\s+(?:in|within|for|under|and|or|to|on|"
                                   r"at|with|upon|before|after|not later)\b",
                                   words, maxsplit=1)[0])
    if text.startswith(":") or not text:
        return "the following:", passive, agent
    cut = _ACTION_CUT.search(text)
    phrase = text[:cut.start()] if cut and cut.start() > 0 else text
    words = re.sub(r"(?:,?\s+(?:and|or))?[.,;\s]*$", "", phrase).split()
    short = " ".join(words[:MAX_ACTION_WORDS]) + (" …" if len(words) > MAX_ACTION_WORDS else "")
    return short, passive, agent


def _is_participle(word: str) -> bool:
    word = word.lower()
    if word in _NOT_PARTICIPLES:
        return False
    return word in _PARTICIPLE_IRREGULAR or (len(word) > 4 and word.endswith(("ed", "en")))


def _time_limit(text: str) -> TimeLimit | None:
    m = _TIME.search(text)
    if m:
        event = (m.group("event") or "").strip()
        event = re.sub(r"^(?:after|of|from|following|before|prior to|since|of receipt of)\s+",
                       "", event, flags=re.IGNORECASE)
        event = _EVENT_CUT.sub("", event).strip()
        unit = m.group("unit").lower()
        unit = unit if unit.endswith("s") else unit + "s"
        phrase = m.group(0)
        if m.group("event"):
            phrase = phrase[:m.start("event") - m.start()]
            if event:
                raw = m.group("event")
                phrase += raw[:raw.find(event) + len(event)]
        phrase = re.sub(r"\s+", " ", phrase).strip().rstrip(".")
        amount = parse_number(m.group("number"))
        short = phrase.replace(m.group("number"), str(amount), 1) if amount is not None \
            else phrase
        return TimeLimit(phrase, amount, unit, event, short)
    d = _DATE.search(text)
    if d:
        return TimeLimit(d.group(0), None, "date", d.group("date"), d.group(0))
    return None


def parse_number(text: str) -> int | None:
    """"sixty (60)" -> 60; "ninety" -> 90; "one hundred and eighty" -> 180; "45" -> 45."""
    digits = re.search(r"\((\d[\d,]*)\)", text) or re.fullmatch(r"\s*(\d[\d,]*)\s*", text)
    if digits:
        return int(digits.group(1).replace(",", ""))
    total = current = 0
    found = False
    for word in re.split(r"[\s-]+", text.lower()):
        if word == "and" or not word:
            continue
        if word in _NUMBER_WORDS:
            current += _NUMBER_WORDS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        else:
            return None
        found = True
    return total + current if found else None


def _conditions(text: str) -> tuple[str, ...]:
    out = []
    for m in _CONDITION.finditer(text):
        cond = m.group("cond").strip().rstrip(".")
        if _NOT_CONDITIONS.match(cond) or _TIME.match(cond):
            continue
        if re.match(r"(?i)(?:after|following)\s", cond) and not re.search(
                r"\b(?:has|have|is|are|been)\b|\bthe (?:issuance|completion|adoption|entry)\b",
                cond):
            continue
        out.append(cond)
    return tuple(dict.fromkeys(out))


def by_phase(rows: list[Obligation]) -> list[tuple[str, list[Obligation]]]:
    """Rows under each phase (Part), in the order the phases first appear."""
    groups: dict[str, list[Obligation]] = {}
    for row in rows:
        groups.setdefault(row.phase, []).append(row)
    return list(groups.items())


def summary(rows: list[Obligation]) -> str:
    """"167 obligations: 120 shall, 22 shall not, 25 may; 14 with no named bearer"."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.modality] = counts.get(row.modality, 0) + 1
    kinds = ", ".join(f"{counts[m]} {m}" for m in MODALITIES if m in counts)
    agentless = sum(1 for r in rows if r.bearer is None)
    timed = sum(1 for r in rows if r.time_limit)
    return (f"{len(rows)} obligation{'s' * (len(rows) != 1)}" + (f": {kinds}" if kinds else "")
            + f"; {timed} with a time limit; {agentless} with no named bearer")


def sides_of(bearer: str | None, sides: dict[str, str]) -> list[str]:
    """Which sides (keys) a bearer names: a side's name or its start ("the United States"
    for "United States of America"), its initials ("the DPRK"), its key; "Each Party" and
    "the Parties" are every side."""
    if not bearer:
        return []
    text = re.sub(r"^(?:the|each|either|a)\s+", "", bearer.strip(), flags=re.IGNORECASE)
    if re.fullmatch(r"(?i)part(?:y|ies)|both parties|parties", text):
        return list(sides)
    found = []
    for key, name in sides.items():
        words = [w for w in re.findall(r"[\w']+", name)]
        initials = "".join(w[0] for w in words if w.lower() not in ("of", "the", "and"))
        plain = name.lower()
        if text.lower() == key.lower() or text.upper() == initials.upper() or (
                len(text) > 3 and plain.startswith(text.lower())):
            found.append(key)
    return found
