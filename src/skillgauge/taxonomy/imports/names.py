"""Turn a product name as a standards body writes it into a label, an id and safe aliases.

O*NET writes examples as catalogue entries: "Amazon Web Services AWS software", "Oracle PeopleSoft",
"Microsoft Word". Postings write "AWS", "PeopleSoft", "Word". The rules here derive the spellings
postings use while refusing the ones that would match ordinary English: "Microsoft Word" yields
"MS Word" but never a bare "Word". Whether a bare name is ordinary is decided from how postings
spell it (``WordProfile``: mostly lower-case means an everyday word) plus a short built-in list,
because there is no dictionary offline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Vendors whose name O*NET puts before the product; the bare product name is a candidate alias.
#: Longest first, so "Hewlett Packard Enterprise" wins over "Hewlett Packard".
VENDORS: tuple[str, ...] = tuple(
    sorted(
        (
            "Microsoft", "Oracle", "IBM", "Autodesk", "Adobe", "SAP", "Google", "Apache", "Apple",
            "Amazon", "Amazon Web Services", "AWS", "Atlassian", "Cisco", "Cisco Systems", "Corel",
            "Dassault Systemes", "Esri", "ESRI", "Hewlett Packard", "Hewlett-Packard",
            "Hewlett Packard Enterprise", "HP", "Intuit", "Red Hat", "Salesforce", "Siemens",
            "Symantec", "McAfee", "VMware", "Bentley", "Bentley Systems", "Trimble", "Infor",
            "Sage", "The MathWorks", "MathWorks", "Micro Focus", "Sun Microsystems", "Sun",
            "Teradata", "Informatica", "Tableau", "Citrix", "Dell", "EMC", "NetApp", "Novell",
            "Quest", "SolarWinds", "Splunk", "Broadcom", "CA", "Unify", "Avid", "Apple Inc",
            "Mozilla", "Meta", "Facebook", "Twitter", "LinkedIn", "Zoho", "Epicor", "Kronos",
            "ADP", "Workday", "ServiceNow", "Blackbaud", "Intergraph", "Hexagon", "PTC", "Ansys",
            "ANSYS", "Cadence", "Synopsys", "Mentor Graphics", "National Instruments", "Qlik",
            "MicroStrategy", "Alteryx", "SAS", "Dropbox", "Slack", "Zendesk", "HubSpot",
            "Smartsheet", "Asana", "Trello", "GitHub", "GitLab", "JetBrains",
            "Progress", "Pivotal", "Cloudera", "Hortonworks", "Elastic", "MongoDB", "Docker",
            "Puppet", "Chef", "HashiCorp", "Fortinet", "Palo Alto Networks", "Check Point",
            "Juniper", "Juniper Networks", "Veritas", "Cognizant", "Genesys", "Avaya", "Nuance",
            "Thomson Reuters", "LexisNexis", "Bloomberg", "FactSet", "Wolters Kluwer",
            "StataCorp", "Wolfram Research", "Wolfram", "Maplesoft", "Systat Software",
            "Leica Geosystems", "Golden Software", "McNeel", "TechSmith", "Tenable",
            "Portswigger", "PortSwigger", "AccessData", "Guidance Software", "Unity Technologies",
            "Unreal Technology", "Avid Technology", "Embarcadero", "Econometric Software",
            "Aptech Systems", "Maxon", "Qlik Tech", "Xactware", "HEAT Software",
            "Ultimate Software", "Rockwell", "Rockwell Automation", "Delcam", "UGS",
            "Salesforce.com", "LogMeIn", "iParadigms", "Telvent", "Nuance Communications",
            "Mathsoft", "MathSoft", "SPSS", "Minitab", "OriginLab", "GraphPad", "GraphPad Software",
            "Bentley Systems", "JetBrains", "JFrog", "HashiCorp", "Cloudera", "Databricks",
            "Snowflake", "Confluent", "Elastic NV", "Redis Labs", "Pivotal Software", "Rapid7",
            "Kaspersky", "Sophos", "Trend Micro", "CrowdStrike", "Okta", "Ping Identity",
            "SailPoint", "Veeam", "Commvault", "Acronis", "Barracuda", "WatchGuard", "SonicWall",
            "F5", "F5 Networks", "Riverbed", "Ipswitch", "ManageEngine", "Paessler", "Zabbix",
            "Atlassian Corporation", "Autodesk Inc", "Nemetschek", "Graphisoft", "Vectorworks",
            "Chief Architect", "Siemens PLM Software", "Siemens PLM", "Altair", "COMSOL",
            "MSC Software", "Keysight", "Xilinx", "Intel", "NVIDIA", "Nvidia", "Arm", "ARM",
            "Texas Instruments", "Microchip", "Altium", "Mentor", "OpenAI", "Anthropic", "Meta",
            "Zoom Video Communications", "Box Inc", "Dropbox Inc", "Smartsheet Inc",
        ),
        key=lambda v: (-len(v), v),
    )
)  # fmt: skip

#: Everyday words that postings rarely write in lower case but that are English all the same, and
#: a few product-ish words that are generic (O*NET lists them as if they were products).
_COMMON = """access word teams box project office online publisher outlook paint notes forms lens
    sheets docs slides drive keep photos maps calendar mail contacts contact news search chat meet
    sites classroom translate earth analytics data studio database server cloud connect direct
    link planner bookings stream fusion suite express enterprise business edition professional
    standard basic design designer builder works reader writer viewer editor manager management
    center centre portal gateway platform system systems solutions solution services service tools
    tool software application applications mobile desktop web network networks security monitor
    monitoring storage backup sync share point pages numbers preview messages music books"""
COMMON_WORDS: frozenset[str] = frozenset(_COMMON.split())

#: Acronyms of software *categories*: never an alias of one product ("Eclipse IDE" is not "IDE").
_GENERIC = (
    "IDE ERP CRM CAD CAM CAE CADD EMR EHR GIS POS HRIS HRMS LMS CMS SDK API OS VPN DBMS RDBMS BI OCR"
    " EDI MES SCM WMS PLM PDM SIS ATS ECM DMS MIS"
)
GENERIC_ACRONYMS: frozenset[str] = frozenset(_GENERIC.split())

_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&]{1,7}\Z")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_NON_ID = re.compile(r"[^a-z0-9.+#]+")
_KEY_DROP = re.compile(r"[^0-9a-z+#]+")
_SMALL_WORDS = frozenset({"of", "and", "for", "the", "to", "in", "on", "a", "&"})


@dataclass
class WordProfile:
    """How often postings write each word (case-folded) at all and in lower case.

    A word written in lower case in at least ``ratio`` of its (at least ``min_seen``) occurrences is
    an ordinary word: "word", "access", "box" are; "Tableau", "Jira", "Photoshop" are not.
    """

    total: Counter[str] = field(default_factory=Counter)
    lower: Counter[str] = field(default_factory=Counter)
    ratio: float = 0.25
    min_seen: int = 5

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> WordProfile:
        """Count the words of ``texts`` (plain text; HTML tags are harmless noise here)."""
        profile = cls()
        for text in texts:
            previous: tuple[str, bool] | None = None
            for token in _TOKEN.findall(text):
                folded, lower = token.casefold(), token.islower()
                profile._count(folded, lower)
                if previous is not None:
                    profile._count(f"{previous[0]} {folded}", previous[1] and lower)
                previous = (folded, lower)
        return profile

    def _count(self, key: str, lower: bool) -> None:
        self.total[key] += 1
        if lower:
            self.lower[key] += 1

    def is_ordinary_word(self, word: str) -> bool:
        """One word: in the built-in list, or mostly written in lower case by postings."""
        folded = word.casefold()
        if folded in COMMON_WORDS:
            return True
        seen = self.total[folded]
        return seen >= self.min_seen and self.lower[folded] >= self.ratio * seen

    def is_common(self, word: str) -> bool:
        """Written in lower case at least half the time: a stronger signal than
        ``is_ordinary_word``, used to flag labels (postings write "git" and "pandas" lower case
        often enough to pass the weaker test)."""
        folded = word.casefold()
        seen = self.total[folded]
        return folded in COMMON_WORDS or (seen >= self.min_seen and self.lower[folded] >= seen / 2)

    def is_ordinary(self, phrase: str) -> bool:
        """A one-word phrase as ``is_ordinary_word``; two words when postings mostly write the pair
        in lower case ("web services") or both are in the built-in list ("Data Studio"); longer
        phrases never (a three-word product name is not written by accident)."""
        words = _TOKEN.findall(phrase)
        if len(words) == 1:
            return self.is_ordinary_word(words[0])
        if len(words) != 2:
            return False
        if all(w.casefold() in COMMON_WORDS for w in words):
            return True
        pair = " ".join(w.casefold() for w in words)
        seen = self.total[pair]
        return seen >= self.min_seen and self.lower[pair] >= self.ratio * seen


def norm_key(text: str) -> str:
    """Case-folded, with spaces, hyphens, dots and the like removed: "Business Objects" and
    "BusinessObjects" share a key; "C++" and "C#" keep their signs."""
    return _KEY_DROP.sub("", text.casefold())


def clean_example(example: str) -> str:
    """Drop trademark signs, doubled spaces and a trailing generic "software"."""
    text = re.sub(r"[®™©]", "", example)
    text = re.sub(r"\s+", " ", text).strip()
    stripped = re.sub(r"\s+software\Z", "", text, flags=re.IGNORECASE).strip()
    return stripped or text


def split_trailing_acronym(name: str) -> tuple[str, str | None]:
    """``"Amazon Web Services AWS"`` -> ``("Amazon Web Services", "AWS")``.

    The last word counts as an acronym of the words before it only when their initials (or their
    capitals, for "JavaServer Pages JSP") spell it; a trailing "Pro" or version is left alone.
    """
    words = name.split()
    if len(words) < 2 or not _ACRONYM.match(words[-1]) or not words[-1][:2].isupper():
        return name, None
    acronym = words[-1]
    # "EC2" abbreviates "Elastic Compute Cloud", "S3" "Simple Storage Service"
    target = re.sub(
        r"([a-z])([2-4])",
        lambda m: m.group(1) * int(m.group(2)),
        acronym.replace("&", "").casefold(),
    )
    body = words[:-1]
    for k in range(1, len(body) + 1):
        tail = [w for w in body[-k:] if w.casefold() not in _SMALL_WORDS]
        parts = [p for w in tail for p in re.split(r"[-/]", w) if p]
        initials = "".join(p[0] for p in parts).casefold()
        capitals = "".join(c for p in parts for c in p if c.isupper() or c.isdigit()).casefold()
        if target in (initials, capitals):
            return " ".join(body), acronym
        if len(initials) > len(target):
            break
    # "Extensible markup language XML", "Hypertext markup language HTML": the acronym's letters in
    # order within the words, and all but one of the words' initials among its letters
    for k in range(len(target), 1, -1):
        tail = [w for w in body[-k:] if w.casefold() not in _SMALL_WORDS]
        if len(target) < 3 or len(tail) < 2:
            continue
        joined = "".join(tail).casefold()
        hits = sum(w[0].casefold() in target for w in tail)
        if _is_subsequence(target, joined) and hits >= len(tail) - 1 and hits >= 2:
            return " ".join(body), acronym
    return name, None


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def split_vendor(name: str) -> tuple[str | None, str]:
    """``"Oracle PeopleSoft"`` -> ``("Oracle", "PeopleSoft")``; ``(None, name)`` without a vendor."""
    for vendor in VENDORS:
        if name.startswith(vendor + " ") and len(name) > len(vendor) + 1:
            return vendor, name[len(vendor) + 1 :].strip()
    return None, name


def is_generic(name: str) -> bool:
    """A description rather than a product: "Web browser", "Computer aided design CAD",
    "Relational database management". Every word after the first is lower case (acronyms and
    small words aside)."""
    words = [w for w in name.split() if w.casefold() not in _SMALL_WORDS]
    if len(words) < 2 or not words[0][:1].isupper():
        return False
    rest = [w for w in words[1:] if not (len(w) >= 2 and w.isupper())]
    return bool(rest) and all(w.islower() for w in rest)


def slug(label: str) -> str:
    """A term id from a label: "Oracle PeopleSoft" -> "oracle-peoplesoft"; "C++" keeps its signs."""
    text = _NON_ID.sub("-", label.casefold().replace("&", "and")).strip("-.")
    return re.sub(r"-{2,}", "-", text) or "term"


@dataclass(frozen=True, slots=True)
class DerivedName:
    """What one catalogue name yields: a label, aliases (label first) and why others were not."""

    label: str
    aliases: tuple[str, ...]
    notes: tuple[str, ...]
    generic: bool


def derive(example: str, profile: WordProfile) -> DerivedName:
    """Label and safe aliases of one O*NET example (see the module docstring for the rules)."""
    cleaned = clean_example(example)
    body, acronym = split_trailing_acronym(cleaned)
    vendor, bare = split_vendor(body)
    generic = is_generic(body)
    # "Hypertext markup language HTML": postings say HTML; the expansion stays an alias
    label = acronym if acronym is not None and generic else body
    aliases: list[str] = [label]
    notes: list[str] = []

    def add(alias: str) -> None:
        if alias.casefold() not in {a.casefold() for a in aliases}:
            aliases.append(alias)

    if label != body:
        add(body)
    elif acronym is not None:
        if len(acronym) <= 2:
            notes.append(f"acronym {acronym!r} is two letters: not an alias")
        elif acronym.upper() in GENERIC_ACRONYMS:
            notes.append(f"acronym {acronym!r} names a software category: not an alias")
        elif profile.is_ordinary(acronym):
            notes.append(f"acronym {acronym!r} is an ordinary word: not an alias")
        else:
            add(acronym)
    if vendor is not None:
        if len(bare) < 3:
            notes.append(f"bare name {bare!r} is too short: not an alias")
        elif bare.upper() in GENERIC_ACRONYMS:
            notes.append(f"bare name {bare!r} names a software category: not an alias")
        elif profile.is_ordinary(bare):
            notes.append(f"bare name {bare!r} is an ordinary word: full name only")
        else:
            add(bare)
        if vendor == "Microsoft":
            add(f"MS {bare}")
    if vendor is None and " " not in label and profile.is_common(label):
        notes.append(f"label {label!r} is an ordinary word: needs case_sensitive or context")
    if vendor is not None and bare in aliases and label == body:
        # postings name the product, not the catalogue entry: "AutoCAD", not "Autodesk AutoCAD"
        label = bare
        aliases.remove(bare)
        aliases.insert(0, bare)
    return DerivedName(label, tuple(aliases), tuple(notes), generic and label == body)
