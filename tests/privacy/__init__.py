"""Personal data under UU PDP: deleting a session or a whole workshop (every row, the
bytes on disk, the open screens, the join code) when it is no longer needed."""
