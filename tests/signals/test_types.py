import base64

import pytest

from egide.signals import get


def test_normalises_case_and_space() -> None:
    assert get("MD5").normalise(" D41D8CD98F00B204E9800998ECF8427E ") == (
        "d41d8cd98f00b204e9800998ecf8427e"
    )


@pytest.mark.parametrize("name,bad", [("md5", "xyz"), ("sha1", "a" * 39), ("pdq", "g" * 64)])
def test_rejects_malformed(name: str, bad: str) -> None:
    with pytest.raises(ValueError, match=f"not a valid {name}"):
        get(name).normalise(bad)


def test_photodna_accepts_base64_and_hex() -> None:
    raw = bytes(range(144))
    pdna = get("PhotoDNA")
    assert pdna.normalise(base64.b64encode(raw).decode()) == raw.hex()
    assert pdna.normalise(raw.hex().upper()) == raw.hex()
    with pytest.raises(ValueError, match="144 bytes"):
        pdna.normalise("abc")


def test_unknown_type_lists_known() -> None:
    with pytest.raises(ValueError, match="known: md5"):
        get("tlsh")
