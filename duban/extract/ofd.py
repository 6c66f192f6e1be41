"""OFD (GB/T 33190, the Chinese fixed-layout format) -> text lines, pages in the document's order.

An OFD is a zip: OFD.xml names each document's Document.xml, which lists its pages; each page's
Content.xml holds TextObjects whose TextCodes carry text at X/Y (millimetres, relative to the object's
Boundary). Codes are read by baseline, top to bottom, and left to right on one baseline.
"""
from __future__ import annotations

import io
import posixpath
import zipfile

from duban.extract.errors import ExtractionError

_BASELINE_MM = 1.5  # codes whose baselines differ less than this sit on one line


def is_ofd(names: list[str]) -> bool:
    """Whether a zip's member names are an OFD package."""
    return "OFD.xml" in names or "ofd.xml" in names


def ofd_text(data: bytes) -> str:
    """The text of every page of every document in the package, one line per baseline."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = {n.lstrip("/"): n for n in z.namelist()}
            root = _xml(z, names, "OFD.xml")
            docs = [_text(e) for e in root.iter() if _local(e) == "DocRoot"]
            if not docs:
                raise ExtractionError("OFD 文件缺少文档入口(DocRoot),无法读取。")
            out: list[str] = []
            for doc_path in docs:
                doc_path = doc_path.lstrip("/")
                document = _xml(z, names, doc_path)
                base = posixpath.dirname(doc_path)
                for page in (e for e in document.iter() if _local(e) == "Page"):
                    loc = (page.get("BaseLoc") or "").strip()
                    if not loc:
                        continue
                    path = loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc))
                    out.extend(_page_lines(_xml(z, names, path)))
                    out.append("")
    except ExtractionError:
        raise
    except Exception as e:  # zipfile and lxml raise many kinds on a damaged package
        raise ExtractionError("OFD 文件已损坏或不完整,无法读取。") from e
    return "\n".join(out)


def _page_lines(content) -> list[str]:
    codes: list[tuple[float, float, str]] = []
    for obj in (e for e in content.iter() if _local(e) == "TextObject"):
        ox, oy = _origin(obj.get("Boundary"))
        x = y = 0.0
        for code in (e for e in obj if _local(e) == "TextCode"):
            x = _float(code.get("X"), x)
            y = _float(code.get("Y"), y)
            text = _text(code)
            if text.strip():
                codes.append((oy + y, ox + x, text))
    codes.sort()
    lines: list[list[tuple[float, str]]] = []
    last_y = None
    for y, x, text in codes:
        if last_y is None or y - last_y > _BASELINE_MM:
            lines.append([])
            last_y = y
        lines[-1].append((x, text))
    return ["".join(t for _, t in sorted(line)).strip() for line in lines]


def _xml(z: zipfile.ZipFile, names: dict[str, str], path: str):
    from lxml import etree

    member = names.get(path) or next((n for k, n in names.items() if k.lower() == path.lower()), None)
    if member is None:
        raise ExtractionError(f"OFD 文件缺少部件 {path},无法读取。")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(z.read(member), parser)


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element) -> str:
    return "".join(element.itertext())


def _origin(boundary: str | None) -> tuple[float, float]:
    parts = (boundary or "").split()
    return (_float(parts[0], 0.0), _float(parts[1], 0.0)) if len(parts) >= 2 else (0.0, 0.0)


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default
