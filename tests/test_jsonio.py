"""``jsonio.loads`` is ``json.loads``, and ``jsonio.loads_bytes`` is ``json.loads`` of the decoded bytes: same
values (types included) and an error where it errs."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from skillgauge import jsonio

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
JSONISH = '{}[]",:0123456789-+.eE \t\n\r\\/uabfnrtlsNaIiy\x00\x01\x7f\u2028é\ud800'


def outcome(fn: Any, text: str) -> tuple[str, str]:
    try:
        return ("ok", repr(fn(text)))
    except (ValueError, RecursionError) as exc:
        return ("error", type(exc).__name__)


def _decoded_loads(data: bytes) -> Any:
    return json.loads(data.decode("utf-8"))


@settings(max_examples=1500, deadline=None)
@given(values)
def test_documents_read_as_the_standard_library_reads_them(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert outcome(jsonio.loads, text) == outcome(json.loads, text)
    data = text.encode("utf-8", "surrogatepass")
    assert outcome(jsonio.loads_bytes, data) == outcome(_decoded_loads, data)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=JSONISH, max_size=40))
@example('{"a": 18446744073709551616}')
@example('{"a": -9223372036854775809}')
@example('{"a": 1.5, "b": 18446744073709551616}')
@example("1e400")
@example('{"a": NaN, "b": -Infinity}')
@example('"\\ud800"')
@example('"\ud800"')  # a lone surrogate: as bytes, not UTF-8
@example("\ufeff{}")
@example('{"a":1,"a":2}')
@example('{"a":"\x01"}')
@example("[" * 5000 + "]" * 5000)
def test_any_text_gives_the_same_value_or_an_error(text: str) -> None:
    """``loads`` as ``json.loads``; ``loads_bytes`` of its UTF-8 as ``json.loads`` of the decoded
    bytes (an error where they are not UTF-8)."""
    assert outcome(jsonio.loads, text) == outcome(json.loads, text)
    data = text.encode("utf-8", "surrogatepass")
    assert outcome(jsonio.loads_bytes, data) == outcome(_decoded_loads, data)
