"""storydesk: a careful editor's reading of the news, across outlets."""

__version__ = "0.1.0"
