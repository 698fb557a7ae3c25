"""Benchmarks that need more than the `faq bench` command: `python -m benchmarks.bot_load`."""
