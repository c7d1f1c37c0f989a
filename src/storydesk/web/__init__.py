"""The web app and JSON API over the store (`storydesk serve`); see docs/web.md."""
