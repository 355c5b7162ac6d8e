"""Workshops, stages, sessions and facilitator accounts through the API; a workshop moved to
another Rembuk by its archive."""
