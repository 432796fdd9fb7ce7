from collections.abc import Iterable

CURRENCY_FIRST: int
NUMBER_FIRST: int

class SalaryHints:
    def __init__(self, codes: Iterable[str]) -> None: ...
    def __call__(self, text: str) -> int: ...
