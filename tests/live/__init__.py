"""Live delivery: the event log, the declared event types, the JSON and HTML streams, the broker, several workers."""
