"""Grouping ideas and dot voting: moves and merges, budgets and caps, tallies, the ballot pages."""
