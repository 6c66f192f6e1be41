"""Several app processes behind nginx: the proxy's configuration, the supervisor, and reading their health."""
