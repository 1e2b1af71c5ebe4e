"""Reading: the project's specs, ledgers, metrics and their checks — everything a build reads."""
