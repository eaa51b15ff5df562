"""Address policy: refuse URLs whose scheme is not web or whose host resolves into a private net."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from newsdesk.errors import BlockedError, FetchError

__all__ = ["AddressPolicy", "Resolver", "address_problem", "host_key", "system_resolver"]

ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# NAT64 well-known prefix (RFC 6052): the last 32 bits are the IPv4 address really reached.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Resolver = Callable[[str, int], Sequence[str]]
"""Turns (host, port) into the IP addresses a connection could use."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the operating system's resolver gives for ``host`` (TCP only)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _kind(ip: IPAddress) -> str | None:
    """The name of the non-public range ``ip`` is in, or None when it is a public address."""
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "non-public"
    return None


def address_problem(address: str) -> str | None:
    """Why ``address`` (an IP literal) must not be contacted, or None when it is public.

    IPv6 forms that carry an IPv4 address (IPv4-mapped, 6to4, NAT64) are judged by that
    IPv4 address, so ``::ffff:10.0.0.5`` is as private as ``10.0.0.5``.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: ipaddress.IPv4Address | None = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            kind = _kind(embedded)
            if kind is None:
                return None
            if ip.ipv4_mapped is not None:
                return f"{kind} address ::ffff:{embedded} (IPv4-mapped)"
            return f"{kind} address {ip} (IPv4 {embedded})"
    kind = _kind(ip)
    return None if kind is None else f"{kind} address {ip}"


def host_key(url: httpx.URL) -> tuple[str, str]:
    """``(host, host:port)`` of ``url`` as :attr:`AddressPolicy.allowed_hosts` spells them."""
    host = url.raw_host.decode("ascii").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = url.port or _DEFAULT_PORTS.get(url.scheme, 0)
    return host, f"{host}:{port}"


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressPolicy:
    """Which URLs newsdesk may contact.

    Only http and https. A host must resolve to public addresses only, unless
    ``allow_private`` is set, or the host (``"example.org"``) or host and port
    (``"127.0.0.1:8080"``) is listed in ``allowed_hosts``.
    """

    allow_private: bool = False
    allowed_hosts: frozenset[str] = frozenset()
    resolver: Resolver = field(default=system_resolver)

    def check(self, url: str | httpx.URL, *, item: str | None = None) -> None:
        """Raise :class:`BlockedError` (named ``item``, default the url) if ``url`` is refused.

        A host that does not resolve raises :class:`FetchError`: nothing is wrong with
        asking for it, it just cannot be reached.
        """
        name = item if item is not None else str(url)
        try:
            parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise BlockedError(name, f"invalid URL: {exc}") from exc
        scheme = parsed.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            shown = scheme or "(none)"
            raise BlockedError(name, f"scheme {shown!r} is not allowed (only http and https)")
        if not parsed.raw_host:
            raise BlockedError(name, "URL has no host")
        if self.allow_private:
            return
        host, host_port = host_key(parsed)
        allowed = {h.lower() for h in self.allowed_hosts}
        if host in allowed or host_port in allowed:
            return
        bare = host.strip("[]")
        try:
            addresses = list(self.resolver(bare, parsed.port or _DEFAULT_PORTS[scheme]))
        except (OSError, UnicodeError) as exc:
            raise FetchError(name, f"cannot resolve host {bare}: {exc}") from exc
        if not addresses:
            raise FetchError(name, f"cannot resolve host {bare}: no addresses")
        for address in addresses:
            problem = address_problem(address)
            if problem is None:
                continue
            if _is_literal(bare):
                raise BlockedError(name, f"{problem} is not allowed")
            raise BlockedError(name, f"{bare} resolves to {problem}")


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
