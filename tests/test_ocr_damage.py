"""Reading plans through the damage Tesseract's English model does to rendered Vietnamese pages
(../shared/tools/ocr_channel.py): short synthetic snippets, one per kind of damage."""

from index.agencies import find_agencies, heading_agency
from index.normalize import match_tokens


def test_so_y_glued_into_one_word_is_two_syllables() -> None:
    # "Sở Y tế" printed without the space after the horned o: "SOY té", "S@Y té"
    assert match_tokens("1. SOY té") == ["1", "so", "y", "te"]
    assert [m.name for m in find_agencies("Phéi hop S@Y té thaém dinh, lap tht tuc")] == ["Sở Y tế"]
    assert heading_agency("SOY té") == "Sở Y tế"


def test_glued_y_split_leaves_real_syllables_alone() -> None:
    # "oy" is no Vietnamese rhyme, but "oai", "uy", "y" are
    assert match_tokens("Quy định ngoài Sở Y tế") == ["quy", "dinh", "ngoai", "so", "y", "te"]
    assert match_tokens("SOY", rules=["symbols", "digits"]) == ["soy"]
