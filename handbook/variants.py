"""The three script variants of the site, each a full copy under its own prefix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    code: str  # URL prefix, e.g. zh-hk
    lang: str  # BCP 47 tag for <html lang> and hreflang
    opencc: str | None  # OpenCC configuration converting the Simplified source; None: no conversion
    name: str  # the variant's name, written in its own script

    @property
    def traditional(self) -> bool:
        return self.opencc is not None


VARIANTS = (
    Variant("zh-hans", "zh-Hans", None, "简体中文"),
    Variant("zh-hk", "zh-Hant-HK", "s2hk", "繁體中文（香港）"),
    # s2tw converts characters only; s2twp would also swap vocabulary
    # (支持→支援, 信息→資訊), changing what the official text says.
    Variant("zh-tw", "zh-Hant-TW", "s2tw", "繁體中文（臺灣）"),  # 臺灣, as the Taiwan government writes it
)
SIMPLIFIED = VARIANTS[0]
BY_CODE = {v.code: v for v in VARIANTS}
