"""Ports: what the use cases need of storage (the repositories of the unit of work, by feature) and of the
outside world (providers), as Protocols. Adapters implement them; bootstrap injects the implementations."""
