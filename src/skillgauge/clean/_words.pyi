"""Types of the compiled word bytes and fingerprint squeeze (``_words.pyx``)."""

from collections.abc import Callable

def word_bytes(
    text: str, table: bytes, cache: dict[str, bytes], word_of: Callable[[str], bytes]
) -> bytes: ...
def lower_squeezed(words: bytes) -> bytes: ...
