"""SSRF guard for webhook URLs: http(s) only, and never an internal address.

Checked when a subscription is created and again before every delivery, after DNS resolution,
so a name that later resolves to 127.0.0.1 or 169.254.169.254 is still refused. The sender then
connects to the very address that was checked (no second lookup an attacker could rebind).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from boomerang.services.ports.providers import UnsafeUrl

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain")


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int


def parse_target(url: str) -> Target:
    """Scheme, host and port of an http(s) URL, or UnsafeUrl."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeUrl(f"not a valid URL: {error}") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl("only http and https URLs are allowed")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeUrl("the URL has no host")
    return Target(scheme, host, port or (443 if scheme == "https" else 80))


_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the last 32 bits are the IPv4 address
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: embedding depends on the local prefix


def embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 transition form reaches (IPv4-mapped, 6to4, Teredo client, NAT64)."""
    if address.ipv4_mapped is not None:
        return "IPv4-mapped", address.ipv4_mapped
    if address.sixtofour is not None:
        return "6to4", address.sixtofour
    if address.teredo is not None:
        return "Teredo", address.teredo[1]
    if address in _NAT64_WELL_KNOWN:
        return "NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def forbidden_reason(address: IPAddress) -> str | None:
    """Why an address is internal, or None when it is a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _NAT64_LOCAL:
            return "local-use NAT64"
        embedded = embedded_ipv4(address)
        if embedded is not None:
            form, ipv4 = embedded
            reason = forbidden_reason(ipv4)
            if reason or form in ("IPv4-mapped", "NAT64"):  # these reach exactly the IPv4 address
                return f"{reason} (embedded in {form})" if reason else None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    )
    for reason, hit in checks:
        if hit:
            return reason
    return None if address.is_global else "not publicly routable"


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def check_addresses(host: str, addresses: list[str]) -> list[IPAddress]:
    parsed = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
    for address in parsed:
        reason = forbidden_reason(address)
        if reason:
            raise UnsafeUrl(f"{host} resolves to a {reason} address ({address}); webhooks need a public address")
    return parsed


def check_subscription_url(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> None:
    """At subscription time: refuse internal literals and names that resolve to internal addresses.

    A name that does not resolve (yet) is accepted: the check runs again at every delivery.
    """
    target = parse_target(url)
    if allow_private:
        return
    if target.host == "localhost" or target.host.endswith(_INTERNAL_SUFFIXES):
        raise UnsafeUrl(f"{target.host} is an internal host name")
    literal = literal_address(target.host)
    if literal is not None:
        check_addresses(target.host, [str(literal)])
        return
    try:
        addresses = resolver(target.host, target.port)
    except OSError:
        return
    check_addresses(target.host, addresses)


def resolve_for_delivery(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> list[IPAddress]:
    """Addresses a delivery may connect to (all checked), or UnsafeUrl / OSError when resolution fails."""
    target = parse_target(url)
    literal = literal_address(target.host)
    addresses = [str(literal)] if literal is not None else resolver(target.host, target.port)
    if not addresses:
        raise UnsafeUrl(f"{target.host} does not resolve")
    if allow_private:
        return [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
    return check_addresses(target.host, addresses)
