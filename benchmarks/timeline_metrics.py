"""Timeline summary measures as in tilse (Martschat & Markert, EACL 2017) and news-tls
(Gholipour Ghalandari & Ifrim, ACL 2020), written from the papers and tilse's description:

- Date-F1: precision and recall of the predicted days against the reference's days.
- Alignment ROUGE, "align+ m:1" (tilse's align_date_content_costs_many_to_one): each predicted
  day is matched to the reference day of least cost, cost = (1 - 1/(|days apart| + 1)) *
  (1 - approximate ROUGE-1 F of the two days' sentences); many predicted days may share one
  reference day. The ROUGE-n counts of each matched pair are weighted by 1/(|days apart| + 1);
  an unmatched day counts with no overlap. Precision over the predicted days' n-grams, recall
  (the same matching, run from the reference days) over the reference's.

ROUGE counts follow tilse's reimplementation: lower-cased tokens, Porter stems, stop words and
punctuation dropped (the stop list is scikit-learn's English list where tilse reads ROUGE's
SMART list, so absolute values can differ slightly from published ones).

pyrouge (the Perl script) and tilse itself do not install here (tilse needs spaCy, textacy,
numba and pyrouge), hence this implementation, checked on hand-made cases in tests.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Sequence
from datetime import date

import Stemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

Timeline = dict[date, list[str]]  # day -> its sentences

_STEMMER = Stemmer.Stemmer("porter")
_IGNORED = set(ENGLISH_STOP_WORDS) | set(string.punctuation) | {"``", "''", "--", "'s"}


def _tokens(sentences: Sequence[str]) -> list[str]:
    words = [w.lower() for s in sentences for w in s.split()]
    return [_STEMMER.stemWord(w) for w in words if w not in _IGNORED]


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_counts(
    predicted: Sequence[str], reference: Sequence[str], n: int
) -> tuple[int, int, int]:
    """(overlap, predicted n-grams, reference n-grams)."""
    mine, theirs = _ngrams(_tokens(predicted), n), _ngrams(_tokens(reference), n)
    return sum((mine & theirs).values()), sum(mine.values()), sum(theirs.values())


def _approximate_rouge1(predicted: Sequence[str], reference: Sequence[str]) -> float:
    """tilse's content cost: unigram F1 on raw tokens without punctuation."""
    mine = Counter(w for s in predicted for w in s.split() if w not in string.punctuation)
    theirs = Counter(w for s in reference for w in s.split() if w not in string.punctuation)
    overlap = sum((mine & theirs).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(mine.values()), overlap / sum(theirs.values())
    return 2 * p * r / (p + r)


def _closeness(a: date, b: date) -> float:
    return 1.0 / (abs(a.toordinal() - b.toordinal()) + 1)


def _match(source: Timeline, target: Timeline, source_is_predicted: bool) -> dict[date, date]:
    """Each source day's least-cost target day (many to one)."""
    matches: dict[date, date] = {}
    for day, sentences in source.items():
        best, best_cost = None, float("inf")
        for other, other_sentences in sorted(target.items()):
            predicted, reference = (
                (sentences, other_sentences)
                if source_is_predicted
                else (other_sentences, sentences)
            )
            cost = (1 - _closeness(day, other)) * (1 - _approximate_rouge1(predicted, reference))
            if cost < best_cost:
                best, best_cost = other, cost
        if best is not None:
            matches[day] = best
    return matches


def _aligned_share(source: Timeline, target: Timeline, n: int, source_is_predicted: bool) -> float:
    """Share of the source's n-grams found on the matched target days, each match weighted by
    how close its days are: precision when the source is the prediction, recall when it is the
    reference."""
    matches = _match(source, target, source_is_predicted)
    found = total = 0.0
    for day, sentences in source.items():
        total += sum(_ngrams(_tokens(sentences), n).values())
        if day in matches:
            other = target[matches[day]]
            pair = (sentences, other) if source_is_predicted else (other, sentences)
            found += _closeness(day, matches[day]) * rouge_counts(*pair, n)[0]
    return found / total if total else 0.0


def alignment_rouge(predicted: Timeline, reference: Timeline, n: int) -> dict[str, float]:
    """align+ m:1 ROUGE-n precision, recall and F1."""
    precision = _aligned_share(predicted, reference, n, True)
    recall = _aligned_share(reference, predicted, n, False)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def date_f1(predicted: Timeline, reference: Timeline) -> float:
    shared = len(set(predicted) & set(reference))
    if not shared:
        return 0.0
    p, r = shared / len(predicted), shared / len(reference)
    return 2 * p * r / (p + r)
