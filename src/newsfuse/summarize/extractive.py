"""Extractive summary: the story's best-supported, most central claims, without repeats.

Each claim is worded by its most central sentence (in the story's language, naming its subject)
and scored by independent support, centrality (similarity to the whole story), how early the
outlets state it, and how much its article shares with the rest of the story (a crawl notice
or a sidebar page shares little); sentences that speak to the reader (sign-up forms, error
pages) and page chrome (photo captions, video widgets, related links) are pushed down, and a
line that ends in no stop (a headline, a caption, a line the page cut off) is not chosen. MMR
removes redundancy, and a sentence that restates one already chosen is not chosen. A sentence
that leans on the one before it ("However, he …", "On Monday, she …") is chosen only after
that one, and placed right behind it. Words the choice leaves unused go to a longer sentence
that scores nearly as well (the budget is a target). The summary reads in the order of what
happened, then of how early the outlets tell it (leads before details), within a word budget.
Each sentence cites every supporting article, not only the one whose wording was chosen, and
leaves out the dateline of the article it was taken from ("WASHINGTON (AP) — ").
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from ..analyze.datelines import dateline_end
from ..analyze.seeds import dot
from ..analyze.statements import sentence_refs
from ..analyze.timeline import article_mentions, iso
from ..calendar_words import MONTHS
from ..index import summed, unit_vector
from ..model import Article, Citation, Claim, SummarySentence

# Weights of a claim's features (each about 0..1; support is log(1 + outlets)), set on half of
# multinews-val and checked on the other half (benchmarks/summarize.py).
WEIGHTS = {
    "support": 1.0,
    "centrality": 1.0,
    "position": 0.5,
    "relevance": 1.0,
    "dangling": -0.5,
    "reader": -1.0,
    "chrome": -1.0,
}
MMR_LAMBDA = 0.7
# A candidate this close (cosine of term vectors) to a sentence already chosen says the same
# thing in other words ("X said in a statement" beside "he said in a statement"): MMR's penalty
# alone lets a strong duplicate through, so it is not chosen at all
RESTATES = 0.5
MAX_POOL = 200  # claims considered, best first: MMR is quadratic in them
# The budget is a target as well as a ceiling: words the greedy choice leaves unused go to a
# longer sentence scored at most this much below the one it replaces (a fifth of the position
# weight), so the reader gets more of the story in the same space
FILL_LOSS = 0.1
MIN_WORDS = 8
MAX_WORDS = 45
_DANGLING = re.compile(
    r"^\W*(?:he|she|it|they|this|that|these|those|his|her|their|its|however|but|and|also|"
    r"meanwhile|moreover|therefore|thus|still|yet|so|then|in addition|at the same time|"
    r"according to (?:him|her|them)|on the other hand|conversely|earlier|later|"
    r"er|sie|es|il|elle|ils|elles|él|ella|ellos|он|она|они|это|однако|но)\b"
    # "X also said …", "The minister, too, …": more of what an earlier sentence said
    r"|^(?:\W*+\w++){1,5}?(?: (?:also|auch|aussi|también|anche|также)\b|, too,)"
    # "On Monday, he said …", "Sure, she …": a pronoun as the subject after an opening phrase
    r"|^(?:\W*+\w++){1,4}?, "
    r"(?:he|she|it|they|er|sie|il|elle|ils|elles|él|ella|ellos|он|она|они)\b",
    re.IGNORECASE,
)
# A sentence that speaks to the reader outside quotation marks is service text (sign-up forms,
# "you can add location information to your Tweets", error pages), not what the story says.
_QUOTE_SPAN = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|„[^“”]*[“”]")
_READER = re.compile(
    r"\b(?:you|your|yours|yourself|dich|dein\w*|vous|votre|vos|tu|tes|usted|ustedes|"
    r"vosotros|vuestr\w+|voi|vostr\w+|jij|jouw|uw)\b",
    re.IGNORECASE,
)
# Page chrome that reached the text: photo captions and credits ("FILE - In this May 24, 2016,
# file photo, …", "In this June 21, 2018, photo, …", "| Mark Wilson/Getty Images", a caption
# that ends in its place and full date: "… at a hotel in Kathmandu, Nepal May 30, 2016.", "… in
# Rome, Friday, Oct. 14, 2011."; a sentence has a word such as "on" or "signed" before its
# date), video and gallery widgets ("CLOSE …", "Skip … Embed … Share", "Hide Caption 1 of 6
# Photos: …"), related-story links ("Related …", a bracketed headline), calls to act ("click
# here", "follow us on …", "Email This") and the separator lines of embedded posts ("#RIP
# ----------").
# a month as captions write it: in full, or in AP's abbreviations (March to July never are)
_MONTH = (
    "(?:"
    + "|".join(month.capitalize() for month in MONTHS)
    + r"|(?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)"
)
_CHROME = re.compile(
    r"^\W*(?:FILE|CLOSE|Related|RELATED|Photo|PHOTO|Image|IMAGE)\b"
    r"|\bfile (?:photo|image)\b|\((?:AP )?Photo\b|\bGetty Images\b|\bAP Photo\b"
    r"|\bPhoto(?:s|graph)?: |\bImage (?:copyright|caption)\b|\bSkip\b.*\bEmbed\b|^\[.*\]$"
    r"|^\W*In this (?:\w+\.? )?\d{1,2}, \d{4},? (?:file )?(?:photo|image)\b|\bEmail This\b"
    rf"|(?:,|\b[A-Z][\w.]*)\s{_MONTH}\s\d{{1,2}},\s\d{{4}}\.[\"”’)]*$"
    r"|(?i:\bclick here\b|\bfollow us (?:on|at)\b|\bhide caption\b"
    r"|\b\d+ of \d+ (?:photos|images)\b)|-{4,}|_{4,}|={4,}"
)

# A sentence ends in a stop (in any script), perhaps inside closing quotes or brackets and
# before reference marks ("[4]"); a line without one is a headline, a caption, an embedded
# post's credit, a list item or a lead-in (":"), or a sentence the page cut off. An ellipsis is
# no stop: a line ending in one is a teaser or a caption cut short ("… in JFK, Newar...").
_SENTENCE_END = re.compile(r"(?<!\.\.)[.!?。！？؟।][\"'”’»)\]]*(?:\[\d+\])*\s*$")


@dataclass
class Candidate:
    citations: list[Citation]  # the sentence of every article that states the claim
    citation: Citation
    text: str
    vector: dict[str, float]
    score: float
    when: str
    features: dict[str, float]
    antecedent: tuple[str, int] | None  # the sentence before, for one that leans on it


def _whole_sentences(citations: list[Citation], articles: dict[str, Article]) -> list[Citation]:
    """Claims are aligned by statement (a quoted passage holds several); the summary quotes the
    whole sentence, so that what was said inside quotation marks stays so, with its speaker."""
    found: dict[tuple[str, int], Citation] = {}
    for citation in citations:
        spans = articles[citation.article_id].sentences
        at = bisect_right(spans, citation.start, key=lambda span: span.start) - 1
        span = spans[at] if at >= 0 and spans[at].end >= citation.end else None
        whole = (
            Citation(article_id=citation.article_id, start=span.start, end=span.end)
            if span is not None
            else citation
        )
        found.setdefault((whole.article_id, whole.start), whole)
    return list(found.values())


def _wording(
    citations: list[Citation],
    articles: dict[str, Article],
    language: str | None,
    centrality: Callable[[Citation], float],
) -> tuple[Citation, str]:
    """The claim's best sentence: in the summary language, naming its subject, of fair length."""

    def badness(citation: Citation) -> tuple[int, int, int, int, float]:
        article = articles[citation.article_id]
        text = article.text[citation.start : citation.end]
        n = len(text.split())
        return (
            int(language is not None and article.language != language),
            int(not _SENTENCE_END.search(text)),
            int(bool(_DANGLING.match(text))),
            int(n < MIN_WORDS or n > MAX_WORDS),
            -centrality(citation),
        )

    best = min(citations, key=lambda c: (badness(c), c.article_id, c.start))
    article = articles[best.article_id]
    return best, article.text[best.start : best.end]


def _article_relevance(vectors: dict[tuple[str, int], dict[str, float]]) -> dict[str, float]:
    """Each article's cosine with the rest of the story: a page that shares little with the
    others (a crawl notice, a sidebar article) is not where the story is told."""
    by_article: dict[str, list[dict[str, float]]] = {}
    for (article_id, _), vector in vectors.items():
        by_article.setdefault(article_id, []).append(vector)
    units = {a: unit_vector(summed(vs)) for a, vs in by_article.items()}
    story = summed(units.values())
    if len(units) < 2:
        return dict.fromkeys(units, 1.0)
    story_norm2 = sum(w * w for w in story.values())
    relevance = {}
    for article_id, unit in units.items():
        # cosine with (story - unit), without building it: |unit| = 1
        along = dot(unit, story)
        rest_norm2 = story_norm2 - 2 * along + 1.0
        relevance[article_id] = (along - 1.0) / math.sqrt(rest_norm2) if rest_norm2 > 1e-12 else 0.0
    return relevance


def summary_language(articles: Sequence[Article]) -> str | None:
    """The story's language, or the majority language of a mixed story."""
    counts = Counter(a.language for a in articles if a.language)
    return min(counts, key=lambda lang: (-counts[lang], lang)) if counts else None


def summary_candidates(articles: Sequence[Article], claims: Sequence[Claim]) -> list[Candidate]:
    """Each claim of fair length in its best wording, with the features that score it."""
    by_id = {a.id: a for a in articles}
    language = summary_language(articles)
    vectors: dict[tuple[str, int], dict[str, float]] = {}
    positions: dict[tuple[str, int], int] = {}
    dates: dict[tuple[str, int], str] = {}
    published: dict[str, str] = {}  # each article's day, "9999" when it has none
    previous: dict[tuple[str, int], tuple[str, int]] = {}
    opening: set[tuple[str, int]] = set()  # each article's first two sentences
    for article in articles:
        spans = article.sentences
        opening.update((article.id, span.start) for span in spans[:2])
        for before, after in pairwise(spans):
            previous[(article.id, after.start)] = (article.id, before.start)
        for index, ref in enumerate(sentence_refs(article)):
            vectors[(article.id, ref.start)] = ref.vector
            positions[(article.id, ref.start)] = index
        published[article.id] = (
            article.published_at.date().isoformat() if article.published_at else "9999"
        )
        for start, _, mentions in article_mentions(article):
            days = [iso(m.value, m.precision) for m in mentions if m.precision == "day"]
            dates[(article.id, start)] = days[0] if days else published[article.id]
    centroid = unit_vector(summed(vectors.values()))
    relevance = _article_relevance(vectors)
    candidates = []
    for claim in claims:
        citations = _whole_sentences(claim.citations, by_id)
        citation, text = _wording(
            citations,
            by_id,
            language,
            lambda c: dot(vectors.get((c.article_id, c.start), {}), centroid),
        )
        key = (citation.article_id, citation.start)
        vector = vectors.get(key, {})
        whole, text = text, text[dateline_end(text, opens=key in opening) :]
        n = len(text.split())
        if n < MIN_WORDS or text.endswith("?"):
            continue
        first = min(positions.get((c.article_id, c.start), 99) for c in citations)
        features = {
            "support": math.log1p(claim.independent_outlets),
            "centrality": dot(vector, centroid),
            "position": 1.0 / (1.0 + first),
            "relevance": max(relevance.get(c.article_id, 0.0) for c in citations),
            "dangling": float(bool(_DANGLING.match(text))),
            "reader": float(bool(_READER.search(_QUOTE_SPAN.sub(" ", text)))),
            "chrome": float(bool(_CHROME.search(whole))),
        }
        score = sum(WEIGHTS[name] * value for name, value in features.items())
        candidates.append(
            Candidate(
                citations,
                citation,
                text,
                vector,
                score,
                dates.get(key, published[citation.article_id]),
                features,
                previous.get(key) if features["dangling"] else None,
            )
        )
    return candidates


def _keys(candidate: Candidate) -> set[tuple[str, int]]:
    """The sentences that state the candidate's claim, by (article, start)."""
    return {(c.article_id, c.start) for c in candidate.citations}


def _may_join(candidate: Candidate, said: set[tuple[str, int]]) -> bool:
    """Whether the candidate may join a summary that states `said`: its own sentence is not
    stated yet, and the sentence it leans on ("He said …"), if any, is."""
    own = (candidate.citation.article_id, candidate.citation.start)
    return own not in said and (candidate.antecedent is None or candidate.antecedent in said)


def extractive_summary(
    articles: Sequence[Article], claims: Sequence[Claim], word_budget: int
) -> list[SummarySentence]:
    if not claims or word_budget <= 0:
        return []
    candidates = summary_candidates(articles, claims)
    # headlines, captions and cut-off lines are not the story's sentences; a text that mostly
    # ends its sentences without a stop (a script that writes none) keeps them all
    finished = [c for c in candidates if _SENTENCE_END.search(c.text)]
    if 2 * len(finished) >= len(candidates):
        candidates = finished
    # a sentence longer than the whole budget (a quoted passage the splitter keeps whole) would
    # be the summary alone: only when nothing else fits
    fitting = [c for c in candidates if len(c.text.split()) <= word_budget] or candidates
    pool = sorted(fitting, key=lambda c: (-c.score, c.text))[:MAX_POOL]
    chosen: list[Candidate] = []
    said: set[tuple[str, int]] = set()  # sentences the summary already states
    words = 0
    # each candidate's highest similarity to the sentences chosen so far, kept up to date
    redundancy = dict.fromkeys(range(len(pool)), 0.0)
    while redundancy:
        # a sentence that leans on the one before it ("He said …") waits for that one
        eligible = [j for j in redundancy if redundancy[j] < RESTATES and _may_join(pool[j], said)]
        if not eligible:
            break
        i = max(
            eligible,
            key=lambda j: (
                MMR_LAMBDA * pool[j].score - (1 - MMR_LAMBDA) * redundancy[j],
                pool[j].text,
            ),
        )
        del redundancy[i]
        best = pool[i]
        n = len(best.text.split())
        if words + n > word_budget and chosen:
            continue
        chosen.append(best)
        said.update(_keys(best))
        words += n
        if words >= word_budget:
            break
        for j, value in redundancy.items():
            redundancy[j] = max(value, dot(pool[j].vector, best.vector))
    _fill_budget(chosen, pool, word_budget)
    return [SummarySentence(text=c.text, citations=list(c.citations)) for c in _in_order(chosen)]


def _fill_budget(chosen: list[Candidate], pool: list[Candidate], word_budget: int) -> None:
    """While words are left unused, swap a chosen sentence for a longer one that fits them,
    scores nearly as well, and obeys the same rules beside the rest (no restatement, its
    antecedent chosen); a sentence another one leans on stays. At most as many swaps as
    sentences: a budget far above what the story holds is not worth a search."""
    words = {id(c): len(c.text.split()) for c in pool}
    for _ in range(len(chosen)):
        slack = word_budget - sum(words[id(c)] for c in chosen)
        if slack <= 0:
            return
        taken = {id(c) for c in chosen}
        # how many chosen sentences state each sentence, and lean on it
        stated = Counter(k for c in chosen for k in _keys(c))
        leaned_on = Counter(c.antecedent for c in chosen if c.antecedent is not None)
        best: tuple[tuple[int, float], int, Candidate] | None = None
        for at, current in enumerate(chosen):
            own = _keys(current)
            if any(leaned_on[k] > (current.antecedent == k) for k in own):
                continue
            # what the other chosen sentences state, with `current` swapped out
            others_state = {k for k, n in stated.items() if n > (k in own)}
            for option in pool:
                gain = words[id(option)] - words[id(current)]
                loss = current.score - option.score
                if (
                    not 0 < gain <= slack
                    or loss > FILL_LOSS
                    or id(option) in taken
                    or not _may_join(option, others_state)
                    or any(
                        dot(option.vector, c.vector) >= RESTATES for c in chosen if c is not current
                    )
                ):
                    continue
                if best is None or (-gain, loss) < best[0]:
                    best = ((-gain, loss), at, option)
        if best is None:
            return
        chosen[best[1]] = best[2]


def _in_order(chosen: list[Candidate]) -> list[Candidate]:
    """What happened first, then by how early the outlets tell it (leads before details); a
    sentence that leans on the one before it right after that one."""
    ordered = sorted(
        (c for c in chosen if c.antecedent is None),
        key=lambda c: (c.when, -c.features["position"], -c.score),
    )
    followers = [c for c in chosen if c.antecedent is not None]
    while followers:
        placed = False
        for follower in list(followers):
            at = next(
                (k for k, c in enumerate(ordered) if follower.antecedent in _keys(c)),
                None,
            )
            if at is not None:
                ordered.insert(at + 1, follower)
                followers.remove(follower)
                placed = True
        if not placed:  # cannot happen: a follower is chosen only after its antecedent
            ordered += followers
            break
    return ordered
