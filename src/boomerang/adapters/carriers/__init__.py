"""Carrier providers: rate quotes and label purchases behind one interface."""
