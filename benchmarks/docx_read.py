"""Reading a long Word file: 40,000 styled, numbered paragraphs as .docx, and the same text as .txt (target <= 3 s)."""
from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _lines(count: int) -> list[str]:
    return [f"推进第{i + 1}项重点工作,完善工作机制,按期报送进展。(责任单位:市民政局、市财政局)"
            for i in range(count)]


def docx_with(lines: list[str]) -> bytes:
    """A .docx with one paragraph per line, each in a style based on another and in a numbered list."""
    body = "".join(f'<w:p><w:pPr><w:pStyle w:val="Task"/></w:pPr><w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r></w:p>'
                   for t in lines)
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{R}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{R}/numbering" Target="numbering.xml"/></Relationships>',
        "word/styles.xml": f'<?xml version="1.0"?><w:styles {W}><w:style w:type="paragraph" w:default="1" '
        'w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Body">'
        '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Task"><w:basedOn w:val="Body"/>'
        '</w:style></w:styles>',
        "word/numbering.xml": f'<?xml version="1.0"?><w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl '
        'w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>',
        "word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def run(paragraphs: int = 40_000) -> list[dict]:
    """Time reading the .docx and the same text as .txt through the document reader; two bench records."""
    from duban.extract.reader import read_bytes

    lines = _lines(paragraphs)
    docx, txt = docx_with(lines), "\n".join(lines).encode("utf-8")
    rows = []
    for name, data, filename in (("docx", docx, "plan.docx"), ("txt", txt, "plan.txt")):
        start = time.perf_counter()
        read_bytes(data, filename)
        rows.append({"name": f"{name}_read_seconds_40k_paragraphs" if paragraphs == 40_000 else
                     f"{name}_read_seconds_{paragraphs}_paragraphs",
                     "value": round(time.perf_counter() - start, 3), "unit": "s"})
    return rows


if __name__ == "__main__":
    for row in run(int(sys.argv[1]) if len(sys.argv) > 1 else 40_000):
        print(f"{row['name']}: {row['value']} {row['unit']}")
