"""Runs trafilatura over the article-extraction benchmark pages.

Writes {"<id>": "<text>"} to OUT so that the Rust harness scores it with the
same metric code as attache, and prints {"pages_per_sec": ...} on stdout.
Only the extract() calls are timed; pages are gunzipped and held in memory
first. Usage: bench_trafilatura.py DATA_DIR OUT
"""
import gzip
import json
import sys
import time
from pathlib import Path

import trafilatura


def main() -> None:
    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(truth.items()):
        html = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        pages.append((page_id, entry["url"], html))
    outputs = {}
    started = time.perf_counter()
    for page_id, url, html in pages:
        text = trafilatura.extract(html, url=url, include_comments=False)
        outputs[page_id] = text or ""
    elapsed = time.perf_counter() - started
    out.write_text(json.dumps(outputs), encoding="utf-8")
    print(json.dumps({"pages": len(pages), "pages_per_sec": round(len(pages) / elapsed, 1),
                      "trafilatura": trafilatura.__version__}))


if __name__ == "__main__":
    main()
