"""Rembuk: live facilitation for Smart City Bimtek workshops."""

__version__ = "0.1.0"
