"""Rules of the domain. Services are the only writers: each change runs in one
write transaction and records exactly one event (``events.record``)."""
