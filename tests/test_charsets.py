"""Labels to codecs as browsers decode them (the WHATWG Encoding Standard)."""

from __future__ import annotations

import codecs

import pytest

from worker.charsets import BROWSER_CODECS, browser_codec, charset_of, decode_declared


@pytest.mark.parametrize(("label", "codec"), [
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("gb18030", "gb18030"),
    ("chinese", "gb18030"), ("shift_jis", "cp932"), ("Shift-JIS", "cp932"), ("sjis", "cp932"),
    ("windows-31j", "cp932"), ("euc-kr", "cp949"), ("ks_c_5601-1987", "cp949"), ("tis-620", "cp874"),
    ("iso-8859-11", "cp874"), ("iso-8859-1", "cp1252"), ("latin1", "cp1252"), ("us-ascii", "cp1252"),
    ("iso-8859-9", "cp1254"), ("big5", "big5hkscs"), ("euc-jp", "euc_jp"), ("koi8-r", "koi8-r"),
    ("windows-1251", "cp1251"), ("iso-8859-8-i", "iso8859-8"), (" UTF-8\t", "utf-8"), ("utf8", "utf-8"),
])
def test_a_legacy_label_decodes_as_browsers_decode_it(label: str, codec: str) -> None:
    assert browser_codec(label) == codec


@pytest.mark.parametrize("label", ["utf-16", "utf-16le", "iso-2022-kr", "hz-gb-2312", "x-user-defined",
                                   "no-such-codec", "utf-32", "cp437", "", None])
def test_labels_no_browser_decodes_by_declare_nothing(label: str | None) -> None:
    assert browser_codec(label) is None


def test_every_codec_exists() -> None:
    for codec in set(BROWSER_CODECS.values()):
        codecs.lookup(codec)


@pytest.mark.parametrize(("content_type", "charset"), [
    ("text/html; charset=GB2312", "GB2312"), ('text/html;charset="shift_jis"', "shift_jis"),
    ("application/rss+xml; q=1; Charset = 'euc-kr'", "euc-kr"), ("text/html", None), ("", None),
    ("text/html; charset=", None),
])
def test_the_charset_of_a_content_type(content_type: str, charset: str | None) -> None:
    assert charset_of(content_type) == charset


def test_a_declared_document_is_decoded_by_its_first_label_a_browser_knows() -> None:
    raw = "Zhū Róngjī: 朱镕基".encode("gb18030")
    assert decode_declared(raw, None, "no-such-codec", "gb2312", "utf-8") == "Zhū Róngjī: 朱镕基"
    assert decode_declared(raw, "no-such-codec", None) is None


@pytest.mark.parametrize("label", ["iso-8859-1", "us-ascii", "windows-1252", "gb2312", "shift_jis"])
def test_valid_utf8_under_a_legacy_label_is_read_as_utf8(label: str) -> None:
    """A server's default charset on a UTF-8 document: its text is UTF-8, whatever the label says."""
    assert decode_declared("Zürich – “北京” ①".encode(), label) == "Zürich – “北京” ①"


def test_legacy_bytes_are_not_mistaken_for_utf8() -> None:
    assert decode_declared("café “quoted”".encode("cp1252"), "iso-8859-1") == "café “quoted”"
    assert decode_declared(b"plain ascii", "shift_jis") == "plain ascii"
