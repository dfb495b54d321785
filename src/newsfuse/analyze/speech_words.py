"""The words of speech shared by direct and reported quotes: speech verbs, the phrases that
name a speaker, and what a found quote is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .speakers import POSSESSIVE

MIN_REPORTED_WORDS = 4  # "she understands their frustration"


@dataclass
class Found:
    """A quote as one article states it, with its speaker as written (resolved later)."""

    article_id: str
    start: int
    end: int
    text: str
    mention: str | None
    kind: str


# Speech verbs of the other languages the project reads (Spanish, French, German, Italian,
# Dutch, Russian), past and present, with the auxiliary where the past needs one: "dijo",
# "a déclaré", "sagte", "ha detto", "zei", "заявил".
OTHER_LANGUAGE_VERBS = (
    r"dijo|dice|afirmó|afirma|aseguró|asegura|declaró|declara|explicó|explica|señaló|señala|"
    r"añadió|añade|indicó|indica|subrayó|advirtió|advierte|manifestó|sostuvo|sostiene|"
    r"a\s+(?:dit|déclaré|affirmé|expliqué|ajouté|souligné|indiqué|estimé|assuré|averti|"
    r"annoncé|précisé)|déclare|affirme|explique|ajoute|souligne|indique|estime|assure|précise|"
    r"sagte|sagt|erklärte|erklärt|betonte|betont|warnte|warnt|meinte|meint|fügte\s+hinzu|"
    r"teilte\s+mit|hat\s+gesagt|hat\s+erklärt|"
    r"ha\s+(?:detto|dichiarato|affermato|spiegato|aggiunto|sottolineato|annunciato)|"
    r"dice|afferma|dichiara|spiega|aggiunge|sottolinea|"
    r"zei|zegt|verklaarde|verklaart|stelde|stelt|benadrukte|benadrukt|liet\s+weten|"
    r"heeft\s+gezegd|"
    r"сказал|сказала|сказали|заявил|заявила|заявили|отметил|отметила|подчеркнул|подчеркнула|"
    r"сообщил|сообщила|сообщили|пояснил|пояснила|говорит|считает|добавил|добавила"
)
# verbs that attribute a quote ("…,” she said)
SPEECH_VERBS = (
    r"said|says|say|stressed|stresses|noted|notes|added|adds|told|tells|warned|warns|"
    r"declared|declares|explained|explains|emphasi[sz]ed|underlined|stated|states|insisted|"
    r"announced|announces|urged|called|argued|believes|recalled|pointed out|mentioned|"
    r"reiterated|remarked|wrote|writes|confirmed|admitted|answered|replied|responded|"
    r"responds|asked|asks|joked|jokes|continued|continues|concluded|acknowledged|"
    r"acknowledges|conceded|concedes|cautioned|cautions|suggested|suggests|observed|claimed|"
    r"claims|testified|tweeted|posted|commented|predicted|predicts|agreed|agrees|complained|"
    r"boasted|promised|promises|vowed|vows|recalls|laughed|shouted|exclaimed|whispered|"
    r"countered|counters|elaborated|assured|maintained|maintains|contended|contends|"
    r"estimated|estimates|advised|advises|quipped|quips|recounted|recounts|" + OTHER_LANGUAGE_VERBS
)
# verbs that take a reported clause ("said the talks failed")
CLAUSE_VERBS = (
    r"said|says|say|told|tells|added|adds|stressed|noted|notes|explained|explains|warned|warns|"
    r"claimed|claims|argued|argues|believes|confirmed|confirms|admitted|insisted|announced|"
    r"estimated|estimates|alleged|suggested|suggests|acknowledged|predicted|predicts|wrote|"
    r"writes|reported|reports|testified|maintained|maintains|contended|recalled|recalls|"
    r"announces|lamented|laments|stated|states|argue|alleges|" + OTHER_LANGUAGE_VERBS
)
PRONOUNS = {"he", "she", "they", "him", "her"}
# Capitalised words that open a clause, not a name ("When told of it, he said: …")
CLAUSE_WORDS = (
    r"(?:When|If|As|While|After|Before|Then|But|And|So|This|That|There|What|Why|How|Once|"
    r"Although|Though|Because|Since|Until|Where|Asked|Told)\b"
)
SPEAKER = (
    r"(?!" + CLAUSE_WORDS + r")(?P<speaker>(?:the\s+)?(?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.’'-]*\s+){0,5}"
    r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w’'-]+"
    # where the person is from: "Jingyi Pan of IG", "Jane Doe of the University of Toronto"
    r"(?:\s+of\s+(?:the\s+)?[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.&’'-]*(?:\s+(?:of\s+)?[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.&’'-]*){0,3})?"
    r"|(?:(?:[Tt]he|[Aa]n?|[Ss]ome|[Oo]ther|[Mm]any|[Tt]wo|[Tt]hree)\s+)?(?:[\w’'-]+\s+){0,3}?"
    r"(?:secretary[- ]general|ministers?|ministry|president|premier|mayor|governor|"
    r"spokes(?:man|woman|person)|officials?|sources?|police|head|chief|director|analysts?|"
    r"experts?|lawyers?|attorneys?|witness(?:es)?|residents?|staff|agency|company|statement|"
    r"report|observers|critics|researchers|scientists|doctors|professor)"
    r"|[Hh]e|[Ss]he|[Tt]hey|him|her|them)"
)
SPEECH_PARTICIPLES = r"saying|noting|adding|arguing|warning|insisting|explaining"
SPEECH_AFTER = re.compile(rf"\s+(?:[\w’'-]+\s+){{0,2}}(?:{SPEECH_VERBS})\b")


FULL_NAME_WORDS = 5  # "Syed Danial Syed Ahmad"


def is_full_name(phrase: str) -> bool:
    """Two to five capitalised words ("Jon Tester", "Syed Danial Syed Ahmad"): a person's whole
    name, where "D-Calif" or "Montana Sen" is one word or ends in an abbreviation."""
    words = phrase.split()
    return 2 <= len(words) <= FULL_NAME_WORDS and all(
        w[0].isupper()
        and w.replace("-", "").replace("'", "").replace("’", "").isalpha()
        and not POSSESSIVE.search(w)  # "the Ruler's Seal" is not a name
        for w in words
    )
