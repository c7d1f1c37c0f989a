"""The command line: thin commands over library functions.

Each command module registers its commands on `main`; the modules are listed
here once.
"""

from __future__ import annotations

import click

from storydesk import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storydesk")
def main() -> None:
    """storydesk: compare how outlets report the same news story.

    Ingest articles, read who said what, link them into stories and see where
    sources agree and disagree.
    """


from storydesk.cli import articles as _articles  # noqa: E402,F401  (registers commands)
from storydesk.cli import serve as _serve  # noqa: E402,F401  (registers commands)
from storydesk.cli import stories as _stories  # noqa: E402,F401  (registers commands)
from storydesk.cli import story as _story  # noqa: E402,F401  (registers commands)
