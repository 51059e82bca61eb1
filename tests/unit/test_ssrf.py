"""Webhook URLs: http(s) only, and never loopback, link-local, private or otherwise internal addresses."""

from __future__ import annotations

import pytest

from boomerang.adapters.ssrf import UnsafeUrl, check_subscription_url, resolve_for_delivery
from boomerang.adapters.webhook_sender import HttpWebhookSender, pin_url

FORBIDDEN = {
    "loopback v4": "http://127.0.0.1/hook",
    "loopback v4 other": "http://127.8.9.10:8080/hook",
    "loopback v6": "http://[::1]/hook",
    "localhost name": "http://localhost:8000/hook",
    "unspecified v4": "http://0.0.0.0/hook",
    "unspecified v6": "http://[::]/hook",
    "private 10/8": "https://10.1.2.3/hook",
    "private 172.16/12": "https://172.20.0.1/hook",
    "private 192.168/16": "https://192.168.1.1/hook",
    "unique local v6": "https://[fd00::1]/hook",
    "link-local metadata": "http://169.254.169.254/latest/meta-data/",
    "link-local v6": "http://[fe80::1]/hook",
    "multicast v4": "http://224.0.0.1/hook",
    "multicast v6": "http://[ff02::1]/hook",
    "reserved v4": "http://240.0.0.1/hook",
    "broadcast": "http://255.255.255.255/hook",
    "shared address space": "http://100.64.0.1/hook",
    "ipv4-mapped loopback": "http://[::ffff:127.0.0.1]/hook",
    "decimal loopback": "http://2130706433/hook",
    "hex short loopback": "http://0x7f.1/hook",
}


def no_dns(host: str, port: int) -> list[str]:
    raise OSError("no DNS in tests")


@pytest.mark.parametrize("url", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_internal_addresses_are_refused_at_subscription(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_subscription_url(url, allow_private=False)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://example.com", "//example.com"])
def test_only_http_and_https_are_allowed(url: str) -> None:
    with pytest.raises(UnsafeUrl, match="http"):
        check_subscription_url(url, allow_private=True)


def test_url_without_host_is_refused() -> None:
    with pytest.raises(UnsafeUrl, match="no host"):
        check_subscription_url("http:///hook", allow_private=False)


def test_public_addresses_are_accepted() -> None:
    check_subscription_url("https://93.184.216.34/hook", allow_private=False)
    check_subscription_url("https://[2606:2800:220:1:248:1893:25c8:1946]/hook", allow_private=False)
    check_subscription_url("https://hooks.example.com/x", allow_private=False, resolver=lambda h, p: ["93.184.216.34"])


def test_name_resolving_to_a_private_address_is_refused() -> None:
    with pytest.raises(UnsafeUrl, match="private"):
        check_subscription_url("https://hooks.example.com/x", allow_private=False, resolver=lambda h, p: ["10.0.0.7"])


def test_name_with_any_internal_address_is_refused() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "127.0.0.1"]

    with pytest.raises(UnsafeUrl, match="loopback"):
        resolve_for_delivery("https://hooks.example.com/x", allow_private=False, resolver=resolver)


def test_unresolvable_name_is_accepted_at_subscription_and_checked_at_delivery() -> None:
    check_subscription_url("https://not-yet.example.com/x", allow_private=False, resolver=no_dns)
    with pytest.raises(OSError):
        resolve_for_delivery("https://not-yet.example.com/x", allow_private=False, resolver=no_dns)


def test_allow_private_lets_development_use_loopback() -> None:
    check_subscription_url("http://127.0.0.1:9000/hook", allow_private=True)
    assert [str(a) for a in resolve_for_delivery("http://127.0.0.1:9000/hook", allow_private=True)] == ["127.0.0.1"]


def test_delivery_to_a_name_that_now_resolves_internally_is_refused_without_connecting() -> None:
    """DNS rebinding: the name was public at subscription time; at delivery it points at the metadata service."""
    sender = HttpWebhookSender(timeout=1, allow_private=False, resolver=lambda h, p: ["169.254.169.254"])
    try:
        result = sender.send("https://hooks.example.com/x", {}, b"{}")
    finally:
        sender.close()
    assert not result.succeeded
    assert result.error is not None and "link-local" in result.error


def test_delivery_connects_to_the_checked_address_with_the_original_host() -> None:
    import ipaddress

    url, host = pin_url("https://hooks.example.com:8443/a?b=1", ipaddress.ip_address("93.184.216.34"))
    assert (url, host) == ("https://93.184.216.34:8443/a?b=1", "hooks.example.com:8443")
    url, host = pin_url("http://hooks.example.com/a", ipaddress.ip_address("2606:2800::1"))
    assert (url, host) == ("http://[2606:2800::1]/a", "hooks.example.com")


EMBEDDED_PRIVATE_IPV4 = {
    "6to4 of loopback": "http://[2002:7f00:1::1]/hook",
    "6to4 of 10/8": "http://[2002:a00:1::]/hook",
    "6to4 of metadata": "http://[2002:a9fe:a9fe::1]/hook",
    "6to4 of 192.168/16": "http://[2002:c0a8:101::1]/hook",
    "NAT64 of loopback": "http://[64:ff9b::7f00:1]/hook",
    "NAT64 of 10/8": "http://[64:ff9b::10.1.2.3]/hook",
    "NAT64 of metadata": "http://[64:ff9b::a9fe:a9fe]/hook",
    "local-use NAT64": "http://[64:ff9b:1::a00:1]/hook",
    "Teredo of loopback client": "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook",
    "Teredo of private client": "http://[2001:0:4136:e378:8000:63bf:f5ff:fefe]/hook",
}


@pytest.mark.parametrize("url", EMBEDDED_PRIVATE_IPV4.values(), ids=EMBEDDED_PRIVATE_IPV4.keys())
def test_ipv6_transition_forms_embedding_an_internal_ipv4_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_subscription_url(url, allow_private=False, resolver=no_dns)
    with pytest.raises(UnsafeUrl):
        resolve_for_delivery(url, allow_private=False, resolver=no_dns)


@pytest.mark.parametrize("address", ["2002:808:808::1", "64:ff9b::808:808"])
def test_transition_forms_of_a_public_ipv4_are_accepted(address: str) -> None:
    check_subscription_url(f"https://[{address}]/hook", allow_private=False, resolver=no_dns)


def test_a_name_resolving_to_6to4_of_loopback_is_refused_at_delivery() -> None:
    with pytest.raises(UnsafeUrl, match="6to4"):
        resolve_for_delivery(
            "https://hooks.example.com/x", allow_private=False, resolver=lambda host, port: ["2002:7f00:1::1"]
        )
