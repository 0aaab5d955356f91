"""The guard against fetching from places a news URL should never lead to (server-side request forgery).

A URL's host is resolved once, by a resolver passed in (``system_resolver`` by default, a stub in
tests), and every address it resolves to is checked: loopback, private, link-local (which holds the
cloud metadata services at 169.254.169.254 and fd00:ec2::254), shared, multicast, reserved and
unspecified addresses, and any other address that is not globally routable, are refused unless the
caller allows private networks. The request then goes to the checked address itself, so a second
lookup cannot answer differently (DNS rebinding). Each redirect is checked the same way.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from khabar.errors import FetchError

Resolver = Callable[[str, int], list[str]]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_METADATA = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
                       ipaddress.ip_address("100.100.100.200")})


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for a host name."""
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def refusal(address: Address) -> str:
    """Why an address must not be fetched from ('' when it is a public address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return refusal(address.ipv4_mapped)
    checks = (
        (address in _METADATA, "cloud metadata"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_unspecified, "unspecified"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (not address.is_global, "non-public"),
    )
    return next((name for refused, name in checks if refused), "")


def checked_addresses(url: str, host: str, port: int, resolver: Resolver, allow_private: bool) -> list[str]:
    """The addresses a host resolves to, every one of them checked; FetchError when any is refused."""
    try:
        literal: Address | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        found = [str(literal)]
    else:
        try:
            found = resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(url, f"cannot resolve host {host!r} ({exc})", "check the URL and the network") from exc
    if not found:
        raise FetchError(url, f"host {host!r} resolves to no address", "check the URL")
    for text in found:
        reason = refusal(ipaddress.ip_address(text))
        if reason and not allow_private:
            raise FetchError(url, f"host {host!r} resolves to {text}, a {reason} address; refused",
                             "pass --allow-private to fetch from local or private networks")
    return found
