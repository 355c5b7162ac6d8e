"""The product in a real Chromium: the live brainstorm, grouping and the vote, scoring, running the room, the board on every screen size, accessibility."""
