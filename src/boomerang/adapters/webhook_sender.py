"""Sends one signed webhook request over HTTP (httpx), pinned to an address the SSRF guard checked."""

from __future__ import annotations

import ipaddress
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from boomerang.adapters.ssrf import IPAddress, Resolver, UnsafeUrl, resolve_for_delivery, system_resolver
from boomerang.services.ports.providers import SendResult, WebhookSender


def pin_url(url: str, address: IPAddress) -> tuple[str, str]:
    """The URL with its host replaced by `address`, and the Host header the server expects."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    host_header = f"{host}:{parts.port}" if parts.port else host
    if ":" in host and not host_header.startswith("["):
        host_header = f"[{host}]" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header


class HttpWebhookSender:
    """POSTs with a timeout per attempt; no redirects, no proxies from the environment."""

    def __init__(self, *, timeout: float, allow_private: bool, resolver: Resolver = system_resolver) -> None:
        self.timeout = timeout
        self.allow_private = allow_private
        self.resolver = resolver
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)

    def close(self) -> None:
        self.client.close()

    def send(self, url: str, headers: dict[str, str], body: bytes) -> SendResult:
        started = time.perf_counter()

        def result(status: int | None, error: str | None) -> SendResult:
            return SendResult(status, error, int((time.perf_counter() - started) * 1000))

        try:
            addresses = resolve_for_delivery(url, allow_private=self.allow_private, resolver=self.resolver)
        except UnsafeUrl as error:
            return result(None, f"refused: {error}")
        except OSError as error:
            return result(None, f"cannot resolve host: {error}")
        pinned, host_header = pin_url(url, addresses[0])
        extensions: dict[str, Any] = {}
        if url.lower().startswith("https"):
            extensions["sni_hostname"] = urlsplit(url).hostname
        request_headers = {**headers, "Host": host_header, "Content-Type": "application/json"}
        try:
            with self.client.stream(
                "POST", pinned, content=body, headers=request_headers, extensions=extensions
            ) as response:
                status = response.status_code
        except httpx.TimeoutException:
            return result(None, f"timed out after {self.timeout:g} s")
        except httpx.HTTPError as error:
            return result(None, f"{type(error).__name__}: {error}"[:500])
        return result(status, None if 200 <= status < 300 else f"HTTP {status}")


__all__ = ["HttpWebhookSender", "SendResult", "WebhookSender", "pin_url"]
