"""Background jobs: one scheduler process, one module per job with a plain `run(…, now)`."""
