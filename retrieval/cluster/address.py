"""`HOST:PORT/INDEX` items naming Sphinx/Manticore indexes: parsed without the cluster code."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Address:
    """One `HOST:PORT/INDEX` of a SphinxQL (mysql41) listener."""

    host: str
    port: int
    index: str

    def __str__(self) -> str:
        return f"{self.host}:{self.port}/{self.index}"


_ADDRESS = re.compile(r"(?P<host>\[[^\]]+\]|[^:/\s]+):(?P<port>\d{1,5})/(?P<index>[A-Za-z_]\w*)")


def parse_addresses(text: str) -> tuple[Address, ...]:
    """Comma-separated `HOST:PORT/INDEX` items; ValueError says which item is wrong."""
    addresses = []
    for item in (part.strip() for part in text.split(",")):
        match = _ADDRESS.fullmatch(item)
        if not match or not 0 < int(match["port"]) < 65536:
            raise ValueError(f"not HOST:PORT/INDEX: {item!r} (e.g. 127.0.0.1:9306/articles)")
        addresses.append(Address(match["host"].strip("[]"), int(match["port"]), match["index"]))
    if len(set(addresses)) != len(addresses):
        raise ValueError("the same HOST:PORT/INDEX is given twice")
    return tuple(addresses)
