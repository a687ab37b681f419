"""One module per scenario; each has `run(options, report) -> dict`."""
