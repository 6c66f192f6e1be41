"""Every SQL query duban runs, grouped by what it is about."""
