"""PLACEHOLDER: issue 5 writes the self-contained HTML report."""

from __future__ import annotations

import html
from typing import Any

from storydesk.export.markdown import report_markdown


def report_html(report: dict[str, Any]) -> str:
    return "<!doctype html><meta charset=utf-8><pre>" + html.escape(report_markdown(report)) + "</pre>"
