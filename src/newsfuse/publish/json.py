"""JSON: the contract itself, byte-for-byte the same for the same input."""

from __future__ import annotations

from ..model import Report


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"
