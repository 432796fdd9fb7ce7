"""Types of the compiled scan (``_hotloop.pyx``)."""

from array import array

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
    def scan(self, text: str) -> tuple[list[tuple[int, int, int]], int]: ...
