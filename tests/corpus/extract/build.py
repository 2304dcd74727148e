"""Builds the extraction development set from fetched snapshots (not run by tests).

Reads the git snapshots of mozilla/readability, adbar/trafilatura,
WubabooTR/evan_extract and codelucas/newspaper (as brought by the `fetch` tool under /work/.mirror), strips the bodies of inline
<script> (all but JSON-LD) and <style> elements to keep the set small, gzips
each page's bytes as they were (no re-encoding), and writes truth.json per part.
Pages are split into tune and test by site (md5 of the site name), so that no
site has pages on both sides.

    python3 tests/corpus/extract/build.py [MIRROR_DIR [PART...]]
"""
import gzip
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

MIRROR = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror")
OUT = Path(__file__).resolve().parent

SCRIPT = re.compile(rb"(<script\b[^>]*>)(.*?)(</script[^>]*>)", re.I | re.S)
STYLE = re.compile(rb"(<style\b[^>]*>)(.*?)(</style[^>]*>)", re.I | re.S)
LD_JSON = re.compile(rb"application/ld\+json", re.I)


def git_show(repo: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(MIRROR / repo / "repo"), "show", f"HEAD:{path}"],
        check=True, capture_output=True).stdout


def git_ls(repo: str, under: str) -> list[str]:
    out = subprocess.run(
        ["git", "--git-dir", str(MIRROR / repo / "repo"), "ls-tree", "-r", "--name-only", "-z",
         "HEAD", under], check=True, capture_output=True).stdout
    return [p.decode() for p in out.split(b"\0") if p]


def strip(html: bytes) -> bytes:
    def script(m):
        return m.group(0) if LD_JSON.search(m.group(1)) else m.group(1) + m.group(3)
    html = SCRIPT.sub(script, html)
    return STYLE.sub(lambda m: m.group(1) + m.group(3), html)


def split_of(site: str) -> str:
    return "tune" if hashlib.md5(site.encode()).digest()[0] % 10 < 6 else "test"


class TextOf(HTMLParser):
    BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td",
             "blockquote", "pre", "section", "article", "dd", "dt", "figcaption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)

    def text(self):
        lines = (" ".join(l.split()) for l in "".join(self.parts).split("\n"))
        return "\n".join(l for l in lines if l)


def write_page(part: str, page_id: str, html: bytes) -> None:
    pages = OUT / part / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / f"{page_id}.html.gz").write_bytes(gzip.compress(strip(html), 9, mtime=0))


def readability() -> None:
    repo = "mozilla+readability"
    truth = {}
    names = sorted({p.split("/")[2] for p in git_ls(repo, "test/test-pages")})
    for name in names:
        base = f"test/test-pages/{name}"
        parser = TextOf()
        parser.feed(git_show(repo, f"{base}/expected.html").decode("utf-8", "replace"))
        meta = json.loads(git_show(repo, f"{base}/expected-metadata.json"))
        site = re.sub(r"-\d+$", "", name)
        truth[name] = {"site": site, "split": split_of(site), "expected": parser.text(),
                       "title": meta.get("title"), "readerable": meta.get("readerable", True)}
        write_page("readability", name, git_show(repo, f"{base}/source.html"))
    (OUT / "readability" / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True))


def trafilatura() -> None:
    repo = "adbar+trafilatura"
    data = json.loads(git_show(repo, "tests/evaldata.json"))
    truth = {}
    for url, entry in sorted(data.items()):
        site = urlparse(url).hostname or url
        site = site.removeprefix("www.")
        page_id = hashlib.md5(url.encode()).hexdigest()[:12]
        try:
            html = git_show(repo, f"tests/eval/{entry['file']}")
        except subprocess.CalledProcessError:
            try:
                html = git_show(repo, f"tests/cache/{entry['file']}")
            except subprocess.CalledProcessError:
                print("missing", entry["file"], file=sys.stderr)
                continue
        truth[page_id] = {"url": url, "site": site, "split": split_of(site),
                          "with": entry.get("with", []), "without": entry.get("without", []),
                          "date": entry.get("date"), "title": entry.get("title")}
        write_page("trafilatura", page_id, html)
    (OUT / "trafilatura" / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True))


CANONICAL = [re.compile(p, re.I) for p in (
    r"<link[^>]+rel=[\"']?canonical[\"']?[^>]*href=[\"']([^\"']+)",
    r"<link[^>]+href=[\"']([^\"']+)[\"'][^>]*rel=[\"']?canonical",
    r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)",
    r"<meta[^>]+content=[\"']([^\"']+)[\"'][^>]*property=[\"']og:url",
)]


def page_url(html: str) -> str | None:
    """The page's own address, from its canonical link or og:url."""
    for pattern in CANONICAL:
        found = pattern.search(html)
        if found and found.group(1).startswith("http"):
            return found.group(1)
    return None


# A newspaper truth file that is a maintainer's note on a failed extraction
# ("MISSED ENTIRE ARTICLE ...") or a stray blurb rather than the body.
MIN_BODY_WORDS = 80


def is_note(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return not letters or sum(c.isupper() for c in letters) > 0.8 * len(letters)


def newspaper() -> None:
    """codelucas/newspaper's full-text fixtures: news pages of 2013-2015.

    The truth is newspaper's own output as its maintainers accepted it; where
    it failed they replaced the text by a note in capitals, and those pages
    (and any truth under MIN_BODY_WORDS words) are left out. Each page's
    address comes from `fulltext_url_list.txt`, named `<domain><n>` in list
    order as newspaper's test names them; the site is that domain."""
    repo = "codelucas+newspaper"
    files = set(git_ls(repo, "tests/data/html"))
    urls = git_show(repo, "tests/data/fulltext_url_list.txt").decode().split()
    counters: dict[str, int] = {}
    truth = {}
    for url in urls:
        labels = (urlparse(url).hostname or "").removeprefix("www.").split(".")
        domain = next((".".join(labels[i:]) for i in range(len(labels) - 1)
                       if f"tests/data/html/{'.'.join(labels[i:])}1.html" in files), None)
        if domain is None:
            print("no page for", url, file=sys.stderr)
            continue
        counters[domain] = counters.get(domain, 0) + 1
        name = f"{domain}{counters[domain]}"
        try:
            expected = git_show(repo, f"tests/data/text/{name}.txt").decode("utf-8", "replace")
        except subprocess.CalledProcessError:
            continue
        lines = [" ".join(line.split()) for line in expected.splitlines()]
        expected = "\n".join(line for line in lines if line)
        if is_note(expected) or len(expected.split()) < MIN_BODY_WORDS:
            continue
        truth[name] = {"site": domain, "split": split_of(domain), "url": url,
                       "expected": expected}
        write_page("newspaper", name, git_show(repo, f"tests/data/html/{name}.html"))
    (OUT / "newspaper" / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True))


if __name__ == "__main__":
    parts = sys.argv[2:] or ["readability", "trafilatura", "newspaper"]
    for part in parts:
        globals()[part]()
