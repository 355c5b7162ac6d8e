"""Summary downloads. ``services.summary`` gathers one structure per session (or
workshop); ``document`` turns it into an outline and tables (``model``, built by
``tables``; a workshop's masterplan parts by ``masterplan_document`` with
``masterplan_tables`` and ``people_tables``); ``basic`` (Markdown, CSV, JSON),
``excel``, ``word`` and ``pdf`` render them; ``formats`` lists them for the
routes; ``safety`` keeps text inert."""
