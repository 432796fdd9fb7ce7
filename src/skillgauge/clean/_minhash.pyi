"""Types of the compiled MinHash minimum (``_minhash.pyx``)."""

import numpy as np
import numpy.typing as npt

def sign(
    shingles: npt.NDArray[np.uint64],
    offsets: npt.NDArray[np.intp],
    a: npt.NDArray[np.uint64],
    b: npt.NDArray[np.uint64],
    sig: npt.NDArray[np.uint32],
) -> None: ...
def token_hashes(
    parts: list[bytes], base: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]: ...
