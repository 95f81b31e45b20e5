"""The editions of the site, each a full copy of it under its own prefix, and where each one's text comes from.

An edition's text is the source itself (the Simplified text as published), a
conversion of it (an OpenCC configuration, then the regional table and the
reviewed overrides of content/conversion.yaml, which name the edition by its
code), or a translation (content/translations/<code>/, and the `<code>:`
blocks of the other content files: the English edition). Adding an edition is one
`Edition` in EDITIONS: the build, the search tables, the templates and the
checks take the editions from the handbook, and never list them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceText:
    """The edition is the official text itself."""


@dataclass(frozen=True)
class Conversion:
    """The source converted character for character: OpenCC, then content/conversion.yaml's rules."""

    opencc: str  # OpenCC configuration, e.g. s2hk


@dataclass(frozen=True)
class Translation:
    """The source translated: an unofficial text kept in step with it (content of its own)."""

    language: str  # BCP 47, e.g. en


@dataclass(frozen=True)
class Edition:
    code: str  # URL prefix, and the key of the edition's own wording in content files, e.g. zh-hk
    lang: str  # BCP 47 tag for <html lang> and hreflang
    name: str  # the edition's name, written in its own script
    short: str  # the name in the edition switch on a phone: 香港繁體
    locale: str  # Open Graph's og:locale (language_TERRITORY)
    text: SourceText | Conversion | Translation

    @property
    def opencc(self) -> str | None:
        """The OpenCC configuration converting the source to this edition, if it is a conversion."""
        return self.text.opencc if isinstance(self.text, Conversion) else None

    @property
    def converted(self) -> bool:
        return isinstance(self.text, Conversion)

    @property
    def translated(self) -> bool:
        return isinstance(self.text, Translation)


# The characters Chinese is written in (CJK punctuation, ideographs, full-width forms), as a regex class:
# what a page in another language marks as Chinese, and a translation may hold only in quotation marks.
CJK_CHARACTERS = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"


EDITIONS = (
    Edition("zh-hans", "zh-Hans", "简体中文", "简体", "zh_CN", SourceText()),
    Edition("zh-hk", "zh-Hant-HK", "繁體中文（香港）", "香港繁體", "zh_HK", Conversion("s2hk")),
    # s2tw converts characters only; s2twp would also swap vocabulary
    # (支持→支援, 信息→資訊), changing what the official text says.
    # 臺灣, as the Taiwan government writes it.
    Edition("zh-tw", "zh-Hant-TW", "繁體中文（臺灣）", "臺灣繁體", "zh_TW", Conversion("s2tw")),
    # British spelling, as Hong Kong's and Guangzhou's government English pages write.
    Edition("en", "en", "English", "English", "en_GB", Translation("en")),
)


def source_edition(editions: tuple[Edition, ...]) -> Edition:
    """The edition whose text is the source: the first, by rule (a test holds every declaration to it)."""
    return editions[0]
BY_CODE = {e.code: e for e in EDITIONS}  # for tools and tests: the build takes its editions from the Handbook
