"""What goes wrong in a hall: a crash mid-burst, a dropping network, a busy database, a queue of requests."""
