"""A client written the way ShipBob integrations are: ShipBob paths, integer ids, PAT + channel header."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

BASE = "/compat/shipbob/2026-01"


class ShipBobClient:
    def __init__(self, http: TestClient, api_key: str) -> None:
        self.http = http
        self.headers = {"Authorization": f"Bearer {api_key}"}

    def _ok(self, response: Any, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        return response.json()

    def use_channel(self) -> int:
        """What a ShipBob integration does first: find its channel id."""
        channels = self._ok(self.http.get(f"{BASE}/channel", headers=self.headers))
        channel_id = int(channels["items"][0]["id"])
        self.headers["shipbob_channel_id"] = str(channel_id)
        return channel_id

    def location_id(self, name: str) -> int:
        locations = self._ok(self.http.get(f"{BASE}/location", headers=self.headers))
        return next(int(fc["id"]) for fc in locations if fc["name"] == name)

    def inventory_id(self, sku: str) -> int:
        items = self._ok(self.http.get(f"{BASE}/inventory", params={"SearchBy": sku}, headers=self.headers))
        return next(int(item["id"]) for item in items if item["sku"] == sku)

    def create_return(self, body: dict[str, Any]) -> Any:
        return self.http.post(f"{BASE}/return", json=body, headers=self.headers)

    def list_returns(self, **query: str) -> Any:
        return self.http.get(f"{BASE}/return", params=query, headers=self.headers)

    def get_return(self, return_id: int | str) -> Any:
        return self.http.get(f"{BASE}/return/{return_id}", headers=self.headers)

    def edit_return(self, return_id: int | str, body: dict[str, Any]) -> Any:
        return self.http.put(f"{BASE}/return/{return_id}", json=body, headers=self.headers)

    def cancel_return(self, return_id: int | str) -> Any:
        return self.http.post(f"{BASE}/return/{return_id}:cancel", headers=self.headers)
