"""The HTTP host: one ASGI app (app.py) composing the API, the pages and the ShipBob mount, with what they
share: who is calling, body limits, rate limits, Idempotency-Key replays, transaction retries, security
headers, the probes, and the JSON error envelope. The clients may import these shared modules; only
app.py imports the clients."""
