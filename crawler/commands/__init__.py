"""The ``vnnews`` subcommands, one module per group; :mod:`crawler.cli` parses and dispatches."""
