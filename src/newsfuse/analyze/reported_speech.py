"""Reported and unmarked speech in one sentence: "X said (that) …", "…, X said", "…, said X",
"according to X, …", "…, according to X", a statement a participle adds ("…, noting that …"),
each with the phrase that names its speaker (who that is, is `attribution`'s job)."""

from __future__ import annotations

import re

from ..model import Article
from .datelines import dateline_end
from .speakers import PERSON, TITLE_ABBREVIATIONS, looks_like_person
from .speech_words import (
    CLAUSE_VERBS,
    MIN_REPORTED_WORDS,
    OTHER_LANGUAGE_VERBS,
    SPEAKER,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    Found,
    is_full_name,
)

SUBJECT_WORDS = 13  # "X praised the plan on Monday and said …": the subject is X

_SPEAKER_FIRST = re.compile(
    rf"{SPEAKER}\s+(?:(?:also|once again|then)\s+)?(?:{SPEECH_VERBS})\s+(?:that\s+)?"
)
# When a statement is made ("said Monday", "said in a statement", "said on Twitter last week").
_WHEN = (
    r"(?:\s+(?:(?:on|in|at|during|after|before|last|this|earlier|late|early)\s[^,]{1,50}?|"
    r"yesterday|today|tonight|(?:on\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"(?:\s+(?:morning|afternoon|evening|night))?))?"
)
# The attribution after the statement: "…, aides said." "…, an official said Monday." "…, said
# police Chief Joseph Boinnet." "…, the Red Cross said, raising …": a short phrase without a
# comma before or after a speech verb, at the sentence's end or before a comma.
_SPEAKER_PHRASE = (
    r"(?P<speaker>(?!(?:which|who|that|it|this|and|but|or|so|as|since|because|although|though|"
    r"if|when|while|where|after|before|until|unless|whether)\b)[^,;:“”\"«»]{2,60}?)"
)
_PRONOUN = r"(?:he|she|they|it|we|I|you|this|that|there)"
_DETERMINER = r"(?:the|a|an|his|her|its|their|our|my|your|this|that|these|those)"
_AUXILIARY = r"(?:is|are|was|were|has|have|had|will|would|can|could|does|do|did|should|may|might)"
# "that" in the languages the project reads ("dijo que", "a déclaré qu'il", "sagte, dass")
_THAT = r"(?:that\s|que\s|qu['’]|dass\s|daß\s|che\s|dat\s|что\s)"
# Verbs that attribute the statement before them ("…, she said"), not verbs of opinion
_ATTRIBUTING = (
    r"said|says|say|told|tells|added|adds|stressed|noted|notes|explained|explains|warned|warns|"
    r"claimed|claims|argued|argues|confirmed|confirms|admitted|insisted|insists|announced|"
    r"acknowledged|wrote|writes|reported|reports|testified|recalled|recalls|stated|states|"
    r"continued|continues|concluded|cautioned|alleged|alleges|" + OTHER_LANGUAGE_VERBS
)
_UNMARKED = [
    re.compile(
        rf"^(?P<quote>.{{20,}}?),\s+{_SPEAKER_PHRASE}\s+(?:(?:also|once again)\s+)?"
        rf"(?:{_ATTRIBUTING}){_WHEN}(?:[.!]?\s*$|,\s)"
    ),
    # "…, according to a person familiar with the talks."
    re.compile(
        r"^(?P<quote>.{20,}?),\s+according\s+to\s+"
        r"(?P<speaker>[^,;:“”\"«»]{2,80}?)(?:[.!]?\s*$|,\s)"
    ),
    # inverted ("…, said police Chief Joseph Boinnet"): a name of up to six words, not a clause
    # ("Marie Howell, the council's president, says the school has issues" is the other way)
    re.compile(
        rf"^(?P<quote>.{{20,}}?),\s+(?:{_ATTRIBUTING})\s+"
        rf"(?P<speaker>(?:he|she|they)|(?!{_PRONOUN}\b)(?!(?:[\w’'.-]+\s+){{0,5}}?{_AUXILIARY}\b)"
        # nor a verb with its object ("…, says the program changed his life")
        rf"(?!(?:[\w’'.-]+\s+){{1,4}}?[a-z]+ed\s+{_DETERMINER}\b)"
        rf"(?:[\w’'.-]+\s+){{0,5}}?[\w’'.-]+)(?:[.!]?\s*$|,\s)"
    ),
]
# Pieces of the reported-speech patterns below.
_OPENING_CLAUSES = r"^(?:[^,]{0,60},\s+){0,2}"  # "Later, in the House of Commons, X said …"


def _subject(most_words: int) -> str:
    """Any phrase of up to `most_words` + 1 words before a speech verb: its speaker."""
    return rf"(?P<speaker>(?:[\w’'.-]+\s+){{0,{most_words}}}?[\w’'.-]+)"


# Words a reported clause starts with ("said he …", "told reporters the …")
_CLAUSE_OPENER = (
    r"[A-Z]|he\b|she\b|it\b|they\b|there\b|the\b|this\b|his\b|her\b|its\b|their\b|a\b|"
    r"an\b|we\b"
)
_CLAUSE_OPENER_AFTER_SUBJECT = (
    _CLAUSE_OPENER + r"|our\b|I\b|those\b|these\b|some\b|many\b|most\b|all\b|no\b|both\b|"
    r"each\b|every\b|such\b|more\b|one\b|neither\b|none\b|nobody\b|nothing\b|everyone\b|"
    r"everything\b|anyone\b"
)

# "said" and "told X" take a clause: whatever follows is what was said, unless it is a word
# no reported clause starts with ("said nothing", "said would cost", "said in an interview").
_SAID = (
    r"(?:said|says|say|told\s+(?:reporters|him|her|them|us|me|the\s+[\w-]+(?:\s+[\w-]+)?"
    r"|(?:[A-Z][\w.’'-]*\s?){1,4}))"
)
_SAID_WHEN = (
    r"(?:\s+(?:(?:on\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"(?:\s+(?:morning|afternoon|evening|night))?|yesterday|today|tonight|"
    r"(?:last|this)\s+(?:week|month|year|morning|night)|earlier(?:\s+this\s+(?:week|month|year))?|"
    r"in\s+an?\s+(?:statement|interview|release|news\s+release|email|e-mail|letter|post)))"
    r"{0,2}"  # "said in an interview on Thursday"
)
_NOT_A_CLAUSE = (
    r"(?:nothing|so|goodbye|hello|yes|no|thanks|sorry|would|will|was|were|is|are|has|had|have|"
    r"could|should|may|might|can|must|did|does|do|to|of|for|with|by|and|but|or|in|on|at|"
    r"during|after|before|from|as|than|when|while|which|who)\b"
)

# "X said …": any clause after "said"; tried first, and only where such a verb is
_SAID_CUE = re.compile(r"\b(?:said|says|say|told|tells)\b")
_SAID_READING = re.compile(
    rf"{_OPENING_CLAUSES}{_subject(SUBJECT_WORDS)}(?:,\s(?P<apposition>[^,]{{1,100}}),)?\s+"
    rf"(?:(?:also|once again|then|later|has|have|had|previously|repeatedly|publicly|"
    rf"recently|earlier)\s+){{0,2}}{_SAID}{_SAID_WHEN},?\s+(?:that\s+)?"
    rf"(?P<quote>(?!{_NOT_A_CLAUSE})[^\n]{{20,}})$"
)
# "X told a joint news conference with … in Brussels today (Monday) that …": a long listener
_TOLD_THAT = re.compile(
    rf"^(?:[^,]{{0,60}},\s+)?{SPEAKER}\s+(?:(?:also|once again|then)\s+)?(?:told|tells)"
    rf"(?:\s+[^\s,“”\"«»]+){{1,20}}?\s+that\s+(?P<quote>.{{20,}})$"
)
_REPORTED = [
    # "X said that …", "X alleged to CBC News that …", "X told Chinese-language media that …"
    re.compile(
        rf"^(?:[^,]{{0,60}},\s+)?{SPEAKER}\s+(?:(?:also|once again|then)\s+)?"
        rf"(?:(?:told|tells)(?:\s+[\w.’'-]+){{1,3}}?|(?:{SPEECH_VERBS}|{CLAUSE_VERBS})"
        rf"(?:\s+(?:to|on|in|at|during|after|before|last|this|earlier|late|early)\s[^,]{{1,50}}?)?)"
        rf",?\s+{_THAT}\s*(?P<quote>.{{20,}})$"
    ),
    # "According to the post, …", "According to the city's Street Needs Assessment, …"
    re.compile(r"^[Aa]ccording to\s+(?P<speaker>[^,;:“”\"«»]{2,80}?),\s+(?P<quote>.{20,})$"),
    # without "that": "X, a co-author of the report, told CTV News on Friday there is …"; the
    # subject before a speech verb is the speaker, whatever it is ("His father said he …")
    re.compile(
        rf"{_OPENING_CLAUSES}{_subject(SUBJECT_WORDS)}(?:,\s(?P<apposition>[^,]{{1,100}}),)?\s+"
        rf"(?:(?:also|once again|then|later|has|have|had|previously|repeatedly|publicly|"
        rf"recently|earlier)\s+){{0,2}}(?:{CLAUSE_VERBS})"
        rf"(?:\s+(?:reporters|him|her|them|us|me|the\s+[\w-]+|(?:[A-Z][\w.’'-]*\s?){{1,4}}))?"
        rf"(?:\s+(?:on|in|at|during|after|before|last|this|earlier|late|early)\s[^,]{{1,50}}?)?"
        rf",?\s+(?:that\s+|(?=(?:{_CLAUSE_OPENER_AFTER_SUBJECT})))(?P<quote>[^\n]{{20,}})$"
    ),
    # in a second clause: "He has denied wrongdoing, and his supporters argue he was …"
    re.compile(
        rf"^[^“”\"«»]{{10,}}?(?:,\s+(?:and|but)\s+|\s+as\s+|;\s+)(?!{_AUXILIARY}\b){_subject(4)}\s+"
        rf"(?:(?:also|have|has)\s+)?(?:{CLAUSE_VERBS})(?:\s+(?:in|on|at)\s[^,]{{1,50}}?)?,?\s+"
        rf"(?:that\s+)?(?P<quote>(?:{_CLAUSE_OPENER})[^\n]{{20,}})$"
    ),
    # "…, he said, but one person ran to the roof": what follows the attribution
    re.compile(rf"^[^“”\"«»]{{8,}}?,\s+{SPEAKER}\s+(?:{SPEECH_VERBS}),\s+(?P<quote>[^\n]{{15,}})$"),
    # "X denied the reports on Monday, saying the talks …": the subject speaks in the clause
    re.compile(
        rf"{_OPENING_CLAUSES}{_subject(SUBJECT_WORDS)}\s+[a-z]+(?:ed|s)\b[^“”\"«»]*?,\s+"
        rf"(?:{SPEECH_PARTICIPLES})\s+(?:that\s+)?(?P<quote>[^\n]{{15,}})$"
    ),
]


# The other languages (read only in their articles): any subject before the verb and "that"
# ("El ministro dijo que …", "Il presidente del Consiglio ha detto che …", "Министр заявил, что …")
_OTHER_LANGUAGES = re.compile(
    rf"{_OPENING_CLAUSES}{_subject(SUBJECT_WORDS)}\s+(?:{OTHER_LANGUAGE_VERBS})"
    rf"(?:\s+[^,]{{1,40}}?)?,?\s+{_THAT}\s*(?P<quote>.{{20,}})$"
)


def _spelled(pattern: str) -> list[str]:
    """Every text an alternation of words matches (`(?:…|…)` groups, `[sz]` classes, `\\s+`
    read as one space): the verb lists above, spelled out. Any other regular expression is
    refused, so that a list written otherwise cannot drop a verb from `_CUE_WORDS` unseen."""

    def alternatives(at: int) -> tuple[list[str], int]:
        found, current = [], [""]
        while at < len(pattern) and pattern[at] != ")":
            char = pattern[at]
            if char == "|":
                found += current
                current, at = [""], at + 1
            elif pattern.startswith("(?:", at):
                inner, at = alternatives(at + 3)
                current, at = [c + i for c in current for i in inner], at + 1
            elif char == "[":
                close = pattern.index("]", at)
                current = [c + x for c in current for x in pattern[at + 1 : close]]
                at = close + 1
            elif pattern.startswith("\\s+", at):
                current, at = [c + " " for c in current], at + 3
            elif char in "\\.?*+{}()^$":
                raise ValueError(f"cannot spell out {pattern!r} (at {at})")
            else:
                current, at = [c + char for c in current], at + 1
        return found + current, at

    spelled, at = alternatives(0)
    if at != len(pattern):
        raise ValueError(f"cannot spell out {pattern!r} (at {at})")
    return spelled


# Every pattern above needs one of these words (a verb of speech, "according"), as a word of
# its own: a sentence without any is read by none of them, at the cost of splitting it in words
# (most sentences of news report no speech).
_CUE_WORDS = frozenset(
    max(spelled.split(), key=len)  # a phrase's longest word ("a dit": "dit") stands for it
    for verbs in (_ATTRIBUTING, SPEECH_VERBS, CLAUSE_VERBS, SPEECH_PARTICIPLES, "[Aa]ccording")
    for spelled in _spelled(verbs)
)
_WORD = re.compile(r"\w+")


def reported_quotes(article: Article, start: int, end: int) -> list[Found]:
    """Reported and unmarked speech in one sentence: a statement the attribution follows
    ("…, he said") and one it opens or leads into ("he said, but …"); a clause a participle adds
    ("…, noting that …") is a statement of its own."""
    if _CUE_WORDS.isdisjoint(_WORD.findall(article.text, start, end)):
        return []
    start = dateline_end(article.text, start, end)  # "MILTON, Ont. — X says …": X speaks
    sentence = article.text[start:end]
    unmarked = next(filter(None, (p.match(sentence) for p in _UNMARKED)), None)
    reported = _SAID_READING.match(sentence) if _SAID_CUE.search(sentence) else None
    if reported is None and (" told " in sentence or " tells " in sentence):
        reported = _TOLD_THAT.match(sentence)
    reported = reported or next(filter(None, (p.match(sentence) for p in _REPORTED)), None)
    if reported is None and article.language not in (None, "en"):
        reported = _OTHER_LANGUAGES.match(sentence)
    found: list[Found] = []
    read_until = start  # the second reading only adds what comes after the first's attribution
    for match, kind in ((unmarked, "unmarked"), (reported, "reported")):
        if match is None or start + match.start("quote") < read_until:
            continue
        found += _statements(article, start, match, kind)
        read_until = start + match.end()
    return found


def _statements(article: Article, start: int, match: re.Match[str], kind: str) -> list[Found]:
    """The quote a pattern matched, with its speaker, cut at the participles that add one."""
    text = article.text
    sentence = match.string
    if len(match.group("quote").split()) < MIN_REPORTED_WORDS:
        return []
    q_start, q_end = start + match.start("quote"), start + match.end("quote")
    subject = _LEADING_CONJUNCTION.sub("", match.group("speaker").strip(" ."))
    if not subject or subject.split()[0].casefold() in _NOT_SUBJECTS:  # "And if we say that …"
        return []
    # "Trudeau's tone changed when he said …": the subject of the clause that speaks
    speaker = _trailing_name(_SUBORDINATOR.split(subject)[-1])
    apposition = (match.groupdict().get("apposition") or "").strip()
    if is_full_name(apposition) and not is_full_name(speaker):
        speaker = apposition  # "His lawyer, Zhang Dongshuo, said …": the name says who
    lead = _LEADING_NAME.match(sentence)
    if (
        lead
        and start + lead.end() <= q_start
        and not is_full_name(speaker)
        and looks_like_person(lead.group("name"), article.language)
    ):
        speaker = lead.group("name")  # "Navdeep Bains, Minister of Innovation, …, said"
    if not speaker:  # "… by those who say …"
        return []
    # "According to AFP, the minister warned …": the source passes on what she said
    passed_on = _SPEAKER_FIRST.match(text, q_start, q_end)
    if sentence.lower().startswith("according to") and passed_on:
        speaker, q_start = passed_on.group("speaker"), passed_on.end()
    parts, at = [], q_start
    for cut in _PARTICIPLE.finditer(text, q_start, q_end):
        parts.append((at, cut.start()))
        at = cut.end()
    parts.append((at, q_end))
    found = []
    for part_start, part_end in parts:
        q_text = text[part_start:part_end].rstrip(" .")
        if len(q_text.split()) >= MIN_REPORTED_WORDS:
            found.append(
                Found(article.id, part_start, part_start + len(q_text), q_text, speaker, kind)
            )
    return found


# Where a statement ends and the speaker's next begins: "…, adding that …", "…, but added
# that …", "…, and added he …" (the same speaker, a statement of its own).
_PARTICIPLE = re.compile(
    rf",\s+(?:(?:{SPEECH_PARTICIPLES}|stressing|claiming|suggesting)|(?:and|but)\s+(?:also\s+)?"
    rf"(?:added|said|noted|stressed|warned|insisted|acknowledged|admitted))\s+(?:that\s+)?"
)
_LEADING_NAME = re.compile(
    rf"^(?:(?:{'|'.join(TITLE_ABBREVIATIONS)})\.\s+)?(?P<name>{PERSON.pattern}),\s"
)
_SUBORDINATOR = re.compile(
    r"\b(?:when|as|because|while|if|after|before|since|until|although|though|that|who|which|"
    r"what)\s+"
)
_LEADING_CONJUNCTION = re.compile(r"^(?:and|but|or|so|yet|still)\s+", re.IGNORECASE)
_NOT_SUBJECTS = {  # a clause that starts so is not a report ("And if we say that …")
    *("if", "when", "because", "although", "though", "whether", "while", "unless", "what"),
    "which",
}


def _trailing_name(phrase: str) -> str:
    """ "Toronto city councillor and tenants advocate Josh Matlow" names Josh Matlow."""
    names = list(PERSON.finditer(phrase))
    last = names[-1] if names else None
    if last and last.end() == len(phrase) and len(last.group(0).split()) >= 2:
        return last.group(0)
    return phrase
