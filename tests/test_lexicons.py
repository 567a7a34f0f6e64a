"""The shipped word lists are general news knowledge: a real table of outlets, no alias that is a short or
ordinary word, and rules that work on texts other than the sample."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import analysis as an
from analysis import lexicons


@pytest.fixture(scope="module")
def outlets() -> pd.DataFrame:
    return lexicons.table("outlets")


def test_outlets_table_shape(outlets):
    assert len(outlets) >= 300
    assert {"name", "aliases", "country", "language", "state_owned", "domain"} <= set(outlets.columns)
    assert outlets["name"].is_unique
    assert set(outlets["state_owned"]) <= {"yes", "no", ""}
    assert (outlets["country"] != "").mean() > 0.95 and (outlets["language"] != "").mean() > 0.95
    assert outlets["country"].nunique() >= 50
    names = set(outlets["name"])
    for wire in ("Reuters", "Associated Press", "Agence France-Presse", "Bloomberg News", "Xinhua", "TASS", "ANSA",
                 "EFE", "dpa", "Kyodo News", "Yonhap", "Press Trust of India"):
        assert wire in names, wire
    for broadcaster in ("BBC", "CNN", "Al Jazeera", "Deutsche Welle", "France 24", "RT", "CGTN", "NHK",
                        "Voice of America", "Radio Free Europe/Radio Liberty"):
        assert broadcaster in names, broadcaster


def test_no_alias_names_two_outlets_and_none_is_short(outlets):
    owner: dict[str, str] = {}
    for row in outlets.itertuples(index=False):
        for alias in [row.name, *filter(None, row.aliases.split("|"))]:
            key = lexicons.name_key(alias)
            assert owner.setdefault(key, row.name) == row.name, f"{alias!r}: {owner[key]} and {row.name}"
            if alias != row.name:
                assert len(re.sub(r"[\W_]", "", alias)) >= 3, f"alias {alias!r} of {row.name} is too short"
    domains = [d for cell in outlets["domain"] for d in cell.split("|") if d]
    assert len(domains) == len(set(domains))


def test_ambiguous_names_and_sample_aliases_are_not_matched():
    known = lexicons.outlets()
    for word in ("IP", "Sky Sports", "the Times", "the Journal", "The Hill", "Time", "The Age", "Dawn", "Hindu",
                 "International Affairs"):
        assert lexicons.name_key(word) not in known, word
    assert known[lexicons.name_key("WSJ")][0] == "The Wall Street Journal"
    assert known[lexicons.name_key("Sky News")][0] == "Sky News"


def test_outlet_from_an_address():
    assert lexicons.outlet_for_url("https://www.bbc.co.uk/news/world-1") == "BBC"
    assert lexicons.outlet_for_url("http://english.news.cn/2024/x.htm") == "Xinhua"
    assert lexicons.outlet_for_url("https://oglobo.globo.com/mundo/") == "O Globo"
    assert lexicons.outlet_for_url("https://example.org/a") is None
    assert lexicons.outlet_for_url(None) is None
    arts = an.load_corpus(pd.DataFrame({"text": ["The council voted on Monday to close the old bridge for repairs."],
                                        "url": ["https://www.theguardian.com/uk-news/2024/mar/04/bridge"]}))
    assert arts.loc[0, "outlet"] == "The Guardian" and "outlet=url" in arts.loc[0, "meta_source"]


@pytest.mark.parametrize("line, published", [
    ("Published: March 3, 2024 10:15 am EST The council voted to close the old bridge for repairs.",
     "March 3, 2024"),
    ("Updated 12 Jan 2023 | The minister resigned after weeks of pressure over the budget.", "12 Jan 2023"),
    ("Posted on 2022-05-01 Flood water closed three roads in the valley overnight.", "2022-05-01"),
])
def test_a_date_label_glued_to_the_first_sentence_is_removed(line, published):
    out = an.corpus.clean_text(line)
    assert out["published"] == published and out["removed"][0][0] == "glued dateline"
    assert out["text"][:1].isupper() and not out["text"].lower().startswith(("published", "updated", "posted"))


def test_loaded_terms_and_frames_are_general_vocabulary():
    terms = set(lexicons.table("loaded_terms")["term"])
    for general in ("regime", "slammed", "radical", "thug", "terrorist", "so-called", "claimed"):
        assert general in terms, general
    assert not terms & {"drawn flak", "inevitable losses", "scrambling", "unacceptability"}
    frames = lexicons.table("frames")
    words = {w for cell in frames["terms"] for w in cell.split("|")}
    assert not words & {"back yard", "sphere of influence", "former soviet", "csto", "redeployment"}
    assert len(frames) == 15
    assert "referring to" not in lexicons.cues()["prep"]


# --------------------------------------------- countries.csv and aliases.csv: the world, not the sample
#: The 193 UN member states, as the UN or the news writes them; each must resolve to a row of countries.csv.
UN_MEMBERS = """Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|Austria|
Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia and Herzegovina|
Botswana|Brazil|Brunei Darussalam|Bulgaria|Burkina Faso|Burundi|Cabo Verde|Cambodia|Cameroon|Canada|
Central African Republic|Chad|Chile|China|Colombia|Comoros|Congo-Brazzaville|Costa Rica|Côte d'Ivoire|Croatia|Cuba|
Cyprus|Czechia|Democratic People's Republic of Korea|Democratic Republic of the Congo|Denmark|Djibouti|Dominica|
Dominican Republic|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|France|
Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|
Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kuwait|
Kyrgyzstan|Lao People's Democratic Republic|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|
Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Marshall Islands|Mauritania|Mauritius|Mexico|Micronesia|Monaco|
Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|
North Macedonia|Norway|Oman|Pakistan|Palau|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|
Republic of Korea|Republic of Moldova|Romania|Russian Federation|Rwanda|Saint Kitts and Nevis|Saint Lucia|
Saint Vincent and the Grenadines|Samoa|San Marino|Sao Tome and Principe|Saudi Arabia|Senegal|Serbia|Seychelles|
Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands|Somalia|South Africa|South Sudan|Spain|Sri Lanka|Sudan|
Suriname|Sweden|Switzerland|Syrian Arab Republic|Tajikistan|Thailand|Timor-Leste|Togo|Tonga|Trinidad and Tobago|
Tunisia|Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|United Kingdom|United Republic of Tanzania|
United States of America|Uruguay|Uzbekistan|Vanuatu|Venezuela|Viet Nam|Yemen|Zambia|Zimbabwe""".replace("\n", "")


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return lexicons.table("countries")


@pytest.fixture(scope="module")
def aliases() -> pd.DataFrame:
    return lexicons.table("aliases")


def test_countries_table_shape(countries):
    assert list(countries.columns) == ["country", "aliases", "demonyms", "capital"]
    assert len(countries) >= 230 and countries["country"].is_unique
    for column in ("aliases", "demonyms"):
        for cell in countries[column]:
            parts = cell.split("|") if cell else []
            assert all(p and p == p.strip() for p in parts), f"{column} cell {cell!r}: empty or padded part"
    assert (countries["capital"] != "").mean() > 0.85
    assert (countries["demonyms"] != "").mean() > 0.85


def test_every_un_member_observer_and_common_territory_resolves(countries):
    members = UN_MEMBERS.split("|")
    assert len(members) == 193 and len(set(members)) == 193
    alias = lexicons.countries()["alias"]
    resolved = {name: alias.get(name.lower()) for name in members}
    assert not [n for n, c in resolved.items() if c is None], "UN members missing"
    assert len(set(resolved.values())) == 193, "two UN members resolve to one row"
    for other in ("Holy See", "State of Palestine", "Taiwan", "Hong Kong", "Kosovo", "Puerto Rico", "Greenland",
                  "Macau", "Western Sahara", "Scotland"):
        assert other.lower() in alias, other


@pytest.mark.parametrize("written, country", [
    ("U.S.", "United States"), ("US", "United States"), ("USA", "United States"), ("America", "United States"),
    ("the United States", "United States"), ("UK", "United Kingdom"), ("Britain", "United Kingdom"),
    ("Great Britain", "United Kingdom"), ("the Netherlands", "Netherlands"), ("Holland", "Netherlands"),
    ("Burma", "Myanmar"), ("Czechia", "Czech Republic"), ("Türkiye", "Turkey"), ("Swaziland", "Eswatini"),
    ("Côte d’Ivoire", "Ivory Coast"), ("DRC", "Democratic Republic of the Congo"), ("the Gambia", "Gambia"),
    ("DPRK", "North Korea"), ("Russian Federation", "Russia"), ("Viet Nam", "Vietnam"),
])
def test_common_names_of_states(written, country):
    assert lexicons.countries()["alias"][written.lower()] == country


@pytest.mark.parametrize("demonym, country", [
    ("Americans", "United States"), ("Britons", "United Kingdom"), ("Dutch", "Netherlands"),
    ("Filipino", "Philippines"), ("Ivorian", "Ivory Coast"), ("Nigerien", "Niger"), ("Nigerian", "Nigeria"),
    ("Emirati", "United Arab Emirates"), ("New Zealander", "New Zealand"),
    ("Palestinian", "Palestine"), ("Taiwanese", "Taiwan"), ("Sudanese", "Sudan"), ("South Sudanese", "South Sudan"),
    ("Burkinabe", "Burkina Faso"), ("Bangladeshi", "Bangladesh"), ("Peruvian", "Peru"), ("Swiss", "Switzerland"),
])
def test_demonyms_resolve(demonym, country):
    assert lexicons.countries()["demonym"][demonym.lower()] == country
    # the first demonym of a row is its singular adjective (the NORP canonical), never a plural or an acronym
    row = lexicons.table("countries").set_index("country").loc[country]
    first = row["demonyms"].split("|")[0]
    assert first[:1].isupper() and not first.isupper()


def test_no_name_of_a_state_means_two_states(countries):
    seen: dict[tuple[str, str], str] = {}
    for row in countries.itertuples(index=False):
        names = [row.country, *filter(None, row.aliases.split("|"))]
        keys = [("name", n.lower()) for n in names] + [("name", n.lower()[4:]) for n in names
                                                        if n.lower().startswith("the ")]
        keys += [("demonym", d.lower()) for d in filter(None, row.demonyms.split("|"))]
        keys += [("capital", row.capital.lower())] if row.capital else []
        for key in dict.fromkeys(keys):
            assert seen.setdefault(key, row.country) == row.country, f"{key}: {seen[key]} and {row.country}"
    # a capital that is also a state's name ("Singapore", "Luxembourg") is that state's own capital
    for key, country in seen.items():
        if key[0] == "capital" and ("name", key[1]) in seen:
            assert seen[("name", key[1])] == country, key


def test_ambiguous_words_are_not_names_of_states():
    table = lexicons.countries()
    # two states ("Congo", "Congolese", "Virgin Islands"), an airline ("Emirates"), a word or file type ("CAR", "PNG"),
    # a two-letter code, a person's name or another place ("Victoria", "Hamilton", "Georgetown", "Jersey"),
    # an ordinary word ("male"), and Brussels, which in news stands for the EU rather than Belgium
    for word in ("congo", "congolese", "virgin islands", "emirates", "car", "png", "nz", "sa", "victoria",
                 "hamilton", "georgetown", "jersey", "male", "brussels", "commonwealth", "central african"):
        assert all(word not in table[part] for part in ("alias", "demonym", "capital")), word


def test_alias_table_shape_and_one_canonical_per_alias(aliases, countries):
    assert list(aliases.columns) == ["alias", "canonical", "label", "government"]
    assert len(aliases) >= 300
    assert set(aliases["label"]) <= {"ORG", "GPE", "LOC", "NORP", "LAW", "FAC", "EVENT", "PERSON"}
    owner: dict[str, str] = {}
    for row in aliases.itertuples(index=False):
        key = row.alias.lower()
        assert owner.setdefault(key, row.canonical) == row.canonical, f"{row.alias!r}: {owner[key]}, {row.canonical}"
    states = set(countries["country"])
    assert set(filter(None, aliases["government"])) <= states
    # an alias that is also a state's name or capital would silently override the state
    known = lexicons.countries()
    clash = [a for a in aliases["alias"] if a.lower() in known["alias"] or a.lower() in known["capital"]]
    assert not clash, clash
    # every canonical is itself an alias, so the full name of an entity resolves to the same row
    assert set(aliases["canonical"]) <= set(aliases["alias"])


def test_aliases_are_neither_short_nor_ambiguous(aliases):
    allowed_short = {"UN", "EU", "US", "UK", "G7", "G8"}  # well-established short forms
    for alias in aliases["alias"]:
        letters = re.sub(r"[\W_]", "", alias)
        assert len(letters) >= 3 or alias in allowed_short or re.sub(r"[.-]", "", alias) in allowed_short, alias
    words = {a.lower() for a in aliases["alias"]}
    for ambiguous in ("gulf", "the gulf", "union", "central command", "congress", "senate", "security council",
                      "commonwealth", "supreme court", "treasury", "house of commons", "icc", "cis", "nsa", "au",
                      "is", "no 10", "wagner", "amnesty", "quad"):
        assert ambiguous not in words, ambiguous


@pytest.mark.parametrize("alias, canonical, government", [
    ("UN", "United Nations", ""), ("U.N.", "United Nations", ""), ("NATO", "NATO", ""),
    ("EU", "European Union", ""), ("WHO", "World Health Organization", ""), ("IMF", "International Monetary Fund", ""),
    ("World Bank", "World Bank", ""), ("WTO", "World Trade Organization", ""), ("OPEC", "OPEC", ""),
    ("African Union", "African Union", ""), ("ASEAN", "ASEAN", ""), ("G-20", "G20", ""), ("Group of Seven", "G7", ""),
    ("the Pentagon", "Pentagon", "United States"), ("Defense Department", "Pentagon", "United States"),
    ("Kremlin", "Kremlin", "Russia"), ("Downing Street", "Downing Street", "United Kingdom"),
    ("White House", "White House", "United States"), ("Elysee", "Élysée", "France"),
    ("Whitehall", "Whitehall", "United Kingdom"), ("Foggy Bottom", "US State Department", "United States"),
    ("State Department", "US State Department", "United States"), ("FBI", "FBI", ""), ("CIA", "CIA", ""),
    ("U.S. Congress", "US Congress", ""), ("ISIL", "Islamic State", ""), ("CENTCOM", "US Central Command", ""),
])
def test_general_news_names(alias, canonical, government):
    row = lexicons.table("aliases").set_index(lexicons.table("aliases")["alias"].str.lower()).loc[alias.lower()]
    assert (row["canonical"], row["government"]) == (canonical, government)
