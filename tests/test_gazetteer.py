from pathlib import Path

import pytest

from counterclaim.errors import GazetteerError
from counterclaim.gazetteer import Gazetteer, add_geonames_dump


@pytest.fixture(scope="session")
def gaz():
    return Gazetteer.load()


def found(g, text):
    return [(m.surface, m.place.name, m.place.geonameid, m.precision) for m in g.mentions(text)]


def names(g, text):
    return [m.place.name for m in g.mentions(text)]


@pytest.mark.parametrize(
    "text, surface, geonameid",
    [
        ("Russian troops entered Kupyansk on Tuesday.", "Kupyansk", 703656),
        ("Fighting continues around Kupiansk.", "Kupiansk", 703656),
        ("Shelling hit Kup'yansk overnight.", "Kup'yansk", 703656),
        ("Kupiansk's defenders held out.", "Kupiansk", 703656),
        ("Clashes near Kupyansk-Uzlovoy continued.", "Kupyansk-Uzlovoy", 703652),
        ("Clashes near Kupiansk-Vuzlovyi continued.", "Kupiansk-Vuzlovyi", 703652),
        ("Troops hold 80% of Volchansk.", "Volchansk", 689304),
        ("Troops hold 80% of Vovchansk.", "Vovchansk", 689304),
        ("Avdeyevka’s fall was announced.", "Avdeyevka", 713122),
        ("The battle for Velyka Novosilka goes on.", "Velyka Novosilka", 690237),
        ("Russia claimed Chasiv Yar.", "Chasiv Yar", 710915),
        ("Ukraine left Artyomovsk in May.", "Artyomovsk", 713174),
        ("Зеленский посетил Купянск.", "Купянск", 703656),
    ],
)
def test_spellings(gaz, text, surface, geonameid):
    got = [(m.surface, m.place.geonameid) for m in gaz.mentions(text)]
    assert (surface, geonameid) in got


def test_dateline(gaz):
    got = found(gaz, "MOSCOW, February 16 (Reuters) - Russia said its forces took a village.")
    assert got and got[0][2] == 524901 and got[0][0] == "MOSCOW"


def test_metonymy_and_acronyms(gaz):
    assert names(gaz, "Kyiv said the attack was repelled. Moscow's forces advanced.") == []
    assert names(gaz, "As the SVO enters its third year, TASS reported.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Fighting in the Kharkiv region intensified.", ["Kharkiv Oblast"]),
        ("Shelling in Zaporozhye Region killed two.", ["Zaporizhzhia Oblast"]),
        ("Attacks in the Kursk border region.", ["Kursk Oblast"]),
        ("Troops advanced in Kherson Oblast.", ["Kherson Oblast"]),
        (
            "near the borders of Zaporizhzhia and Dnipropetrovsk oblasts.",
            ["Zaporizhzhia Oblast", "Dnipropetrovsk Oblast"],
        ),
        ("the administrative borders of Donetsk and Luhansk regions.", ["Donetsk Oblast", "Luhansk Oblast"]),
        ("capturing the eastern regions of Donetsk and Luhansk.", ["Donetsk Oblast", "Luhansk Oblast"]),
        ("the people's republics of Donetsk and Lugansk were shelled.", ["Donetsk Oblast", "Luhansk Oblast"]),
        ("Forces of the Donetsk People’s Republic (DPR) advanced.", ["Donetsk Oblast", "Donetsk Oblast"]),
        ("protecting Donbass from attack", ["Donbas"]),
        ("Crimea was annexed in 2014.", ["Crimea"]),
    ],
)
def test_regions(gaz, text, expected):
    assert names(gaz, text) == expected
    assert all(m.precision == "region" and m.place.geonameid is None for m in gaz.mentions(text))


def test_city_vs_oblast(gaz):
    city = gaz.mentions("Russian forces advanced west of Donetsk on Monday.")
    assert [m.place.geonameid for m in city] == [709717]
    text = "Kupyansk is a key node in the Kharkiv region. Advances in Kharkiv continue."
    assert names(gaz, text)[-1] == "Kharkiv Oblast"
    assert [m.place.geonameid for m in gaz.mentions("Missiles struck Kharkiv overnight.")] == [706483]


@pytest.mark.parametrize(
    "text, surface, name, precision",
    [
        ("Fierce clashes continue in Kucheryovka and Kupyansk.", "Kucheryovka", "Kucherivka",
         "raion"),
        (
            "Moscow claimed the villages of Bogoyavlenka and Hirnyk near Selydove.",
            "Bogoyavlenka", "Bohoiavlenka", "raion",
        ),
        ("Russians took Rabotino in the Zaporizhzhia region.", "Rabotino", "Robotyne", "raion"),
    ],
)
def test_russian_spellings_of_villages(gaz, text, surface, name, precision):
    got = found(gaz, text)
    assert any(s == surface and n == name and p == precision for s, n, _, p in got), got


def test_ambiguous_by_oblast(gaz):
    got = gaz.mentions("Russian troops attacked Kurylivka in the Kharkiv region.")
    assert got[0].place.admin1 == "Kharkiv Oblast"


def test_ambiguous_by_distance(gaz):
    got = gaz.mentions("After Kupiansk fell, fighting moved to Kurylivka.")
    assert got[1].place.admin1 == "Kharkiv Oblast"


def test_far_homonym_becomes_name(gaz):
    text = ("Russian forces captured Sudzha and advanced west of Kurylivka "
            "(south of Sudzha in the Kursk region).")
    got = [m for m in gaz.mentions(text) if m.surface == "Kurylivka"]
    assert got and got[0].precision == "name" and got[0].place.id == "name:kurylivka"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Troops advanced near the village of Zorkivtsyane in Kharkiv Oblast.",
         "Zorkivtsyane"),
        ("The settlements of Pryvilnoyeka and Sudzha were taken.", "Pryvilnoyeka"),
        ("Fighting in the Vasylkoviche area.", "Vasylkoviche"),
        ("Forces advanced west of Kozacha Loknia near Sudzha.", "Kozacha Loknia"),
    ],
)
def test_unknown_villages(gaz, text, name):
    got = [(m.place.name, m.precision) for m in gaz.mentions(text)]
    assert (name, "name") in got


@pytest.mark.parametrize(
    "text",
    [
        "President Vladimir Putin praised the Wagner group.",
        "The Victory Day parade was held.",
        "Units of the ‘Sever’ group of forces advanced.",
        "The Kiev regime is to blame, Zakharova said.",
        "Ukraine and Russia traded accusations in February.",
        "The Mir space station was a Soviet project.",
        "Spokesperson Nazar Voloshyn of the Khortytsia group said so.",
        "the left bank of the Dnipro",
        "west of Ukraine",
        "General Syrsky said the troops withdrew.",
    ],
)
def test_false_positives(gaz, text):
    assert found(gaz, text) == []


def test_lookup_and_get(gaz):
    assert any(p.geonameid == 703656 for p in gaz.lookup("Купянск"))
    assert any(p.geonameid == 703656 for p in gaz.lookup("Kupyansk"))
    p = gaz.get("gn:703656")
    assert p is not None and p.admin1 == "Kharkiv Oblast" and p.country == "UA"
    assert gaz.get("region:UA-63").name == "Kharkiv Oblast"
    assert "kupyansk" in gaz.names()


def test_mentions_non_overlapping_in_order(gaz):
    ms = gaz.mentions("Kupyansk-Uzlovoy, Kupyansk and the Kharkiv region; Donetsk and Luhansk regions.")
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:], strict=False))


DUMP = (
    "99000001\tZorianivka Nova\tZorianivka Nova\tZoryanovka Novaya,Зорянівка Нова,Зоряновка Новая\t"
    "49.70\t37.60\tP\tPPL\tUA\t\t07\t\t\t\t120\t\t\tEurope/Kyiv\t2024-01-01\n"
)


def test_add_geonames_dump(tmp_path):
    cache = tmp_path / "cache"
    base = Gazetteer.load()
    # reuse the built index: copy it instead of rebuilding
    cache.mkdir()
    src = next(Path(_cache_dir()).glob("gazetteer-v*.marshal"))
    (cache / src.name).write_bytes(src.read_bytes())
    dump = tmp_path / "UA.txt"
    dump.write_text(DUMP, encoding="utf-8")
    assert add_geonames_dump(dump, cache) == 1
    assert add_geonames_dump(dump, cache) == 0
    g = Gazetteer.load(cache)
    assert [p.geonameid for p in g.lookup("Zoryanovka Novaya")] == [99000001]
    ms = g.mentions("Russian troops attacked Zorianivka Nova near Kupiansk.")
    assert ms[0].place.geonameid == 99000001 and ms[0].place.admin1 == "Kharkiv Oblast"
    assert base is not g


def test_add_geonames_dump_bad_row(tmp_path):
    dump = tmp_path / "UA.txt"
    dump.write_text(DUMP + "123\tBroken\tBroken\t\tnot-a-lat\t37\tP\tPPL\tUA\t\t07\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"UA.txt:2"):
        add_geonames_dump(dump, tmp_path / "c2")


def _cache_dir():
    from counterclaim.config import settings

    return settings().cache_dir


@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        ("“With Kupyansk secured, the army moved on,” he said.", "Kupyansk", "UA"),
        ("After Pokrovsk fell, the front moved west.", "Pokrovsk", "UA"),
        ("Since Vovchansk was shelled daily, residents left.", "Vovchansk", "UA"),
    ],
)
def test_sentence_initial_function_word_is_not_part_of_a_name(gaz, text, surface, country):
    ms = [m for m in gaz.mentions(text) if m.surface == surface]
    assert ms and ms[0].place.country == country
