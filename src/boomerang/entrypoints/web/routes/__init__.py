"""One module of page routes per area."""
