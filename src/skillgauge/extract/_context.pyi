"""Types of the compiled context rules (``_context.pyx``)."""

import re
from array import array
from collections.abc import Callable

from skillgauge.models import Mention

class Decider:
    def __init__(
        self,
        judge_of: array[int],
        cat_of: array[int],
        window: array[int],
        near: bytes,
        n_categories: int,
        cue_chars: array[int],
        cue_off: array[int],
        cue_first: array[int],
        cue_regex: list[re.Pattern[str] | None],
        reject_before: list[Callable[[str], bool] | None],
        reject_after: list[Callable[[str], bool] | None],
        tid: list[str],
        mention: type[Mention] | None = None,
    ) -> None: ...
    def decide(
        self, text: str, cands: list[tuple[int, int, int]]
    ) -> list[tuple[int, int, int]]: ...
    def mentions(
        self, text: str, cands: list[tuple[int, int, int]], n_ctx: int
    ) -> list[Mention]: ...
