"""The later stages: carrying groups forward, SWOT, rating, roadmap, quick wins, the commitment, and the masterplan download."""
