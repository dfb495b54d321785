"""Claims across languages: a statement and its translation are one claim when the encoder is on;
within one language, terms decide as before."""

from __future__ import annotations

from newsfuse.analyze import analyze_story
from newsfuse.analyze.alignment import align_sentences
from newsfuse.analyze.meaning import sentence_meaning
from newsfuse.analyze.numbers import stated_numbers
from newsfuse.clean import clean_document
from newsfuse.config import Settings
from newsfuse.model import Article, RawDocument

# Hand-written: one short report in English and its Spanish translation, plus an English
# report of the same event worded differently.
ENGLISH = (
    "Heavy rain flooded the old town of Valdoria on Tuesday morning.\n\n"
    "The regional government ordered the evacuation of four hundred families living near the "
    "river.\n\n"
    "Schools in the province will remain closed until the end of the week."
)
SPANISH = (
    "Fuertes lluvias inundaron el casco antiguo de Valdoria el martes por la mañana.\n\n"
    "El gobierno regional ordenó la evacuación de cuatrocientas familias que viven cerca del "
    "río.\n\n"
    "Las escuelas de la provincia permanecerán cerradas hasta el final de la semana."
)
ENGLISH_OTHER = (
    "Authorities told hundreds of households beside the river to leave as water rose in "
    "Valdoria.\n\n"
    "Classes across the province are cancelled for the rest of the week."
)


def _article(name: str, text: str, language: str) -> Article:
    article = clean_document(
        RawDocument(source=f"{name}.txt", kind="text", content=text), Settings()
    )
    assert article.language == language
    return article


def _shared(groups, first: Article, second: Article) -> int:  # type: ignore[no-untyped-def]
    """Claims holding a sentence of both articles."""
    return sum(1 for g in groups if {first.id, second.id} <= g.article_ids)


def test_a_statement_and_its_translation_are_one_claim():
    english, spanish = _article("en", ENGLISH, "en"), _article("es", SPANISH, "es")
    meaning = sentence_meaning(Settings())
    assert meaning is not None
    by_terms = align_sentences([english, spanish])
    by_meaning = align_sentences([english, spanish], meaning)
    assert _shared(by_terms, english, spanish) < 3  # names and numbers alone do not carry it
    assert _shared(by_meaning, english, spanish) == 3
    for group in by_meaning:  # each claim pairs a sentence with its own translation
        if len(group.members) == 2:
            first, second = (m.article.text[: m.start].count("\n\n") for m in group.members)
            assert first == second
    # the story's claims count both outlets' languages as support
    claims = analyze_story([english, spanish], meaning).claims
    assert sum(1 for c in claims if len(c.article_ids) == 2) == 3


def test_one_language_is_aligned_by_terms_only():
    english, other = _article("en", ENGLISH, "en"), _article("en2", ENGLISH_OTHER, "en")
    meaning = sentence_meaning(Settings())
    with_meaning = align_sentences([english, other], meaning)
    without = align_sentences([english, other])
    assert [[(m.article.id, m.start) for m in g.members] for g in with_meaning] == [
        [(m.article.id, m.start) for m in g.members] for g in without
    ]


def test_terms_only_when_configured():
    assert sentence_meaning(Settings(claim_encoder="none")) is None


def test_a_translation_that_changes_a_date_is_a_conflict_not_agreement():
    english = _article(
        "en",
        "Foreign ministers will meet in Vienna on 13 January to discuss the security "
        "proposals.\n\nThe talks follow a week of meetings between Russian and American "
        "diplomats in Geneva.",
        "en",
    )
    spanish = _article(
        "es",
        "Los ministros de Asuntos Exteriores se reunirán en Viena el 14 de enero para debatir "
        "las propuestas de seguridad.\n\nLas conversaciones siguen a una semana de reuniones "
        "entre diplomáticos rusos y estadounidenses en Ginebra.",
        "es",
    )
    analysis = analyze_story([english, spanish], sentence_meaning(Settings()))
    assert sum(1 for c in analysis.claims if len(c.article_ids) == 2) == 2
    assert any({v.value for v in c.values} == {"13", "14"} for c in analysis.conflicts)
    # terms alone never align the two sentences, so the disagreement goes unseen
    assert not analyze_story([english, spanish]).conflicts


def test_a_quote_and_its_translation_are_one_quote_with_both_wordings():
    english = _article(
        "en",
        "The mayor of Valdoria, Elena Ruiz, visited the flooded streets on Tuesday.\n\n"
        '"We will rebuild every house that the river has taken from us," Elena Ruiz said.',
        "en",
    )
    spanish = _article(
        "es",
        "La alcaldesa de Valdoria, Elena Ruiz, visitó las calles inundadas el martes.\n\n"
        '"Vamos a reconstruir cada casa que el río nos ha quitado", dijo Elena Ruiz.',
        "es",
    )
    merged = analyze_story([english, spanish], sentence_meaning(Settings())).quotes
    apart = analyze_story([english, spanish]).quotes
    assert len(apart) == 2
    assert len(merged) == 1
    assert merged[0].speaker == "Elena Ruiz"
    assert {v.article_id for v in merged[0].variants} == {english.id, spanish.id}


def test_numbers_are_read_the_way_their_language_writes_them():
    assert stated_numbers("It cost 5,000 dollars, 7.2 billion in all, 20 percent more.", "en") == [
        ("5000", "5,000"),
        ("7200000000", "7.2 billion"),
        ("20%", "20 percent"),
    ]
    spanish = stated_numbers(
        "Costó 5.000 dólares, 7.200 millones en total, un 20 por ciento más.", "es"
    )
    assert [value for value, _ in spanish] == ["5000", "7200000000", "20%"]
    assert stated_numbers("Un écran de 13,3 pouces", "fr") == [("13.3", "13,3")]
    assert stated_numbers("5.000", "en") == [("5", "5.000")]  # a decimal point in English


def test_a_faithful_translation_with_numbers_written_its_own_way_is_no_conflict():
    english = _article(
        "en",
        "The airline will buy 5,000 seats and 12.5 million litres of fuel for its new fleet.\n\n"
        "The contract is worth 7.2 billion dollars over ten years.",
        "en",
    )
    spanish = _article(
        "es",
        "La aerolínea comprará 5.000 asientos y 12,5 millones de litros de combustible para su "
        "nueva flota.\n\nEl contrato tiene un valor de 7.200 millones de dólares en diez años.",
        "es",
    )
    analysis = analyze_story([english, spanish], sentence_meaning(Settings()))
    assert sum(1 for c in analysis.claims if len(c.article_ids) == 2) == 2
    assert analysis.conflicts == []


def test_postings_give_exact_dot_products_from_the_first_seed_none_was_pushed_out_of():
    """Claim alignment takes the postings' sums for the seeds `scores` calls exact instead of
    scoring them again: they must equal `dot` to the last bit, and the seeds before may not."""
    import random

    from newsfuse.analyze.seeds import SeedIndex, dot

    rng = random.Random(7)
    terms = [f"t{k}" for k in range(30)]

    def vector() -> dict[str, float]:
        return {t: rng.random() for t in rng.sample(terms, 6)}

    seeds = [vector() for _ in range(200)]
    index = SeedIndex(per_term=8)
    for number, seed in enumerate(seeds):
        index.add(number, seed)
    pushed_out = 0
    for _ in range(100):
        query = vector()
        products, exact_from = index.scores(query)
        assert exact_from > 0  # postings of 8 over 200 seeds are full
        for number, seed in enumerate(seeds):
            exact = dot(query, seed)
            if number >= exact_from:
                assert products.get(number, 0.0) == exact
            elif exact and products.get(number, 0.0) != exact:
                pushed_out += 1
    assert pushed_out  # before it the postings' sums are not all exact
