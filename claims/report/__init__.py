"""Reports: the JSON document (the single source for renderers), Markdown, terminal, drift check."""
