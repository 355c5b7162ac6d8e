"""Personal data: a participant's data downloaded, and erased everywhere it was stored."""
