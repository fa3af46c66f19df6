"""The home page: what is being decided now, what was decided, whether it is being done."""
