"""Workshops, stages, sessions and facilitator accounts through the API."""
