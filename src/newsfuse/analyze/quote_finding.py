"""Quotes as one article states them: direct quotes in every quote style (“ ” " " « » „ “
‘ ’), over several paragraphs and unclosed at a paragraph's end; reported speech (the clause
after a speech verb, with or without "that"); each with the mention of its speaker the sentence
around it gives ("…,” X said / X said: “…” / X: “…"). Short quoted phrases (scare quotes,
titles) are not quotes unless someone is said to have said them. Who a mention is, is
`attribution`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Article
from .speakers import NAME_WORD, PERSON

MIN_QUOTE_WORDS = 5
CONTINUATION_GAP = 40  # characters between a quote and the next one that goes on from it
SUBJECT_WORDS = 13  # "X praised the plan on Monday and said …": the subject is X
MIN_REPORTED_WORDS = 4  # "she understands their frustration"

_PAIRS = {"“": "”", "«": "»", "„": "“”", '"': '"', "‘": "’"}
_VERBS = (
    r"said|says|say|stressed|stresses|noted|notes|added|adds|told|tells|warned|warns|"
    r"declared|declares|explained|explains|emphasi[sz]ed|underlined|stated|states|insisted|"
    r"announced|announces|urged|called|argued|believes|recalled|pointed out|mentioned|"
    r"reiterated|remarked|wrote|writes|confirmed|admitted|answered|replied|responded|"
    r"responds|asked|asks|joked|jokes|continued|continues|concluded|acknowledged|"
    r"acknowledges|conceded|concedes|cautioned|cautions|suggested|suggests|observed|claimed|"
    r"claims|testified|tweeted|posted|commented|predicted|predicts|agreed|agrees|complained|"
    r"boasted|promised|promises|vowed|vows|recalls|laughed|shouted|exclaimed|whispered|"
    r"countered|counters|elaborated|assured|maintained|maintains|contended|contends|"
    r"estimated|estimates|advised|advises|quipped|quips|recounted|recounts"
)
# verbs that take a reported clause ("said the talks failed")
_CLAUSE_VERBS = (
    r"said|says|say|told|tells|added|adds|stressed|noted|notes|explained|explains|warned|warns|"
    r"claimed|claims|argued|argues|believes|confirmed|confirms|admitted|insisted|announced|"
    r"estimated|estimates|alleged|suggested|suggests|acknowledged|predicted|predicts|wrote|"
    r"writes|reported|reports|testified|maintained|maintains|contended|recalled|recalls|"
    r"announces|lamented|laments|stated|states|argue|alleges"
)
PRONOUNS = {"he", "she", "they", "him", "her"}
# Capitalised words that open a clause, not a name ("When told of it, he said: …")
_CLAUSE_WORDS = (
    r"(?:When|If|As|While|After|Before|Then|But|And|So|This|That|There|What|Why|How|Once|"
    r"Although|Though|Because|Since|Until|Where|Asked|Told)\b"
)
_SPEAKER = (
    r"(?P<speaker>(?!" + _CLAUSE_WORDS + r")(?:the\s+)?(?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.’'-]*\s+){0,5}"
    r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w’'-]+"
    r"|(?:(?:[Tt]he|[Aa]n?|[Ss]ome|[Oo]ther|[Mm]any|[Tt]wo|[Tt]hree)\s+)?(?:[\w’'-]+\s+){0,3}?"
    r"(?:secretary[- ]general|ministers?|ministry|president|premier|mayor|governor|"
    r"spokes(?:man|woman|person)|officials?|sources?|police|head|chief|director|analysts?|"
    r"experts?|lawyers?|attorneys?|witness(?:es)?|residents?|staff|agency|company|statement|"
    r"report|observers|critics|researchers|scientists|doctors|professor)"
    r"|[Hh]e|[Ss]he|[Tt]hey|him|her|them)"
)
_AFTER = [  # text right after the closing mark
    re.compile(rf"^[\s,.]*(?:{_VERBS})\s+{_SPEAKER}", re.IGNORECASE),
    re.compile(rf"^[\s,.]*{_SPEAKER}\s+(?:(?:also|once again|later|then)\s+)?(?:{_VERBS})\b"),
    # a name and who they are: "…,” Guenther Schuh, e.GO's founder, said inside his factory.
    re.compile(
        rf"^[\s,.]*(?P<speaker>{PERSON.pattern}),\s[^!?“”\"«»\n]{{1,120}}?,\s+"
        rf"(?:(?:also|once again|later|then)\s+)?(?:{_VERBS})\b"
    ),
    # a role in front of the name: "…,” University of Toronto historian Jane Doe said.
    re.compile(
        rf"^[\s,.]*[^.!?“”\"«»\n]{{0,100}}?\s(?P<speaker>{NAME_WORD}(?:\s{NAME_WORD}){{1,2}})"
        rf"\s+(?:(?:also|once again|later|then)\s+)?(?:{_VERBS})\b"
    ),
]
_BEFORE = [  # text of the sentence before the opening mark
    re.compile(
        rf"{_SPEAKER}\s+(?:(?:also|once again|then)\s+)?(?:{_VERBS})\b[^“”\"«»]{{0,120}}[:,]\s*$"
    ),
    re.compile(rf"{_SPEAKER}\s*:\s*$"),
]
_SPEAKER_FIRST = re.compile(
    rf"{_SPEAKER}\s+(?:(?:also|once again|then)\s+)?(?:{_VERBS})\s+(?:that\s+)?"
)
SPEECH_AFTER = re.compile(rf"\s+(?:[\w’'-]+\s+){{0,2}}(?:{_VERBS})\b")
_STARTS_WITH_VERB = re.compile(rf"^(?:{_VERBS})\b")
_NAME_JUST_BEFORE = re.compile(rf"{_SPEAKER}\s*$")
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
_AUXILIARY = r"(?:is|are|was|were|has|have|had|will|would|can|could|does|do|did|should|may|might)"
# Verbs that attribute the statement before them ("…, she said"), not verbs of opinion
_ATTRIBUTING = (
    r"said|says|say|told|tells|added|adds|stressed|noted|notes|explained|explains|warned|warns|"
    r"claimed|claims|argued|argues|confirmed|confirms|admitted|insisted|insists|announced|"
    r"acknowledged|wrote|writes|reported|reports|testified|recalled|recalls|stated|states|"
    r"continued|continues|concluded|cautioned|alleged|alleges"
)
_UNMARKED = [
    re.compile(
        rf"^(?P<quote>[^“”\"«»]{{20,}}?),\s+{_SPEAKER_PHRASE}\s+(?:(?:also|once again)\s+)?"
        rf"(?:{_ATTRIBUTING}){_WHEN}(?:[.!]?\s*$|,\s)"
    ),
    # "…, according to a person familiar with the talks."
    re.compile(
        r"^(?P<quote>[^“”\"«»]{20,}?),\s+according\s+to\s+"
        r"(?P<speaker>[^,;:“”\"«»]{2,80}?)(?:[.!]?\s*$|,\s)"
    ),
    # inverted ("…, said police Chief Joseph Boinnet"): a name of up to six words, not a clause
    # ("Marie Howell, the council's president, says the school has issues" is the other way)
    re.compile(
        rf"^(?P<quote>[^“”\"«»]{{20,}}?),\s+(?:{_ATTRIBUTING})\s+"
        rf"(?P<speaker>(?:he|she|they)|(?!{_PRONOUN}\b)(?!(?:[\w’'.-]+\s+){{0,5}}?{_AUXILIARY}\b)"
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
_SPEECH_PARTICIPLES = r"saying|noting|adding|arguing|warning|insisting|explaining"

# "said" and "told X" take a clause: whatever follows is what was said, unless it is a word
# no reported clause starts with ("said nothing", "said would cost", "said in an interview").
_SAID = (
    r"(?:said|says|say|told\s+(?P<told>reporters|him|her|them|us|me|the\s+[\w-]+(?:\s+[\w-]+)?"
    r"|(?:[A-Z][\w.’'-]*\s?){1,4}))"
)
_SAID_WHEN = (
    r"(?:\s+(?:(?:on\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"(?:\s+(?:morning|afternoon|evening|night))?|yesterday|today|tonight|"
    r"(?:last|this)\s+(?:week|month|year|morning|night)|earlier(?:\s+this\s+(?:week|month|year))?|"
    r"in\s+an?\s+(?:statement|interview|release|news\s+release|email|e-mail|letter|post)))?"
)
_NOT_A_CLAUSE = (
    r"(?:nothing|so|goodbye|hello|yes|no|thanks|sorry|would|will|was|were|is|are|has|had|have|"
    r"could|should|may|might|can|must|did|does|do|to|of|for|with|by|and|but|or|in|on|at|"
    r"during|after|before|from|as|than|when|while|which|who)\b"
)

_REPORTED = [
    re.compile(
        rf"{_OPENING_CLAUSES}{_subject(SUBJECT_WORDS)}(?:,\s(?P<apposition>[^,]{{1,100}}),)?\s+"
        rf"(?:(?:also|once again|then|later|has|have|had|previously|repeatedly|publicly|"
        rf"recently|earlier)\s+){{0,2}}{_SAID}{_SAID_WHEN},?\s+(?:that\s+)?"
        rf"(?P<quote>(?!{_NOT_A_CLAUSE})[^“”\"«»]{{20,}})$"
    ),
    re.compile(
        rf"^(?:[^,]{{0,60}},\s+)?{_SPEAKER}\s+(?:(?:also|once again|then)\s+)?(?:{_VERBS})"
        rf"\s+that\s+(?P<quote>.{{20,}})$"
    ),
    re.compile(rf"^[Aa]ccording to\s+{_SPEAKER},\s+(?P<quote>.{{20,}})$"),
    # without "that": "X, a co-author of the report, told CTV News on Friday there is …"; the
    # subject before a speech verb is the speaker, whatever it is ("His father said he …")
    re.compile(
        rf"{_OPENING_CLAUSES}{_subject(SUBJECT_WORDS)}(?:,\s(?P<apposition>[^,]{{1,100}}),)?\s+"
        rf"(?:(?:also|once again|then|later|has|have|had|previously|repeatedly|publicly|"
        rf"recently|earlier)\s+){{0,2}}(?:{_CLAUSE_VERBS})"
        rf"(?:\s+(?:reporters|him|her|them|us|me|the\s+[\w-]+|(?:[A-Z][\w.’'-]*\s?){{1,4}}))?"
        rf"(?:\s+(?:on|in|at|during|after|before|last|this|earlier|late|early)\s[^,]{{1,50}}?)?"
        rf",?\s+(?:that\s+)?(?P<quote>(?:{_CLAUSE_OPENER_AFTER_SUBJECT})[^“”\"«»]{{20,}})$"
    ),
    # in a second clause: "He has denied wrongdoing, and his supporters argue he was …"
    re.compile(
        rf"^[^“”\"«»]{{10,}}?(?:,\s+(?:and|but)\s+|\s+as\s+|;\s+){_subject(4)}\s+"
        rf"(?:(?:also|have|has)\s+)?(?:{_CLAUSE_VERBS})(?:\s+(?:in|on|at)\s[^,]{{1,50}}?)?,?\s+"
        rf"(?:that\s+)?(?P<quote>(?:{_CLAUSE_OPENER})[^“”\"«»]{{20,}})$"
    ),
    # "…, he said, but one person ran to the roof": what follows the attribution
    re.compile(rf"^[^“”\"«»]{{8,}}?,\s+{_SPEAKER}\s+(?:{_VERBS}),\s+(?P<quote>[^“”\"«»]{{15,}})$"),
    # "X denied the reports on Monday, saying the talks …": the subject speaks in the clause
    re.compile(
        rf"{_OPENING_CLAUSES}{_subject(SUBJECT_WORDS)}\s+[a-z]+(?:ed|s)\b[^“”\"«»]*?,\s+"
        rf"(?:{_SPEECH_PARTICIPLES})\s+(?:that\s+)?(?P<quote>[^“”\"«»]{{15,}})$"
    ),
]


@dataclass
class Found:
    article_id: str
    start: int
    end: int
    text: str
    mention: str | None
    kind: str


_OPENERS = re.compile("[" + re.escape("".join(_PAIRS)) + "]")
_CLOSERS = {
    opener: re.compile("[" + re.escape(closers) + "]") for opener, closers in _PAIRS.items()
}


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of each quotation, paragraph-aware; unclosed quotes run to the
    end of their paragraph, and a quote continued in the next paragraph is joined to it."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while (opener := _OPENERS.search(text, i)) is not None:
        i = opener.start()
        ch = text[i]
        opening_ok = i == 0 or not text[i - 1].isalnum()
        if ch == "‘" and (i + 1 >= n or not text[i + 1].isalpha()):
            opening_ok = False
        if not opening_ok:
            i += 1
            continue
        paragraph_end = text.find("\n\n", i)
        paragraph_end = n if paragraph_end < 0 else paragraph_end
        closer = None
        j = i + 1
        while (mark := _CLOSERS[ch].search(text, j, paragraph_end)) is not None:
            j = mark.start()
            if j + 1 >= n or not text[j + 1].isalnum():
                closer = j
                break
            j += 1
        if closer is not None:
            spans.append((i + 1, closer))
            i = closer + 1
            continue
        # unclosed: does the next paragraph go on with an opening mark?
        nxt = paragraph_end + 2
        if nxt < n and text[nxt] == ch:
            spans.append((i + 1, paragraph_end))
            i = nxt
            continue
        spans.append((i + 1, paragraph_end))
        i = paragraph_end
    return spans


def _mention(match: re.Match[str] | None) -> str | None:
    return match.group("speaker") if match else None


_APPOSED_NAME = re.compile(rf",\s+(?P<name>{PERSON.pattern})\s*(?:[,.;]|$)")


def _named_after(match: re.Match[str] | None) -> str | None:
    """The speaker after a quote, or the name set beside it ("…,” says Campbell’s partner,
    Jason Louth.")."""
    if match is None:
        return None
    named = _APPOSED_NAME.match(match.string, match.end())
    speaker = match.group("speaker")
    return named.group("name") if named and not PERSON.fullmatch(speaker) else speaker


def find_quotes(article: Article) -> list[Found]:
    """Every quote in one article, with the speaker as written (resolved later)."""
    text = article.text
    found: list[Found] = []
    covered: list[tuple[int, int]] = []
    for start, end in _quote_spans(text):
        inner = text[start:end].strip(" ,.")
        words = len(inner.split())
        if not words:
            continue
        after = text[end + 1 : end + 200].split("\n", 1)[0]
        before = re.split(r"[.!?]\s|\n", text[max(0, start - 250) : max(0, start - 1)])[-1]
        mention = None
        for pattern in _AFTER:
            mention = mention or _named_after(pattern.search(after))
        for pattern in _BEFORE:
            mention = mention or _mention(pattern.search(before))
        if mention is None and _STARTS_WITH_VERB.match(inner):
            mention = _mention(_NAME_JUST_BEFORE.search(before))  # Sherman “stressed …”
        # a short quotation is a quote only when someone is said to have said it ("“One!”
        # says X") or when it goes on from a quote just before ("…,” X said. “It got worse.”);
        # else it is a scare quote, a title, a term
        goes_on = bool(covered) and 0 <= start - covered[-1][1] <= CONTINUATION_GAP
        if words < MIN_QUOTE_WORDS and mention is None and not (goes_on and words >= 3):
            continue
        found.append(Found(article.id, start, end, text[start:end], mention, "direct"))
        covered.append((start - 1, end + 1))
    for span in article.sentences:
        if not any(a < span.end and span.start < b for a, b in covered):
            found += _reported_quotes(article, span.start, span.end)
    found.sort(key=lambda f: f.start)
    return found


def _reported_quotes(article: Article, start: int, end: int) -> list[Found]:
    """Reported and unmarked speech in one sentence: a statement the attribution follows
    ("…, he said") and one it opens or leads into ("he said, but …"); a clause a participle adds
    ("…, noting that …") is a statement of its own."""
    sentence = article.text[start:end]
    unmarked = next(filter(None, (p.match(sentence) for p in _UNMARKED)), None)
    reported = next(filter(None, (p.match(sentence) for p in _REPORTED)), None)
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
    speaker = _trailing_name(_LEADING_CONJUNCTION.sub("", match.group("speaker").strip(" .")))
    apposition = (match.groupdict().get("apposition") or "").strip()
    if PERSON.fullmatch(apposition) and not PERSON.fullmatch(speaker):
        speaker = apposition  # "His lawyer, Zhang Dongshuo, said …": the name says who
    if not speaker or speaker.split()[0].casefold() in _NOT_SUBJECTS:  # "And if we say that …"
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


_PARTICIPLE = re.compile(
    rf",\s+(?:{_SPEECH_PARTICIPLES}|stressing|claiming|suggesting)\s+(?:that\s+)?"
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
