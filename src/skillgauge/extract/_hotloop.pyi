"""Types of the compiled scan (``_hotloop.pyx``)."""

from array import array

def direct_rewinds(
    trans: array[int],
    ncls: int,
    parent: array[int],
    edge: array[int],
    term: array[int],
    flags: bytes,
    word: bytes,
    after: bytes,
    nonascii_col: int,
) -> None: ...

class Scanner:
    def __init__(
        self,
        cls: bytes,
        ncls: int,
        trans: array[int],
        term: array[int],
        depth: array[int],
        flags: bytes,
        raw: bytes,
        raw_off: array[int],
        cs: bytes,
        ctx: bytes,
        before: bytes,
        after: bytes,
    ) -> None: ...
    def split_point(self, text: str) -> int: ...
    def scan(self, text: str) -> tuple[list[tuple[int, int, int]], int]: ...
