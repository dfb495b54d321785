"""Package attributes imported when first read (PEP 562): a command that lists stories or
prints the version does not pay for the cleaning, grouping and analysis libraries (about a
second of imports) that `import newsfuse` would otherwise bring."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_attributes(package: str, homes: Mapping[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` for `package`: each name in `homes` comes from the submodule
    named there (relative to the package) the first time it is read, and is then kept."""

    def __getattr__(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
