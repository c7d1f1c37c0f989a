"""The command line: thin commands over library functions.

Each command module registers its commands on `main`; the modules are listed
here once.
"""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape

from storydesk import __version__
from storydesk.errors import StoreUnavailable


class _Commands(click.Group):
    """The command group; a store that cannot be reached is one line and exit code 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreUnavailable as exc:
            from storydesk.cli.common import err_console

            err_console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
            raise SystemExit(1) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storydesk")
def main() -> None:
    """storydesk: compare how outlets report the same news story.

    Ingest articles, read who said what, link them into stories and see where
    sources agree and disagree.
    """


from storydesk.cli import articles as _articles  # noqa: E402,F401  (registers commands)
from storydesk.cli import batch as _batch  # noqa: E402,F401  (registers commands)
from storydesk.cli import serve as _serve  # noqa: E402,F401  (registers commands)
from storydesk.cli import stories as _stories  # noqa: E402,F401  (registers commands)
from storydesk.cli import story as _story  # noqa: E402,F401  (registers commands)
