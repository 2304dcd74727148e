#!/usr/bin/env python3
"""Writes the cluster development pages (*.html) and gold.json from pages.py.

The pages are written for attache (see README.md): the outlets are
fictional, the facts of the events are from the public record. Run from
this directory: `python3 build.py`.
"""
import html
import json
from pathlib import Path

from pages import GOLD_EVENTS, OUTLETS, PAGES

HERE = Path(__file__).parent


def esc(text):
    return html.escape(text, quote=True)


def paragraphs(page, tag="p"):
    return "\n".join(f"      <{tag}>{esc(p)}</{tag}>" for p in page["body"])


def head(page, outlet, url, extra=""):
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(page['headline'])} | {esc(outlet['name'])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(page['headline'])}">
<meta property="og:site_name" content="{esc(outlet['name'])}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{page['published']}">
<meta name="author" content="{esc(page['author'])}">
<link rel="canonical" href="{url}">
{extra}</head>
"""


def nav(outlet, sections):
    items = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in sections)
    return f'<nav class="primary"><ul>{items}</ul></nav>'


def related(outlet):
    items = "".join(f'<li><a href="/story/{i}">{esc(t)}</a></li>' for i, t in enumerate(outlet["related"], 1))
    return f'<aside class="related"><h3>More from {esc(outlet["name"])}</h3><ul>{items}</ul></aside>'


def footer(outlet):
    return (f'<footer class="site-footer"><p>&copy; {esc(outlet["name"])}. All rights reserved.</p>'
            '<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>'
            '<li><a href="/privacy">Privacy</a></li></ul></footer>')


def template_classic(page, outlet, url):
    return head(page, outlet, url) + f"""<body class="article">
<header class="masthead"><a class="brand" href="/">{esc(outlet['name'])}</a>
{nav(outlet, ['World', 'Politics', 'Business', 'Opinion', 'Sport'])}</header>
<main>
  <article>
    <h1>{esc(page['headline'])}</h1>
    <p class="standfirst">{esc(page['standfirst'])}</p>
    <p class="byline">By {esc(page['author'])}</p>
    <p class="dateline"><time datetime="{page['published']}">{esc(page['shown_date'])}</time></p>
    <div class="story-body">
{paragraphs(page)}
    </div>
  </article>
  {related(outlet)}
</main>
{footer(outlet)}
</body>
</html>
"""


def template_jsonld(page, outlet, url):
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page["headline"],
        "datePublished": page["published"],
        "author": {"@type": "Person", "name": page["author"]},
        "publisher": {"@type": "Organization", "name": outlet["name"]},
        "mainEntityOfPage": url,
    }
    extra = f'<script type="application/ld+json">{json.dumps(ld)}</script>\n'
    return head(page, outlet, url, extra) + f"""<body>
<div id="top-bar"><a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></div>
<header><div class="logo"><a href="/">{esc(outlet['name'])}</a></div>
{nav(outlet, ['News', 'World', 'Asia', 'Economy', 'Video'])}</header>
<div class="container">
  <div class="col-main">
    <div class="article-header">
      <span class="kicker">{esc(page.get('kicker', 'World'))}</span>
      <h1 class="title">{esc(page['headline'])}</h1>
      <div class="meta"><span class="author">{esc(page['author'])}</span> | <span class="date">{esc(page['shown_date'])}</span></div>
    </div>
    <div class="article-content">
      <p><strong>{esc(page['standfirst'])}</strong></p>
{paragraphs(page)}
    </div>
    <div class="tags">Tags: <a href="/tag/diplomacy">Diplomacy</a> <a href="/tag/world">World</a></div>
  </div>
  <div class="col-side">{related(outlet)}
    <div class="newsletter"><h4>Get the morning briefing</h4><form><input type="email" placeholder="Email"><button>Sign up</button></form></div>
  </div>
</div>
{footer(outlet)}
</body>
</html>
"""


def template_wire(page, outlet, url):
    return head(page, outlet, url) + f"""<body class="wire">
<header><a href="/" class="wire-logo">{esc(outlet['name'])}</a>
{nav(outlet, ['Top', 'Americas', 'Europe', 'Asia-Pacific', 'Markets'])}</header>
<section class="story">
  <h1>{esc(page['headline'])}</h1>
  <div class="story-meta">{esc(page['shown_date'])} &middot; {esc(page['author'])}</div>
  <div class="story-text">
{paragraphs(page)}
  </div>
  <p class="reporting">(Reporting by {esc(page['author'])}; editing by the {esc(outlet['name'])} desk)</p>
</section>
{related(outlet)}
{footer(outlet)}
</body>
</html>
"""


def template_magazine(page, outlet, url):
    return head(page, outlet, url) + f"""<body class="longform">
<header class="site">{esc(outlet['name'])} {nav(outlet, ['Analysis', 'Regions', 'Podcasts', 'Events'])}</header>
<main class="post">
  <header class="post-header">
    <p class="section">{esc(page.get('kicker', 'Analysis'))}</p>
    <h1 class="post-title">{esc(page['headline'])}</h1>
    <p class="dek">{esc(page['standfirst'])}</p>
    <p class="post-byline">{esc(page['author'])} &mdash; <time datetime="{page['published']}">{esc(page['shown_date'])}</time></p>
  </header>
  <section class="post-body">
{paragraphs(page)}
  </section>
  <section class="author-bio"><p>{esc(page['author'])} writes on foreign policy for {esc(outlet['name'])}.</p></section>
</main>
{related(outlet)}
{footer(outlet)}
</body>
</html>
"""


def template_portal(page, outlet, url):
    return head(page, outlet, url) + f"""<body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<header class="portal-header"><h2><a href="/">{esc(outlet['name'])}</a></h2>
{nav(outlet, ['India', 'World', 'Business', 'Cities', 'Cricket'])}</header>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/world">World</a></div>
<article class="news-detail">
  <h1>{esc(page['headline'])}</h1>
  <h2 class="synopsis">{esc(page['standfirst'])}</h2>
  <div class="byline-row">{esc(page['author'])} | Updated: {esc(page['shown_date'])}</div>
  <div class="detail-text">
{paragraphs(page)}
  </div>
</article>
<div class="trending">{related(outlet)}</div>
{footer(outlet)}
</body>
</html>
"""


TEMPLATES = {
    "classic": template_classic,
    "jsonld": template_jsonld,
    "wire": template_wire,
    "magazine": template_magazine,
    "portal": template_portal,
}


def main():
    gold = []
    names = set()
    for page in PAGES:
        outlet = OUTLETS[page["outlet"]]
        url = f"https://{outlet['host']}{page['path']}"
        name = page["name"]
        assert name not in names, name
        names.add(name)
        text = TEMPLATES[outlet["template"]](page, outlet, url)
        (HERE / f"{name}.html").write_text(text, encoding="utf-8")
        gold.append({
            "page": f"{name}.html",
            "url": url,
            "published": page["published"],
            "event": page["event"],
            "family": page["family"],
            "countries": page["countries"],
            "distractor": page.get("distractor", False),
            "gold_event": GOLD_EVENTS[name],
        })
    assert set(GOLD_EVENTS) == names, set(GOLD_EVENTS) ^ names
    events = {}
    for g in gold:
        events.setdefault(g["event"], []).append(g["page"])
    doc = {
        "description": "Real-world event label of each page (see README.md); "
        "family is visit (announced/cancelled visit) or dialogue (talks held); "
        "countries are the states taking part, used only to pick the page's event "
        "of that family when a page yields several; gold_event is the event a perfect "
        "extractor would publish for the page (scores the clustering alone).",
        "pages": gold,
    }
    (HERE / "gold.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"{len(gold)} pages, {len(events)} events")


if __name__ == "__main__":
    main()
