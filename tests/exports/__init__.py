"""The downloads: Markdown, CSV, JSON, Excel, Word and PDF of a session and of a workshop."""
