"""Live updates: the broker signals "session S is at seq N"; the event log is the truth."""
