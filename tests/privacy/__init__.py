"""Personal data under UU PDP: a participant's data downloaded, and erased everywhere
it was stored; the join page's notice and how long names are kept; deleting a session
or a whole workshop (every row, the bytes on disk, the open screens, the join code)
when it is no longer needed; the audit log of what was done with it (who, what, when);
and a facilitator's own data (its download, erasing the account)."""
