"""Domain-free helpers: model base and types, Markdown, language and dates, errors, paging."""
