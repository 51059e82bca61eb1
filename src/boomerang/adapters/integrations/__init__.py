"""Parsers of the AfterShip Returns and Loop webhook payloads."""
