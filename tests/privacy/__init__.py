"""Personal data under UU PDP: the audit log of what was done with it (who, what, when),
and a facilitator's own data (its download, erasing the account)."""
