"""Sentences, quotations and metadata headers, with offsets into the original text."""

from counterclaim.text import quote_spans, sentences


def test_sentences_keep_offsets_and_skip_abbreviations():
    text = "Gen. Ivanov said on Nov. 3 the town fell. Kyiv denied it.\nHeadline without stop"
    got = sentences(text)
    assert [s.text for s in got] == [
        "Gen. Ivanov said on Nov. 3 the town fell.", "Kyiv denied it.", "Headline without stop"]
    assert all(text[s.start : s.end] == s.text for s in got)


def test_multi_paragraph_quote_is_one_span():
    text = '"We hold the line.\n\n"The enemy keeps attacking," he said.'
    spans = quote_spans(text)
    assert len(spans) == 1 and text[spans[0][0]] == '"' and spans[0][1] == text.index(",\"") + 2


def test_curly_quotes_pair_by_direction():
    text = "He said “the town is ours” and left."
    assert [text[a:b] for a, b in quote_spans(text)] == ["“the town is ours”"]



def test_hard_wrapped_lines_join_into_sentences():
    text = ("Russian troops have taken control of the village of Dovhenke in the Kharkov\n"
            "Region, the Russian Defense Ministry said on Friday, adding that fighting\n"
            "continued nearby. Ukraine's General Staff said the attacks had been repelled\n"
            "and that the village remained contested by both sides after heavy losses.\n"
            "Kyiv did not comment further.\n")
    got = [s.text.replace("\n", " ") for s in sentences(text)]
    assert got[0].startswith("Russian troops") and got[0].endswith("continued nearby.")
    assert len(got) == 3


def test_a_line_continuing_in_lower_case_is_one_sentence():
    assert len(sentences("The ministry said the town\nhad been captured.")) == 1
