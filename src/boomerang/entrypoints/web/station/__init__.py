"""The operator station: Receive, Queue, Process, Unidentified and Work orders pages (UI.md)."""

from boomerang.entrypoints.web.station import process, receive, shelves

ROUTERS = [receive.router, process.router, shelves.router]
