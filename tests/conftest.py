from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.config import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "nato-russia-2022-01"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def sample_report():
    from newsfuse import fuse

    return fuse([EXAMPLES])
