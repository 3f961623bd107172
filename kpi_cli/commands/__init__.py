"""One module per command; cli.py only wires options to these functions."""
