"""Optional abstractive summary through any OpenAI-compatible chat endpoint.

The model sees only the selected claims, numbered, and must cite them as [n] after each
sentence. Every sentence it returns is checked against the claims it cites (and, if it cites
none, against all of them): a sentence whose content words are not mostly found there is
dropped, so nothing the sources do not say reaches the reader. Never the default.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Sequence

from ..index import stem, tokens
from ..model import SummarySentence

GROUNDING = 0.6  # share of a sentence's content words that must come from its sources
_CITE = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(r"[^.!?]+[.!?]+(?:\s*(?:\[\d+\])+)?|[^.!?]+$")

PROMPT = (
    "Rewrite these numbered statements from news reports into a short, neutral summary of at "
    "most {words} words, in {language}. Use only facts stated in them. After every sentence, "
    "cite the statements it uses as [n]. Statements:\n{statements}"
)


class LLMError(RuntimeError):
    """The endpoint could not be used; the message says why."""


def _content(text: str, language: str | None) -> set[str]:
    return {stem(t, language) for t in tokens(text) if len(t) > 3 or t.isdigit()}


def _chat(base_url: str, model: str, api_key: str | None, prompt: str, timeout: float) -> str:
    body = json.dumps(
        {
            "model": model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": "You summarise news faithfully and cite sources."},
                {"role": "user", "content": prompt},
            ],
        }
    ).encode()
    request = urllib.request.Request(
        base_url.rstrip("/") + "/chat/completions",
        data=body,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {api_key}"} if api_key else {}),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = json.loads(response.read().decode("utf-8"))
        return str(data["choices"][0]["message"]["content"])
    except (urllib.error.URLError, TimeoutError, KeyError, IndexError, ValueError) as exc:
        raise LLMError(f"summary endpoint {base_url} failed: {exc}") from exc


def rewrite_summary(
    selected: Sequence[SummarySentence],
    *,
    base_url: str,
    model: str,
    api_key: str | None = None,
    language: str | None = None,
    words: int = 120,
    timeout: float = 60.0,
) -> list[SummarySentence]:
    """Rewrite `selected` (an extractive summary) and keep only grounded, cited sentences."""
    if not selected:
        return []
    statements = "\n".join(f"[{i}] {s.text}" for i, s in enumerate(selected, start=1))
    prompt = PROMPT.format(
        words=words, language=language or "the statements' language", statements=statements
    )
    answer = _chat(base_url, model, api_key, prompt, timeout)
    sources = [_content(s.text, language) for s in selected]
    kept: list[SummarySentence] = []
    for match in _SENTENCE.finditer(answer):
        piece = match.group(0).strip()
        cited = [int(n) for n in _CITE.findall(piece) if 1 <= int(n) <= len(selected)]
        text = re.sub(r"\s+([.!?,;:])", r"\1", _CITE.sub("", piece)).strip()
        words_here = _content(text, language)
        if not words_here:
            continue
        pool = cited or list(range(1, len(selected) + 1))
        support: set[str] = set().union(*(sources[n - 1] for n in pool))
        if len(words_here & support) / len(words_here) < GROUNDING:
            continue  # says something the cited statements do not: dropped
        if not cited:  # trace it back to the statements that hold its words
            cited = [n for n in pool if len(words_here & sources[n - 1]) >= 2] or pool[:1]
        citations = [c for n in dict.fromkeys(cited) for c in selected[n - 1].citations]
        kept.append(SummarySentence(text=text, citations=citations))
    return kept
