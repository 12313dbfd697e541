import pytest

from counterclaim import translit


@pytest.mark.parametrize(
    "cyr, latin",
    [
        ("Кучерівка", "Kucherivka"),
        ("Богоявленка", "Bohoiavlenka"),
        ("Олександрія", "Oleksandriia"),
        ("Куп’янськ-Вузловий", "Kupiansk-Vuzlovyi"),
        ("Згурівка", "Zghurivka"),
        ("Єнакієве", "Yenakiieve"),
        ("Їжакевич", "Yizhakevych"),
        ("Йосипівка", "Yosypivka"),
        ("Київ", "Kyiv"),
    ],
)
def test_national(cyr, latin):
    assert translit.national(cyr) == latin


@pytest.mark.parametrize(
    "cyr, spelling",
    [
        ("Куп'янськ", "Kupyansk"),
        ("Куп'янськ", "Kupiansk"),
        ("Купянск-Узловой", "Kupyansk-Uzlovoy"),
        ("Волчанск", "Volchansk"),
        ("Кучерёвка", "Kucheryovka"),
        ("Авдеевка", "Avdeyevka"),
        ("Марьинка", "Maryinka"),
        ("Запорожье", "Zaporozhye"),
        ("Гуево", "Huyevo"),
        ("Гуево", "Guyevo"),
        ("Вовчанськ", "Vovchansk"),
        ("Херсон", "Kherson"),
    ],
)
def test_variants(cyr, spelling):
    assert translit.key(spelling) in {translit.key(v) for v in translit.variants(cyr)}


@pytest.mark.parametrize(
    "a, b",
    [("Kup'yansk", "Kupyansk"), ("Kupiansk-Vuzlovyi", "kupiansk vuzlovyi"), ("Kupʼyansk", "KUPYANSK")],
)
def test_key(a, b):
    assert translit.key(a) == translit.key(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Kucheryovka", "Kucherivka"),
        ("Bogoyavlenka", "Bohoiavlenka"),
        ("Girnyk", "Hirnyk"),
        ("Avdeyevka", "Avdiivka"),
        ("Maryinka", "Marinka"),
        ("Rabotino", "Robotyne"),
    ],
)
def test_skeleton_meets(a, b):
    assert translit.skeleton(a) == translit.skeleton(b)


def test_skeleton_separates():
    assert translit.skeleton("Pokrovsk") != translit.skeleton("Kramatorsk")
