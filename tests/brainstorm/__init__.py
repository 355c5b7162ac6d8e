"""Joining a session and sending ideas, through the API."""
