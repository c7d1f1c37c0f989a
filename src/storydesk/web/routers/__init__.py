"""One router per resource: stories, articles (and search), actors, ingest."""
