"""The public representations of our resources (Pydantic): the API's request and response bodies and the
webhook payloads, which are the API's own responses rendered by bootstrap's outbox renderings, so the two
cannot drift. Beside the clients, not inside one: the API, the pages and bootstrap import them; they import
the domain and the services' read models only."""
