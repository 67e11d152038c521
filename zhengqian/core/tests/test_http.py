"""The client address used by login and public-lookup throttling (core.http.client_address)."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from zhengqian.core.http import client_address


def _request(remote: str, forwarded: str = "") -> object:
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    # A client may send any X-Forwarded-For; believing it would let it dodge throttling.
    assert client_address(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.2"])
def test_behind_trusted_proxies_the_first_untrusted_hop_from_the_right() -> None:
    assert client_address(_request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    # the left-most entry is the client's own claim; the proxies appended the real hops
    assert client_address(_request("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"
    # from an address that is not a proxy the header is not believed
    assert client_address(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    # a proxy that sent no header is the client
    assert client_address(_request("127.0.0.1")) == "127.0.0.1"
