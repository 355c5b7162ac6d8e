"""Renderers of the session summary. Each takes the dict from ``services.summary``."""
