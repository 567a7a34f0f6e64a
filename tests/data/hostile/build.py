"""Write a small corpus of hostile inputs: markup and links in quotes, outlet names, titles and removed lines.

Run ``python tests/data/hostile/build.py OUT_FOLDER``; tests/test_report.py builds every report from it and
opens each one in a browser with the network cut, failing on any script run, dialog, request or navigation.
Every article is also ordinary news prose, so each notebook has something to show."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PAYLOADS = {
    "script": "<script>document.title='pwned'</script>",
    "img_remote": "<img src=https://example.org/pixel.png>",
    "img_onerror": "<img src=x onerror=alert('quote')>",
    "srcset": "<img srcset='https://example.org/a.png 2x'>",
    "object": "<object data=https://example.org/x.swf></object>",
    "refresh": "<meta http-equiv=refresh content='0;url=https://example.org/'>",
    "iframe": "<iframe src=https://example.org/></iframe>",
    "css": "<div style=\"background:url('https://example.org/bg.png')\">x</div>",
    "md_link": "[click me](javascript:alert(1))",
}

ARTICLES = [
    ("a1.txt", "<img src=x onerror=alert('outlet')>", "Council <svg onload=alert('title')> votes on bridge",
     "2024-03-05",
     "The city council voted on Tuesday to close the old bridge for repairs.\n\n"
     f"\u201cThis bridge is unsafe {PAYLOADS['script']} and must close,\u201d said Mayor Ana Ruiz.\n\n"
     f"Engineer Tom Ode said that the repairs {PAYLOADS['img_remote']} would take a year.\n\n"
     f"Related News: {PAYLOADS['img_onerror']}\n"),
    ("a2.txt", PAYLOADS["md_link"], "Bridge to close for a year", "2024-03-05",
     "The old bridge will close for a year, the council decided on Tuesday.\n\n"
     f"\u201cWe had no choice {PAYLOADS['srcset']} {PAYLOADS['object']},\u201d Mayor Ana Ruiz told reporters.\n\n"
     f"Residents said the closure {PAYLOADS['refresh']} would hurt local shops.\n"),
    ("a3.txt", "Daily <b>Bold</b> News", f"Shops fear bridge closure {PAYLOADS['iframe']}", "2024-03-06",
     "Shop owners fear the bridge closure announced on Tuesday will cost them customers.\n\n"
     f"\u201cIt will ruin us {PAYLOADS['css']},\u201d said baker Lena Park.\n\n"
     "According to the council, the repairs will cost two million dollars.\n"),
]


def build(out: str | Path) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "metadata.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "outlet", "title", "published", "url"])
        for name, outlet, title, published, text in ARTICLES:
            (out / name).write_text(text, encoding="utf-8")
            writer.writerow([name, outlet, title, published, f"javascript:alert('{name}')"])
    return out


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus"))
