"""Exports: the JSON contract, Markdown and HTML reports."""
