"""Read models for the pages: frozen dataclasses built from repositories, never dicts shaped for one client."""
