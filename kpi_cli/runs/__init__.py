"""Memory across `kpi check` runs: what is new, ongoing, pending or resolved, and what to notify.

`memory` holds the pure decisions (keys, states, what is due a notification), `store` the SQLite
tables they are read from and written to (in the history database, kpi_cli.history).
"""
