#!/usr/bin/env python3
"""Regenerates leaders.tsv (heads of state and government, monarchs, foreign
ministers, with tenures) and un_members.tsv from Wikidata-derived tables,
merged with the hand-kept leaders_extra.tsv. See README.md for the sources,
their versions and licences.

    python3 config/gazetteer/build_leaders.py \
        --leaders leaders_history.csv \
        --foreign-ministers fm-snapshot-1.csv fm-snapshot-2.csv ... \
        --foreign-minister-history NZL=nz-wikidata.json DZA=dz-wikidata.json \
        --foreign-ministers-extra config/gazetteer/foreign_ministers_extra.tsv \
        --countries package/countries.json \
        --words /usr/share/dict/american-english

`--words` (Debian `wamerican`) and the Python package `wordfreq` decide which
surnames are also common English words; without them no surname is marked.
"""
import argparse
import csv
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent

# Tenures that ended before this day are left out.
EARLIEST = "1990-01-01"

# Countries whose head of state is a hereditary (or, in Malaysia, elected)
# monarch. A constitutional fact about the country, not about a person.
MONARCHIES = {
    "BEL", "BHR", "BRN", "BTN", "DNK", "ESP", "GBR", "JOR", "JPN", "KHM",
    "KWT", "LIE", "LSO", "LUX", "MAR", "MCO", "MYS", "NLD", "NOR", "OMN",
    "QAT", "SAU", "SWE", "SWZ", "THA", "TON",
}

# Heads of state who hold the office ex officio as head of state of another
# country: the French president is co-prince of Andorra. Their rows in the
# dependent country are left out so that "Macron" means France. (The British
# monarch's rows in the Commonwealth realms stay, as head_of_state rather than
# monarch, so the monarch row of the United Kingdom ranks first.)
EX_OFFICIO = {"AND": "FRA"}

# Family name first, in the order English-language news writes them.
FAMILY_NAME_FIRST = {"CHN", "TWN", "KOR", "PRK", "HKG", "MAC", "KHM"}

# News use the given name alone: patronymic naming ("Abiy", "Isaias",
# "Mahathir", "Anwar") and Thai usage ("Prayut", "Thaksin").
GIVEN_NAME_USED = {"ETH", "ERI", "MYS", "THA"}

# No family names at all ("Min Aung Hlaing"): only the whole name and the
# short names kept by hand ("Suu Kyi").
NO_FAMILY_NAME = {"MMR"}

# German convention for umlauts in English text ("Schroeder", "Koehler").
UMLAUT_COUNTRIES = {"DEU", "AUT", "CHE", "LIE", "LUX"}
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}

# Spanish and Portuguese naming: two family names ("López Obrador").
IBERIAN = {
    "ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "ESP", "GNQ",
    "GTM", "HND", "MEX", "NIC", "PAN", "PER", "PRY", "SLV", "URY", "VEN",
    "AND",
}

PARTICLES = {
    "da", "das", "de", "del", "della", "di", "do", "dos", "du", "la", "le",
    "van", "von", "der", "den", "ter", "ten", "af", "zu", "y", "e",
}
# Tokens that make a name patronymic or a title, so no single token of it is
# a surname ("Mohammed bin Salman", "Sheikh Tamim").
NO_SURNAME_TOKENS = {"bin", "ibn", "bint", "ben", "binti", "bte", "ould", "sheikh", "sheik"}

# A name that starts with a title ("Pope Francis") has no surname.
TITLES = {"Pope", "King", "Queen", "Prince", "Princess", "Emperor", "Sultan", "Emir", "Sheikh"}

# Beyond the UN members: the two observer states, and states most members
# deal with as such.
NON_MEMBER_STATES = {"VAT", "PSE", "TWN", "UNK"}

REGNAL = re.compile(r"^(?:[IVXL]+|[IVXL]+\.)$")
# "Mohammed VI de Marrocos" -> "Mohammed VI" (labels in the source are in
# Portuguese where Wikidata has one; the territorial suffix is dropped).
TERRITORIAL_SUFFIX = re.compile(
    r"^(?P<name>.*?\b[IVXL]+)\b,?\s+(?:(?:Príncipe|Senhor|Conde|Duque)\s+)?(?:de|do|da|dos|das|of)\s+.+$"
)

# Word frequency (wordfreq's Zipf scale) from which a dictionary word is a
# common word: a bare surname spelled like it ("May", "Brown", "Rice") needs
# a title or a first name before it.
COMMON_WORD_ZIPF = 4.5

OFFICES = ("monarch", "head_of_state", "head_of_government", "foreign_minister")


def day(value):
    """ISO day from a Wikidata time string, or '' for unknown values."""
    value = (value or "").strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return ""
    year, month, dd = m.groups()
    month = month if month != "00" else "01"
    dd = dd if dd != "00" else "01"
    return f"{year}-{month}-{dd}"


def fold(text):
    """Diacritic-free form: "Erdoğan" -> "Erdogan", "Løkke" -> "Lokke"."""
    special = {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
               "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "ʻ": "'",
               "ʼ": "'", "‘": "'", "’": "'", "‑": "-", "Þ": "Th", "þ": "th",
               "ð": "d"}
    text = "".join(special.get(c, c) for c in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load_extra():
    """Hand-kept corrections keyed by Wikidata id: English name, extra
    aliases, or `drop` for rows that are not real office holders."""
    extra = {}
    for line in (HERE / "leaders_extra.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        qid, name, aliases, action = (line.split("\t") + ["", "", ""])[:4]
        extra[qid.strip()] = {
            "name": name.strip(),
            "aliases": [a.strip() for a in aliases.split("|") if a.strip()],
            "drop": action.strip() == "drop",
        }
    return extra


def load_countries(path):
    data = json.load(open(path, encoding="utf-8"))
    # world-countries marks the Holy See a member; it is a permanent observer
    # (its pope is in leaders.tsv all the same, see NON_MEMBER_STATES).
    un_members = sorted((c["cca3"], c["name"]["common"]) for c in data
                        if c.get("unMember") and c["cca3"] != "VAT")
    known = {c["cca3"] for c in data}
    names = {}
    for line in (HERE / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        iso3, name, aliases = fields[0], fields[1], fields[2] if len(fields) > 2 else ""
        for n in [name] + aliases.split("|"):
            if n:
                names.setdefault(n.lower(), iso3)
    for label, iso3 in {
        "people's republic of china": "CHN", "republic of ireland": "IRL",
        "the gambia": "GMB", "the bahamas": "BHS", "republic of the congo": "COG",
        "state of palestine": "PSE", "holy see": "VAT", "vatican city": "VAT",
        "east timor": "TLS", "ivory coast": "CIV", "federated states of micronesia": "FSM",
        "united states of america": "USA", "são tomé and príncipe": "STP",
    }.items():
        names[label] = iso3
    return un_members, known, names


def clean_name(label, office, qid, extra):
    if qid in extra and extra[qid]["name"]:
        return extra[qid]["name"]
    if office == "monarch":
        m = TERRITORIAL_SUFFIX.match(label)
        if m:
            return m.group("name")
    return label


def name_forms(name, iso3, office):
    """(full forms, short forms): alternative spellings of the whole name, and
    the bare surname-like forms news use alone ("Merkel", "Lee")."""
    full, short = [], []
    tokens = name.replace(",", " ").split()
    regnal = any(REGNAL.match(t) for t in tokens)
    titled = tokens and tokens[0] in TITLES
    if regnal or titled or len(tokens) < 2 or office == "monarch" or iso3 in NO_FAMILY_NAME:
        return full, short
    if iso3 in GIVEN_NAME_USED:
        return full, [tokens[0]]
    lowered = {t.lower() for t in tokens}
    # "Joseph Wu", "Carrie Lam": an English given name puts the family name
    # last; family names written first are short ("Xi", "Moon", "Tsai").
    if iso3 in FAMILY_NAME_FIRST and len(tokens[0]) <= 5:
        short.append(tokens[0])
        # "Lee Jae-myung" / "Lee Jae Myung" / "Lee Jaemyung"
        rest = tokens[1:]
        if any("-" in t for t in rest):
            spaced = [p[:1].upper() + p[1:] for t in rest for p in t.split("-")]
            full.append(" ".join([tokens[0]] + spaced))
            joined = [t.replace("-", "").lower().capitalize() for t in rest]
            full.append(" ".join([tokens[0]] + joined))
        elif len(rest) == 1 and len(rest[0]) > 3:
            pass
    elif not lowered & NO_SURNAME_TOKENS:
        # surname with its particles: "von der Leyen", "da Silva"
        i = len(tokens) - 1
        while i > 1 and tokens[i - 1].lower() in PARTICLES:
            i -= 1
        surname = " ".join(tokens[i:])
        if not REGNAL.match(tokens[-1]) and not tokens[-1].endswith("."):
            short.append(surname)
            last = tokens[-1]
            for prefix in ("al-", "Al-", "el-", "El-"):
                if last.startswith(prefix) and len(last) > len(prefix) + 2:
                    short.append(last[len(prefix):])
            if surname != last and tokens[i].lower() in PARTICLES:
                short.append(last)
        given = [t for t in tokens[:i] if t.lower() not in PARTICLES]
        if iso3 in IBERIAN and len(given) >= 2:
            # "Adolfo Rodríguez Saá": paternal and maternal family names
            short.append(" ".join(tokens[i - 1:]))
        elif len(given) >= 2 and not any(t.endswith(".") for t in given):
            # "Recep Tayyip Erdoğan" -> "Tayyip Erdoğan", "Recep Erdoğan"
            for g in given[:2]:
                full.append(f"{g} {surname}")
    return full, short


def read_wikidata_leaders(path, extra):
    rows = []
    for r in csv.DictReader(open(path, encoding="utf-8")):
        qid, label, iso3 = r["person_qid"], r["person"].strip(), r["iso3"]
        if not re.fullmatch(r"Q\d+", qid) or label == qid and not (qid in extra and extra[qid]["name"]):
            continue
        if qid in extra and extra[qid]["drop"]:
            continue
        start, end = day(r["start"]), day(r["end"])
        if not start:
            continue  # undated statements are mostly fiction or legend
        if end and (end < EARLIEST or end < start):
            continue  # out of range, or a source error
        role = r["role"]
        if role == "head_of_state" and iso3 in MONARCHIES:
            role = "monarch"
        rows.append({"qid": qid, "label": label, "office": role, "iso3": iso3,
                     "start": start, "end": end})
    return rows


def read_position_holders(specs, extra):
    """Dated holders of one country's foreign ministry from a Wikidata
    position-history query result (`ISO3=wikidata.json`: a list of
    {item: {value, label}, start, end})."""
    rows = []
    for spec in specs:
        iso3, _, path = spec.partition("=")
        for r in json.load(open(path, encoding="utf-8")):
            qid, label = r["item"]["value"], r["item"].get("label", "").strip()
            start, end = day(r.get("start")), day(r.get("end"))
            if not re.fullmatch(r"Q\d+", qid) or not label or not start:
                continue
            if qid in extra and extra[qid]["drop"]:
                continue
            rows.append({"qid": qid, "label": label, "office": "foreign_minister",
                         "iso3": iso3, "start": start, "end": end})
    return rows


def read_foreign_ministers(paths, country_names, extra, history=()):
    """Union of snapshots of the current foreign ministers and dated
    position histories. A tenure without an end ends where the next minister
    of the same country starts."""
    seen = {(r["qid"], r["iso3"], r["start"]): dict(r) for r in history}
    for path in paths:
        for r in csv.DictReader(open(path, encoding="utf-8")):
            qid, label = r.get("person", ""), (r.get("name") or "").strip()
            iso3 = country_names.get((r.get("countryLabel") or "").lower())
            start = day(r.get("start"))
            if not re.fullmatch(r"Q\d+", qid) or not label or not iso3 or not start:
                continue
            if qid in extra and extra[qid]["drop"]:
                continue
            seen.setdefault((qid, iso3, start), {"qid": qid, "label": label,
                                                 "office": "foreign_minister",
                                                 "iso3": iso3, "start": start, "end": ""})
    by_country = defaultdict(list)
    for row in seen.values():
        by_country[row["iso3"]].append(row)
    rows = []
    for iso3, tenures in by_country.items():
        tenures.sort(key=lambda t: t["start"])
        # The 2022 snapshots say only "in office then": a hand-kept tenure of
        # the same person that covers it and has an end is later knowledge.
        for current in tenures:
            if not current["end"]:
                current["end"] = max((t["end"] for t in tenures
                                      if t.get("hand") and t["qid"] == current["qid"]
                                      and t["start"] <= current["start"] < t["end"]), default="")
        for i, current in enumerate(tenures):
            successor = next((t for t in tenures[i + 1:] if t["qid"] != current["qid"]), None)
            if not current["end"] and successor:
                current["end"] = successor["start"]
        rows.extend(t for t in tenures if not t["end"] or t["end"] >= EARLIEST)
    return rows


def read_foreign_ministers_extra(path):
    """Hand-compiled dated foreign ministers (foreign_ministers_extra.tsv):
    name, aliases, short forms, iso3, start, end, id (Wikidata or local)."""
    rows = []
    if not path:
        return rows
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 7:
            raise SystemExit(f"{path}:{number}: expected 7 tab-separated columns")
        name, aliases, short, iso3, start, end, ident = (f.strip() for f in fields)
        if not re.fullmatch(r"Q\d+|local:fm:[A-Z]{3}:[a-z0-9-]+", ident):
            raise SystemExit(f"{path}:{number}: `{ident}` is neither a Wikidata nor a local id")
        if day(start) != start or (end and day(end) != end) or (end and end < start):
            raise SystemExit(f"{path}:{number}: bad tenure {start}..{end}")
        if end and end < EARLIEST:
            continue
        rows.append({"qid": ident, "label": name, "office": "foreign_minister", "iso3": iso3,
                     "start": start, "end": end, "hand": True,
                     "aliases": [a.strip() for a in aliases.split("|") if a.strip()],
                     "short": [a.strip() for a in short.split("|") if a.strip()]})
    return rows


def person_forms(row, extra):
    """Folded whole-name forms of a row's person, for matching identities."""
    name = clean_name(row["label"], row["office"], row["qid"], extra)
    forms = [name, row["label"]] + name_forms(name, row["iso3"], row["office"])[0]
    forms += [a for a in row.get("aliases", []) if " " in a]
    withdrawn = {a[1:] for a in row.get("aliases", []) if a.startswith("-")}
    forms = [f for f in forms if f not in withdrawn and not f.startswith("-")]
    if row["qid"] in extra:
        forms += [a for a in extra[row["qid"]]["aliases"] if " " in a]
    # "Sheikh Abdullah bin Zayed Al Nahyan" is "Abdullah bin Zayed Al Nahyan"
    forms += [f.split(" ", 1)[1] for f in forms if f.split(" ", 1)[0] in TITLES and " " in f]
    return {fold(f).lower() for f in forms}


def resolve_local_ids(extra_rows, known_rows, extra):
    """A local id becomes the Wikidata id of the one person of the same
    country in the Wikidata-derived rows who shares a whole-name form, so a
    minister who also led the government stays one person."""
    index = defaultdict(set)
    for r in known_rows:
        for form in person_forms(r, extra):
            index[(r["iso3"], form)].add(r["qid"])
    for r in extra_rows:
        if not r["qid"].startswith("local:"):
            continue
        matches = set()
        for form in person_forms(r, extra):
            matches |= index.get((r["iso3"], form), set())
        if len(matches) == 1:
            r["qid"] = matches.pop()
        elif matches:
            print(f"warning: {r['label']} ({r['iso3']}) matches {sorted(matches)}; kept {r['qid']}")
    # The hand-kept dates have month precision: a Wikidata day in the same
    # month for the same person and office is more precise.
    days = defaultdict(set)
    for r in known_rows:
        if r["office"] == "foreign_minister":
            days[(r["qid"], r["iso3"])].update(d for d in (r["start"], r["end"]) if d)
    for r in extra_rows:
        for key in ("start", "end"):
            same_month = sorted(d for d in days.get((r["qid"], r["iso3"]), ())
                                if r[key] and d[:7] == r[key][:7])
            if same_month:
                r[key] = same_month[0] if key == "start" else same_month[-1]


# Collegial executives whose chair rotates among ministers who keep their
# department: Switzerland's president of the Confederation (a one-year turn
# of a Federal Council member) stays head of his department, so becoming head
# of state does not end a foreign minister's tenure there.
ROTATING_CHAIR = {"CHE"}


def end_ministry_on_promotion(rows):
    """A foreign minister who becomes head of state or government of the same
    country leaves the ministry that day (Wikidata often lacks the end)."""
    promotions = defaultdict(list)
    for r in rows:
        if r["office"] != "foreign_minister" and r["iso3"] not in ROTATING_CHAIR:
            promotions[(r["qid"], r["iso3"])].append(r["start"])
    for r in rows:
        if r["office"] == "foreign_minister" and not r["end"]:
            later = [s for s in promotions.get((r["qid"], r["iso3"]), []) if s > r["start"]]
            if later:
                r["end"] = min(later)


# Commonwealth realms: the British monarch is head of state; the governor-
# general rows the source gives as heads of state are representatives, and
# are left out for the periods the monarch reigns there.
REALMS = {
    "ATG", "AUS", "BHS", "BLZ", "BRB", "CAN", "GRD", "JAM", "KNA", "LCA",
    "NZL", "PNG", "SLB", "TUV", "VCT",
}


def drop_governors_general(rows):
    british = {r["qid"] for r in rows if r["iso3"] == "GBR" and r["office"] == "monarch"}
    reigns = defaultdict(list)
    for r in rows:
        if r["iso3"] in REALMS and r["office"] == "head_of_state" and r["qid"] in british:
            reigns[r["iso3"]].append((r["start"], r["end"] or "9999-12-31"))

    def under_monarch(r):
        start, end = r["start"], r["end"] or "9999-12-31"
        return any(start < e and s < end for s, e in reigns[r["iso3"]])

    return [r for r in rows
            if not (r["iso3"] in REALMS and r["office"] == "head_of_state"
                    and r["qid"] not in british and under_monarch(r))]


def drop_ex_officio(rows):
    holders = defaultdict(set)
    for r in rows:
        if r["office"] in ("monarch", "head_of_state"):
            holders[r["iso3"]].add(r["qid"])
    return [r for r in rows
            if not (r["iso3"] in EX_OFFICIO and r["office"] in ("monarch", "head_of_state")
                    and r["qid"] in holders[EX_OFFICIO[r["iso3"]]])]


def merge_tenures(rows):
    """One row per person, office, country and unbroken tenure: terms that
    touch or overlap (re-election, duplicated statements) are merged."""
    groups = defaultdict(list)
    for r in rows:
        groups[(r["qid"], r["office"], r["iso3"])].append(r)
    merged = []
    for tenures in groups.values():
        tenures.sort(key=lambda t: t["start"])
        current = dict(tenures[0])
        for t in tenures[1:]:
            if not current["end"] or t["start"] <= next_day(current["end"]):
                if current["end"] and (not t["end"] or t["end"] > current["end"]):
                    current["end"] = t["end"]
                for key in ("aliases", "short"):
                    current[key] = current.get(key, []) + t.get(key, [])
            else:
                merged.append(current)
                current = dict(t)
        merged.append(current)
    return merged


# Heads of state held by several people at once: a collegial presidency or
# a pair of captains regent, and Nicaragua's co-presidents since 2025.
SHARED_HEADSHIP = {"BIH", "CHE", "NIC", "SMR"}


def end_superseded_tenures(rows):
    """An open tenure ends where the next holder of the same single-holder
    office in the same country begins: the source often lacks the end of a
    term (acting leaders, predecessors), and an open row would keep two
    people in office, making their short names ambiguous."""
    groups = defaultdict(list)
    for r in rows:
        shared = r["iso3"] in SHARED_HEADSHIP and r["office"] == "head_of_state"
        if not shared:
            groups[(r["iso3"], r["office"])].append(r)
    for tenures in groups.values():
        for r in tenures:
            if r["end"]:
                continue
            successors = [t["start"] for t in tenures
                          if t["qid"] != r["qid"] and t["start"] > r["start"]]
            if successors:
                r["end"] = min(successors)


def next_day(iso):
    from datetime import date, timedelta
    y, m, d = map(int, iso.split("-"))
    return (date(y, m, d) + timedelta(days=2)).isoformat()


class CommonWords:
    def __init__(self, words_path):
        self.words = set()
        self.zipf = None
        if words_path and Path(words_path).exists():
            self.words = {w.strip() for w in open(words_path, encoding="utf-8")
                          if w.strip() and w.strip().islower()}
            try:
                from wordfreq import zipf_frequency
                self.zipf = zipf_frequency
            except ImportError:
                self.zipf = None

    def is_common(self, form):
        low = form.lower()
        if " " in low or low not in self.words or self.zipf is None:
            return False
        return self.zipf(low, "en") >= COMMON_WORD_ZIPF


def unique(seq, exclude=()):
    out = []
    for s in seq:
        if s and s not in out and s not in exclude:
            out.append(s)
    return out


def build_rows(rows, extra, common):
    out = []
    for r in rows:
        name = clean_name(r["label"], r["office"], r["qid"], extra)
        full, short = name_forms(name, r["iso3"], r["office"])
        if r["qid"] in extra:
            for alias in extra[r["qid"]]["aliases"]:
                (short if " " not in alias else full).append(alias)
        # hand-kept forms; a leading "-" withdraws a generated form that
        # names someone else more often ("Ayub Khan", "Singh", "Ali")
        withdrawn = {a[1:] for a in r.get("aliases", []) + r.get("short", []) if a.startswith("-")}
        full = [f for f in full + r.get("aliases", []) if f not in withdrawn and not f.startswith("-")]
        short = [f for f in short + r.get("short", []) if f not in withdrawn and not f.startswith("-")]
        if r["label"] != name and r["office"] != "monarch":
            full.append(r["label"])
        full = full + [fold(f) for f in [name] + full]
        short = short + [fold(s) for s in short]
        if r["iso3"] in UMLAUT_COUNTRIES:
            umlauted = lambda t: "".join(UMLAUTS.get(c, c) for c in t)
            full = full + [umlauted(f) for f in [name] + full]
            short = short + [umlauted(s) for s in short]
        full = unique(full, exclude=(name,))
        short = unique(short, exclude=(name,))
        short = [("~" + s) if common.is_common(s) else s for s in short]
        out.append((name, "|".join(full), "|".join(short), r["office"], r["iso3"],
                    r["start"], r["end"], r["qid"]))
    out.sort(key=lambda t: (t[4], t[3], t[5], t[0]))
    return out


HEADER = """\
# name\taliases (|)\tshort forms (|; ~ = also a common word)\toffice\tiso3\tstart\tend (empty: in office)\twikidata
# Generated by build_leaders.py from Wikidata-derived tables (see README.md) +
# leaders_extra.tsv. Edit leaders_extra.tsv and re-run rather than editing this file.
# office: monarch | head_of_state | head_of_government | foreign_minister
# aliases: other spellings of the whole name; short forms: what news use alone
# ("Merkel", "Lula"), resolved only when one office holder of the day has it.
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaders", required=True)
    parser.add_argument("--foreign-ministers", nargs="*", default=[])
    parser.add_argument("--foreign-minister-history", nargs="*", default=[],
                        metavar="ISO3=wikidata.json")
    parser.add_argument("--foreign-ministers-extra", default=None,
                        metavar="foreign_ministers_extra.tsv")
    parser.add_argument("--countries", required=True)
    parser.add_argument("--words", default="/usr/share/dict/american-english")
    args = parser.parse_args()

    extra = load_extra()
    un_members, known, country_names = load_countries(args.countries)
    rows = read_wikidata_leaders(args.leaders, extra)
    history = read_position_holders(args.foreign_minister_history, extra)
    hand = read_foreign_ministers_extra(args.foreign_ministers_extra)
    snapshots = read_foreign_ministers(args.foreign_ministers, country_names, extra, history)
    resolve_local_ids(hand, rows + snapshots, extra)
    rows += read_foreign_ministers(args.foreign_ministers, country_names, extra, history + hand)
    states = {iso3 for iso3, _ in un_members} | NON_MEMBER_STATES
    rows = [r for r in rows if r["iso3"] in known and r["iso3"] in states]
    end_ministry_on_promotion(rows)
    rows = drop_ex_officio(rows)
    rows = drop_governors_general(rows)
    rows = merge_tenures(rows)
    end_superseded_tenures(rows)
    table = build_rows(rows, extra, CommonWords(args.words))

    with open(HERE / "leaders.tsv", "w", encoding="utf-8") as f:
        f.write(HEADER)
        for row in table:
            f.write("\t".join(row) + "\n")
    with open(HERE / "un_members.tsv", "w", encoding="utf-8") as f:
        f.write("# iso3\tname\n# UN member states; generated by build_leaders.py from world-countries (ODbL-1.0).\n")
        for iso3, name in un_members:
            f.write(f"{iso3}\t{name}\n")
    print(f"{len(table)} rows, {len({r[7] for r in table})} persons")


if __name__ == "__main__":
    main()
