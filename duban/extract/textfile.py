"""A plain-text file's bytes -> text: byte-order marks, UTF-8, GB18030, else the encoding charset_normalizer finds."""
from __future__ import annotations

import re

from duban.extract.errors import ExtractionError
from duban.extract.sniff import FORMATS_HINT

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def decode_text(data: bytes) -> str:
    """The text of a .txt/.csv file in whatever encoding an office saved it, refusing binary content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as e:
                raise ExtractionError(f"文件声明为 {encoding.upper()} 编码,但内容无法按此编码读取。") from e
    if b"\x00" not in data:
        try:
            return _check_text(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("gb18030")
            if _plausible_chinese(text):
                return _check_text(text)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ExtractionError("无法识别文件的文字编码,这可能不是文本文件。")
    return _check_text(str(best))


_COMMON = set("的一是在不了有和人这中大为上个国我以要时来用们生到作地于出就分对成会可主发年动同工也能下过子产种面而方后"
              "多定行学法所民得经十三之进着等部度家力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开合还因"
              "由其些然前外天政四日社义事平形相全表间样与关各重新内数正心明原又利比或质第向道此变条结解问意建月公无系很者最立"
              "代已通并提直题党程展五果员位入常文总次品式活设及管特件长求老基资级少统接知较将组见计别期论农指区强放决必先则任"
              "取据府养服务育托市县局委障保健康护理机构照幼婴儿街道乡镇推进完善加快落实责任单位")


def _plausible_chinese(text: str) -> bool:
    """Whether text decoded as GB18030 reads as Chinese rather than another encoding's bytes."""
    cjk = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"]
    return not cjk or sum(c in _COMMON for c in cjk) >= 0.2 * len(cjk)


def _check_text(text: str) -> str:
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise ExtractionError(f"这不是文本文件(含有大量不可显示的字符),{FORMATS_HINT}。")
    return text
