"""The loader: formats, metadata, boilerplate, and every kind of bad input keeps its row with a reason."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import analysis as an
from analysis.corpus import ARTICLE_COLUMNS, clean_text

BODY = ("Officials said on Monday that the talks had failed. The minister called the outcome "
        "regrettable and said new talks would start in May.\n\nMore paragraphs follow here with words.")


def write(folder, name, data):
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def row(arts, article_id):
    match = arts[arts.article_id == article_id]
    assert len(match) == 1, f"{article_id} not in {arts.article_id.tolist()}"
    return match.iloc[0]


# ---------------------------------------------------------------- the seeds


def test_seeds_load_with_metadata_from_the_sidecar(seed_articles):
    arts = seed_articles
    assert list(arts.columns[: len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    assert len(arts) == 5 and arts.article_id.is_unique
    assert (arts.status != "error").all()
    by_id = arts.set_index("article_id")
    assert by_id.loc["003_f93a9d38d73ec396", "outlet"] == "Press TV"
    assert by_id.loc["004_0c706563df38222f", "author"] == "Dave DeCamp"
    assert by_id.loc["002_0d4f919a10850eaa", "published"] == pd.Timestamp("2021-08-20")
    assert pd.isna(by_id.loc["000_dedd1b58b1b4978b", "published"])
    # Outlets the texts do not name stay distinct and say so.
    assert by_id.loc["001_b304420120629e83", "outlet"].startswith("unknown (")
    assert "outlet unknown" in by_id.loc["001_b304420120629e83", "problem"]


def test_seed_boilerplate_is_removed_and_kept_aside(seed_articles):
    by_id = seed_articles.set_index("article_id")
    text0 = by_id.loc["000_dedd1b58b1b4978b", "text"]
    assert "Related News" not in text0 and "Read More" not in text0
    assert "US, Russia FMs discuss Iran nuclear deal" not in text0
    assert "Iran PressCommentary" not in text0 and not text0.startswith("IP-")
    assert text0.rstrip().endswith("Temur Umarov wrote in Carnegie Moscow center.")
    assert "The US had established temporary bases in Uzbekistan" in text0  # body after the links survives
    assert "Leave a Reply" not in by_id.loc["001_b304420120629e83", "text"]
    text2 = by_id.loc["002_0d4f919a10850eaa", "text"]
    assert text2.startswith("Russian President Vladimir Putin told") and "(Image: AP)" not in text2
    text3 = by_id.loc["003_f93a9d38d73ec396", "text"]
    assert "Editor's Choice" not in text3 and "File photo" not in text3 and "Roku" not in text3
    assert text3.startswith("Russia warns against US troop deployments")
    assert "follow him on Twitter" not in by_id.loc["004_0c706563df38222f", "text"]
    removed = an.removed_lines(seed_articles)
    reasons = set(removed.reason)
    assert {"related links", "comment form", "breadcrumb", "image caption", "mirror addresses", "byline",
            "glued dateline", "section label"} <= reasons
    # nothing lost: every removed line is in the original file
    for r in removed.itertuples():
        raw = (an.corpus.Path(row(seed_articles, r.article_id).path)).read_text(encoding="utf-8")
        assert r.line.replace("\xa0", " ").split()[0] in raw.replace("\xa0", " ")


def test_seed_files_are_unchanged(seeds_dir):
    import hashlib

    sums = dict(line.split()[::-1] for line in (seeds_dir.parent / "tests" / "data" / "seeds.sha256").read_text()
                .splitlines())
    assert sorted(sums) == sorted(p.name for p in seeds_dir.glob("*.txt"))
    for name, digest in sums.items():
        assert hashlib.sha256((seeds_dir / name).read_bytes()).hexdigest() == digest, name
    shared = seeds_dir.parent.parent / "shared" / "seeds"
    for src in shared.glob("*.txt"):  # and, where the shared copy is beside the checkout, equal to it
        assert (seeds_dir / src.name).read_bytes() == src.read_bytes(), src.name


def test_ids_are_stable_across_runs(seeds_dir):
    a, b = an.load_corpus(seeds_dir), an.load_corpus(seeds_dir)
    assert a.article_id.tolist() == b.article_id.tolist()
    assert a.sha1.tolist() == b.sha1.tolist()


# ---------------------------------------------------------------- bad input, one case each


@pytest.fixture
def bad_corpus(tmp_path):
    write(tmp_path, "good.txt", "A headline about talks\n\n" + BODY)
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "blank.txt", "   \n\n  \n")
    write(tmp_path, "binary.txt", bytes(range(256)) * 4)
    write(tmp_path, "scan.txt", b"%PDF-1.7\n" + bytes(200))
    write(tmp_path, "latin1.txt", ("Caf\u00e9 owners in S\u00e3o Paulo said prices rose. " * 5).encode("latin-1"))
    write(tmp_path, "good_copy.txt", "A headline about talks\n\n" + BODY)
    write(tmp_path, "notes.docx", b"PK\x03\x04 not really a docx")
    write(tmp_path, "broken.json", '{"text": "unterminated')
    write(tmp_path, "only_boilerplate.txt", "Leave a Reply\n\nYour email address will not be published.\n")
    write(tmp_path, "metadata.csv",
          "file,outlet,title,published,author,url,notes\n"
          "good.txt,Daily Good,Talks fail,2021-07-13,Ann Lee,https://example.org/a,\n"
          "latin1.txt,Folha,\"bad, row\",2021-07-14,x,y,z,too,many\n"
          "good_copy.txt,Daily Copy,,not a date,,,\n"
          "ghost.txt,Nowhere,,,,,\n")
    return tmp_path


def test_every_bad_input_keeps_its_row_with_a_reason(bad_corpus):
    arts = an.load_corpus(bad_corpus)
    assert set(arts.article_id) == {"good", "empty", "blank", "binary", "scan", "latin1", "good_copy", "notes",
                                    "broken", "only_boilerplate", "ghost"}
    good = row(arts, "good")
    assert good.status == "ok" and good.problem == ""
    assert (good.outlet, good.title, good.author) == ("Daily Good", "Talks fail", "Ann Lee")
    assert good.published == pd.Timestamp("2021-07-13")

    expected = {
        "empty": ("error", "empty file"),
        "blank": ("error", "empty file"),
        "binary": ("error", "binary file"),
        "scan": ("error", "a PDF document"),
        "notes": ("error", "unsupported file type '.docx'"),
        "broken": ("error", "malformed JSON"),
        "only_boilerplate": ("error", "no article text left after removing boilerplate"),
        "ghost": ("error", "listed in metadata.csv (line 5) but the file is missing"),
        "latin1": ("warning", "not UTF-8"),
    }
    for art_id, (status, words) in expected.items():
        r = row(arts, art_id)
        assert r.status == status, (art_id, r.status, r.problem)
        assert words in r.problem, (art_id, r.problem)
    latin = row(arts, "latin1")
    assert "Café owners in São Paulo" in latin.text
    assert "metadata.csv line 3 is unreadable" in latin.problem  # the malformed metadata row
    assert latin.outlet.startswith("unknown")  # its metadata was ignored, not half-applied
    dup = row(arts, "good_copy")
    assert dup.status == "error" and "duplicate of article good" in dup.problem
    assert "published date 'not a date' could not be read" in dup.problem


def test_a_bad_file_does_not_stop_the_rest(bad_corpus):
    arts = an.load_corpus(bad_corpus)
    assert (arts.status == "ok").sum() == 1
    unread = arts[(arts.status == "error") & ~arts.problem.str.contains("duplicate")]
    assert unread.text.eq("").all()
    problems = an.corpus_problems(arts)
    assert set(problems.article_id) == set(arts.article_id[arts.status != "ok"])


def test_unreadable_metadata_file_is_reported_on_every_article(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "metadata.csv", "name;outlet\na.txt;X\n")
    arts = an.load_corpus(tmp_path)
    assert row(arts, "a").status == "warning"
    assert "has neither a 'file' nor an 'article_id' column" in row(arts, "a").problem


def test_missing_folder_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus not found"):
        an.load_corpus(tmp_path / "nope")


# ---------------------------------------------------------------- formats


def test_formats_json_jsonl_csv_md_html(tmp_path):
    write(tmp_path, "a.json", json.dumps({"headline": "Json title", "body": BODY, "source": "Json Times",
                                          "date": "2021-07-13T10:00:00Z", "authors": ["A One", "B Two"]}))
    write(tmp_path, "b.jsonl", "\n".join([json.dumps({"id": "x1", "text": BODY + " one", "outlet": "L"}),
                                          "{not json",
                                          json.dumps({"id": "x3", "title": "no text here"})]))
    write(tmp_path, "c.csv", "title,text,outlet\nCsv one," + json.dumps(BODY + " csv") + ",C1\n")
    write(tmp_path, "d.md", "---\ntitle: Front matter title\noutlet: Md Daily\n---\n# Heading\n\n"
                            "Read [the report](https://x.org) today. " + BODY + "\n\n![img](a.png)\n")
    write(tmp_path, "e.html", "<html><head><title>Html title</title></head><body><article><h1>Html title</h1>"
                              + "".join(f"<p>{BODY} Paragraph {i}.</p>" for i in range(4))
                              + "</article><footer>Copyright</footer></body></html>")
    arts = an.load_corpus(tmp_path)
    a = row(arts, "a")
    assert (a.title, a.outlet, a.author) == ("Json title", "Json Times", "A One, B Two")
    assert a.published == pd.Timestamp("2021-07-13 10:00:00")
    assert row(arts, "x1").outlet == "L"
    bad_line = arts[arts.problem.str.contains("line 2: malformed JSON")]
    assert len(bad_line) == 1 and bad_line.iloc[0].status == "error"
    assert "has no text" in row(arts, "x3").problem
    c = row(arts, "c")
    assert (c.title, c.outlet, c.status) == ("Csv one", "C1", "warning")  # warning: no date
    d = row(arts, "d")
    assert (d.title, d.outlet) == ("Front matter title", "Md Daily")
    assert "Read the report today." in d.text and "https://" not in d.text and "![" not in d.text
    e = row(arts, "e")
    assert e.status != "error", e.problem
    assert e.title == "Html title" and "Paragraph 3." in e.text


def test_csv_without_text_column(tmp_path):
    write(tmp_path, "x.csv", "headline,outlet\nA,B\n")
    r = row(an.load_corpus(tmp_path), "x")
    assert r.status == "error" and "CSV has no text column" in r.problem


def test_dataframe_source_is_not_mutated():
    frame = pd.DataFrame({"text": [BODY, BODY + " x", None], "outlet": ["A", "B", "C"],
                          "published": ["2021-07-13", "bad", None], "lean": ["l", "r", "c"]})
    before = frame.copy()
    arts = an.load_corpus(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert arts.article_id.tolist() == ["0", "1", "2"]
    assert arts.loc[0, "published"] == pd.Timestamp("2021-07-13") and arts.loc[0, "status"] == "ok"
    assert "published date 'bad' could not be read" in arts.loc[1, "problem"]
    assert arts.loc[2, "status"] == "error"
    assert arts["lean"].tolist() == ["l", "r", "c"]  # extra columns pass through
    with pytest.raises(KeyError, match="no 'body' column"):
        an.load_corpus(frame, text_col="body")


def test_duplicate_stems_get_distinct_ids(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "a.md", BODY + " And a different ending.")
    arts = an.load_corpus(tmp_path)
    assert sorted(arts.article_id) == ["a", "a-2"]


def test_readme_and_hidden_files_are_not_articles(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "README.md", "# About this corpus\n\nIt has one article.")
    write(tmp_path, ".DS_Store", b"\x00\x01")
    assert an.load_corpus(tmp_path).article_id.tolist() == ["a"]


# ---------------------------------------------------------------- inference from the text


def test_metadata_inferred_from_text_when_no_sidecar(tmp_path):
    write(tmp_path, "p.txt", "Iran PressCommentary: " + BODY + "\n\nPress TV’s website can also be accessed at "
                             "the following alternate addresses:\n\nPress TV News Roku\n")
    write(tmp_path, "q.txt", "Big Headline Here\n\nBy Maria Lopez\n\nPARIS (Reuters) - " + BODY)
    write(tmp_path, "r.txt", "date 2021-08-20 " + BODY)
    arts = an.load_corpus(tmp_path)
    p, q, r = row(arts, "p"), row(arts, "q"), row(arts, "r")
    assert p.outlet == "Press TV" and "Roku" not in p.text and p.text.startswith("Officials said")
    assert (q.title, q.author, q.outlet, q.dateline) == ("Big Headline Here", "Maria Lopez", "Reuters",
                                                        "PARIS (Reuters)")
    assert "PARIS" not in q.text and "Officials said on Monday" in q.text
    assert r.published == pd.Timestamp("2021-08-20") and r.text.startswith("Officials")
    assert "published=text" in r.meta_source


def test_clean_text_keeps_prose_after_related_links():
    out = clean_text("Lead paragraph here.\n\nRead more:\n\nLink one\n\nLink two\n\nBack to the story, which goes on.")
    assert out["text"] == "Lead paragraph here.\n\nBack to the story, which goes on."
    assert [line for _, line in out["removed"]] == ["Read more:", "Link one", "Link two"]


def test_mojibake_is_repaired(tmp_path):
    write(tmp_path, "m.txt", "The minister’s aide said “no” to the plan’s critics. " * 3)
    raw = (tmp_path / "m.txt").read_bytes()
    double = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in raw)  # as a browser would
    write(tmp_path, "m.txt", double)
    r = row(an.load_corpus(tmp_path), "m")
    assert "minister’s aide" in r.text and "mojibake" in r.problem and r.status == "warning"


# ---------------------------------------------------------------- nothing lost, nothing stops the corpus (3/5)


def test_subfolders_are_read_with_their_path(tmp_path):
    write(tmp_path, "a.txt", BODY)
    (tmp_path / "wire" / "june").mkdir(parents=True)
    write(tmp_path / "wire" / "june", "a.txt", BODY + " From the wire.")
    (tmp_path / "empty_dir").mkdir()
    arts = an.load_corpus(tmp_path)
    assert sorted(arts.article_id) == ["a", "empty_dir", "wire_june_a"]
    sub = row(arts, "wire_june_a")
    assert sub.path.endswith("wire/june/a.txt") and "From the wire." in sub.text
    assert row(arts, "empty_dir").status == "error" and "empty folder" in row(arts, "empty_dir").problem
    flat = an.load_corpus(tmp_path, recursive=False)
    assert "not read (load_corpus(..., recursive=False))" in row(flat, "wire").problem


def test_links_loops_and_odd_entries_get_error_rows(tmp_path):
    import os

    write(tmp_path, "a.txt", BODY)
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path / "loop_b.txt", tmp_path / "loop_a.txt")
    os.symlink(tmp_path / "loop_a.txt", tmp_path / "loop_b.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "also_a.txt")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "b.txt", BODY + " In the sub-folder.")
    os.symlink(tmp_path, tmp_path / "sub" / "up")  # a folder link back to the corpus: a loop
    (tmp_path / "story.txt").mkdir()  # a folder named like a file
    os.mkfifo(tmp_path / "pipe.txt")
    arts = an.load_corpus(tmp_path)
    expected = {
        "dangling": "dangling symbolic link",
        "loop_a": "symbolic link loop", "loop_b": "symbolic link loop",
        "also_a": "symbolic link to a.txt, which is read already",
        "sub_up": "symbolic link to a folder already read",
        "story": "a folder, not a file, though its name ends in '.txt', and it is empty",
        "pipe": "not a regular file",
    }
    for art_id, words in expected.items():
        r = row(arts, art_id)
        assert r.status == "error" and words in r.problem, (art_id, r.problem)
    assert row(arts, "a").status != "error" and row(arts, "sub_b").status != "error"
    assert len(arts) == 2 + len(expected)


def test_unreadable_file_is_an_error_row(tmp_path, monkeypatch):
    from pathlib import Path

    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "secret.txt", BODY + " Secret.")
    real = Path.read_bytes

    def read_bytes(self):  # root reads any file, so the permission error is simulated
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    r = row(an.load_corpus(tmp_path), "secret")
    assert r.status == "error" and "Permission denied (check its permissions)" in r.problem


def test_metadata_csv_semicolons_long_fields_and_bad_rows(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.txt", BODY + " Bee.")
    write(tmp_path, "c.txt", BODY + " Sea.")
    write(tmp_path, "metadata.csv", "file;outlet;notes\n"
                                    f"a.txt;Semi Daily;{'n' * 200_000}\n"
                                    "b.txt;Bee Post;x;too many\n"
                                    "c.txt;Sea Times;fine\n")
    arts = an.load_corpus(tmp_path)
    a, b, c = row(arts, "a"), row(arts, "b"), row(arts, "c")
    assert a.outlet == "Semi Daily" and len(a.notes) == 200_000  # over csv's 131,072 default
    assert c.outlet == "Sea Times"
    assert b.status == "warning" and "metadata.csv line 3 is unreadable (4 fields where the header has 3)" in b.problem
    assert b.outlet.startswith("unknown")


def test_metadata_problem_of_the_whole_file_is_one_row_in_the_problems_table(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "metadata.csv", 'file,outlet\n"a.txt,Unclosed\n')
    arts = an.load_corpus(tmp_path)
    problems = an.corpus_problems(arts)
    assert len(arts) == 1
    listed = problems[problems.path.str.endswith("metadata.csv")]
    assert len(listed) <= 1  # a sidecar problem is listed once, not once per article


def test_limits_give_rows_with_the_reason(tmp_path, monkeypatch):
    from analysis import corpus

    write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    write(tmp_path, "bigint.json", '{"text": "' + BODY.replace("\n", " ") + '", "views": ' + "9" * 5000 + "}")
    write(tmp_path, "surrogate.json", '{"text": "Talks \\ud800 failed, officials said on Monday in Geneva."}')
    write(tmp_path, "huge.txt", "word " * 60_000)
    write(tmp_path, "long.txt", ("A sentence of words. " * 20 + "\n\n") * 60)
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 250_000)
    monkeypatch.setattr(corpus, "MAX_TEXT_CHARS", 30_000)
    monkeypatch.setattr(corpus, "LONG_TEXT_CHARS", 20_000)
    arts = an.load_corpus(tmp_path)
    expected = {
        "deep": ("error", "JSON nested deeper than 500 levels"),
        "bigint": ("warning", "a number with 5,000 digits (more than Python reads, 4,300) was kept as text"),
        "surrogate": ("warning", "lone surrogate"),
        "huge": ("error", "file is 300,000 bytes, over the 250,000 bytes limit: not read"),
        "long": ("warning", "long article (25,"),
    }
    for art_id, (status, words) in expected.items():
        r = row(arts, art_id)
        assert r.status == status and words in r.problem, (art_id, r.status, r.problem)
    assert "\ufffd" in row(arts, "surrogate").text
    monkeypatch.setattr(corpus, "MAX_TEXT_CHARS", 20_000)
    r = row(an.load_corpus(tmp_path), "long")
    assert r.status == "error" and "over the 20,000 the workbook analyses" in r.problem


def test_empty_folder_and_only_bad_files_give_tables(tmp_path):
    empty = an.load_corpus(tmp_path)
    assert empty.empty and list(empty.columns[: len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    assert an.corpus_problems(empty).empty and an.corpus_overview(empty).empty and an.removed_lines(empty).empty
    write(tmp_path, "a.txt", "")
    write(tmp_path, "b.pdf", b"%PDF-1.4")
    bad = an.load_corpus(tmp_path)
    assert bad.status.eq("error").all() and len(an.corpus_problems(bad)) == 2
    assert an.corpus_overview(bad).shape[0] == 2


@pytest.mark.parametrize("text, encoding, read_as", [
    ("El señor Pérez dijo que las conversaciones fracasaron. The señor left. ", "latin-1", "Windows-1252"),
    ("Władze w Łodzi powiedziały, że rozmowy się nie powiodły. ", "cp1250", "Windows-1250"),
    ("Переговоры провалились, сказал Рябков в понедельник. ", "cp1251", "Windows-1251"),
    ("日本政府は月曜日に交渉が決裂したと発表した。", "shift_jis", "Shift-JIS"),
    ("정부는 월요일에 협상이 결렬되었다고 발표했다. ", "cp949", "Korean"),
    ("Talks failed, said the minister on Monday. ", "utf-16-le", "UTF-16-LE without a byte-order mark"),
    ("Talks failed, said the minister on Monday. ", "utf-16-be", "UTF-16-BE without a byte-order mark"),
    ("Talks failed, said the minister on Monday. ", "utf-16", "UTF-16 (byte-order mark)"),
    ("日本政府は月曜日に交渉が決裂したと発表した。", "utf-16-le", "UTF-16-LE without a byte-order mark"),
])
def test_encodings_are_recognised(tmp_path, text, encoding, read_as):
    write(tmp_path, "x.txt", (text * 3).encode(encoding))
    r = row(an.load_corpus(tmp_path, languages=None), "x")
    assert r.status == "warning" and read_as in r.problem, r.problem
    assert text.strip() in r.text


def test_an_unsure_encoding_says_so(tmp_path):
    write(tmp_path, "x.txt", "交渉が決裂した。".encode("shift_jis"))
    r = row(an.load_corpus(tmp_path, languages=None), "x")
    assert "could not tell the encoding; read as" in r.problem and r.text == "交渉が決裂した。"


def test_non_english_articles_are_marked_unless_asked(tmp_path):
    write(tmp_path, "en.txt", BODY)
    write(tmp_path, "ru.txt", "Переговоры провалились, заявил в понедельник заместитель министра иностранных дел "
                              "России Сергей Рябков. Москва против присутствия американских военных в регионе.")
    write(tmp_path, "ar.txt", "فشلت المحادثات، قال وزير الخارجية يوم الاثنين. وأضاف أن موسكو تعارض وجود قوات "
                              "أمريكية في آسيا الوسطى.")
    arts = an.load_corpus(tmp_path)
    assert row(arts, "en").language == "en" and "written in" not in row(arts, "en").problem
    for art_id, name in (("ru", "Russian"), ("ar", "Arabic")):
        r = row(arts, art_id)
        assert r.language == art_id and r.status == "warning"
        assert f"written in {name} ({art_id}), not English" in r.problem
    # marked, kept in the table, and left out of the analysis (the English model would read nonsense)
    from analysis.nlp import analysable

    assert set(analysable(arts).article_id) == {"en"}
    anyway = an.load_corpus(tmp_path, languages=None)
    assert "written in" not in row(anyway, "ru").problem and row(anyway, "ru").language == "ru"
    assert set(analysable(anyway).article_id) == {"en", "ru", "ar"}  # the user asked: every language
    assert "written in" not in row(an.load_corpus(tmp_path, languages=["en", "ru"]), "ru").problem


# ---------------------------------------------------------------- long articles are parsed in pieces


def test_long_text_is_parsed_in_pieces_with_exact_offsets(monkeypatch):
    from analysis import nlp

    monkeypatch.setattr(nlp, "MAX_CHUNK_CHARS", 400)
    paragraph = ('"Talks failed," said Sergei Ryabkov on Monday in Geneva. The United States disagreed. ' * 3)
    text = "\n\n".join([paragraph] * 6) + " " + "word" * 150  # ends in a 600-character word: cut inside it
    pieces = nlp.split_for_parsing(text)
    assert "".join(pieces) == text and all(len(p) <= 400 for p in pieces) and len(pieces) > 6
    assert pieces[0].endswith("\n\n")  # cut at the paragraph break first
    doc, short = nlp.parse_texts([text, "Short text."], use_cache=False)
    assert doc.text == text and short.text == "Short text."
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in doc)
    assert all(text[e.start_char:e.end_char] == e.text for e in doc.ents)
    assert sum(e.text == "Sergei Ryabkov" for e in doc.ents) >= 6


# ------------------------------------------------------------------------------ a folder's table, cached

def _aged(folder, seconds: float = 3600) -> None:
    """Every file of the folder dated an hour back (a corpus written just now is not cached)."""
    import os
    import time

    for path in folder.rglob("*"):
        past = time.time() - seconds
        os.utime(path, (past, past))


def _loaded_entries(tmp_path) -> int:
    folder = tmp_path / "cache" / "corpus"
    return len([p for p in folder.iterdir() if not p.name.startswith(".")]) if folder.exists() else 0


def test_a_folder_is_read_once_and_again_when_a_file_changes(tmp_path, monkeypatch):
    from analysis import corpus

    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "news"
    folder.mkdir()
    write(folder, "a.txt", "Officials said on Monday that the talks had failed in the capital.")
    write(folder, "b.txt", "The council voted on Tuesday to close the bridge for repairs next year.")
    write(folder, "metadata.csv", "file,outlet\na.txt,Daily A\nb.txt,Daily B\n")
    _aged(folder)
    first = an.load_corpus(folder)
    assert _loaded_entries(tmp_path) == 1
    reads = []
    real = corpus._safe_read
    monkeypatch.setattr(corpus, "_safe_read", lambda entry: reads.append(entry) or real(entry))
    again = an.load_corpus(folder)
    assert reads == [], "the cached table should be read, not the files"
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs == first.attrs
    # the same size, other words: read again from the files
    write(folder, "a.txt", "Officials said on Monday that the talks had stalled in the capital.")
    _aged(folder, 1800)
    changed = an.load_corpus(folder)
    assert reads, "a changed file must be read again"
    assert "stalled" in row(changed, "a")["text"]
    # a new file and a changed sidecar
    write(folder, "c.txt", "Rescuers reached the village on Wednesday after the floods receded.")
    write(folder, "metadata.csv", "file,outlet\na.txt,Daily A\nb.txt,Daily C\nc.txt,Daily A\n")
    _aged(folder, 900)
    more = an.load_corpus(folder)
    assert sorted(more["article_id"]) == ["a", "b", "c"]
    assert row(more, "b")["outlet"] == "Daily C"
    # another setting is another entry
    other = an.load_corpus(folder, languages=None)
    assert other["status"].tolist() == more["status"].tolist()
    assert _loaded_entries(tmp_path) == 4


def test_a_folder_written_just_now_or_a_damaged_entry_is_read_from_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_WORKBOOK_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "news"
    folder.mkdir()
    write(folder, "a.txt", "Officials said on Monday that the talks had failed in the capital.")
    an.load_corpus(folder)
    assert _loaded_entries(tmp_path) == 0  # a file changed within the last seconds: its times may not move again
    _aged(folder)
    first = an.load_corpus(folder)
    (entry,) = [p for p in (tmp_path / "cache" / "corpus").iterdir() if not p.name.startswith(".")]
    (entry / "articles.parquet").write_bytes(b"not parquet")
    pd.testing.assert_frame_equal(an.load_corpus(folder), first)
