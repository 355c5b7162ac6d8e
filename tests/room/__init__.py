"""Running the room: timer, input lock, board view and reveal, focus, page turns, the word cloud."""
