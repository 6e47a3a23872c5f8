"""Character encodings as browsers read them: the label a page or feed declares, to the codec that decodes it.

Servers label pages with the names of old standards, and browsers, by the
WHATWG Encoding Standard (https://encoding.spec.whatwg.org/#names-and-labels),
decode each with the superset its authors' tools actually wrote: a page
labelled GB2312 is decoded as GB18030, Shift_JIS as Windows-31J (cp932, with
the NEC and IBM characters ① and ㈱), EUC-KR as Windows-949, TIS-620 as
Windows-874, ISO-8859-1 and US-ASCII as Windows-1252, ISO-8859-9 as
Windows-1254. Python's codecs of the same names are the strict standards: a
Chinese page labelled GB2312 loses every character outside it (镕, 喆), and a
lost character in a name is a lost mention.

`decode_declared` is the one way a declared document is decoded: the extract
stage's pages (`worker.extract.extract.decode_html`) and the fetch stage's
feeds (`worker.fetch.feeds`). A label the standard does not know is no
declaration, as in a browser; so are UTF-16 labels on bytes without a byte
order mark (a lie more often than not) and the labels of encodings browsers
refuse to decode (ISO-2022-KR, HZ).

One departure from a browser: bytes that are valid UTF-8 and not all ASCII
are read as UTF-8 whatever a legacy label says. A server's default
`charset=ISO-8859-1` or `us-ascii` on a UTF-8 document is common, and
legacy-encoded text almost never happens to be valid UTF-8 (an accented
letter or a CJK character in Windows-1252, GBK or Shift_JIS is followed by
bytes UTF-8 does not allow); feedparser already read such feeds as UTF-8.
"""

from __future__ import annotations

# The Encoding Standard's labels of each encoding, by the Python codec that decodes it as browsers do.
_LABELS: dict[str, tuple[str, ...]] = {
    "utf-8": ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"),
    "cp866": ("866", "cp866", "csibm866", "ibm866"),
    "iso8859-2": ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
                  "iso_8859-2:1987", "l2", "latin2"),
    "iso8859-3": ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
                  "iso_8859-3:1988", "l3", "latin3"),
    "iso8859-4": ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
                  "iso_8859-4:1988", "l4", "latin4"),
    "iso8859-5": ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595",
                  "iso_8859-5", "iso_8859-5:1988"),
    "iso8859-6": ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
                  "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596",
                  "iso_8859-6", "iso_8859-6:1987"),
    "iso8859-7": ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126",
                  "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"),
    "iso8859-8": ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138",
                  "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual",
                  "csiso88598i", "iso-8859-8-i", "logical"),
    "iso8859-10": ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"),
    "iso8859-13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "iso8859-14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "iso8859-15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"),
    "iso8859-16": ("iso-8859-16",),
    "koi8-r": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "koi8-u": ("koi8-ru", "koi8-u"),
    "mac-roman": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "cp874": ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
    "cp1250": ("cp1250", "windows-1250", "x-cp1250"),
    "cp1251": ("cp1251", "windows-1251", "x-cp1251"),
    "cp1252": ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
               "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
               "us-ascii", "windows-1252", "x-cp1252"),
    "cp1253": ("cp1253", "windows-1253", "x-cp1253"),
    "cp1254": ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
               "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"),
    "cp1255": ("cp1255", "windows-1255", "x-cp1255"),
    "cp1256": ("cp1256", "windows-1256", "x-cp1256"),
    "cp1257": ("cp1257", "windows-1257", "x-cp1257"),
    "cp1258": ("cp1258", "windows-1258", "x-cp1258"),
    "gb18030": ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
                "iso-ir-58", "x-gbk", "gb18030"),
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "euc_jp": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "iso2022_jp_ext": ("csiso2022jp", "iso-2022-jp"),  # with the half-width katakana browsers decode
    "cp932": ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"),
    "cp949": ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
              "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"),
}
BROWSER_CODECS: dict[str, str] = {label: codec for codec, labels in _LABELS.items() for label in labels}
_WHITESPACE = "\t\n\f\r "


def browser_codec(label: str | None) -> str | None:
    """The Python codec a browser's decoder of this label matches, or None when the label declares
    nothing a browser would decode by (unknown, UTF-16 without a BOM, a refused encoding)."""
    return BROWSER_CODECS.get(label.strip(_WHITESPACE).lower()) if label else None


def decode_declared(raw: bytes, *labels: str | None) -> str | None:
    """`raw` decoded by the first of `labels` that declares an encoding (see the module), or None when
    none does."""
    codec = next((codec for codec in map(browser_codec, labels) if codec), None)
    if codec is None:
        return None
    if codec != "utf-8" and not raw.isascii():
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return raw.decode(codec, "replace")


def charset_of(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header value, as written (`text/html; charset="gbk"`)."""
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None
