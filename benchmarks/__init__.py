"""The course's speed claims, each measured side by side in one process: `make bench`."""
