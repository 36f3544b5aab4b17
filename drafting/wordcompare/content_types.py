"""The content type a part copied from the older file is declared with in the redline.

Never the older file's own declaration as such: it may be missing (the part would be
undeclared) or name a macro-enabled or executable type for a picture's extension, which
the redline would then declare for the newer file too. A part is declared by the kind of
relationship that reaches it, from the fixed table below: a picture with one of the picture
types (the older file's, when it is one of them: Word saves a pasted PNG as image1.tmp;
else its extension's), an XML part of a chart or diagram with the one type its kind has.
A chart's embedded workbook (a "package" relationship) is carried only as what it says it
is, an .xlsx declared as a workbook or not at all, never macro-enabled.
None: a kind or picture this table does not know, which the redline does not carry.
"""

from __future__ import annotations

import posixpath

_OOXML = "application/vnd.openxmlformats-officedocument"
_PICTURES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg",
             "gif": "image/gif", "bmp": "image/bmp", "tif": "image/tiff",
             "tiff": "image/tiff", "emf": "image/x-emf", "wmf": "image/x-wmf",
             "svg": "image/svg+xml", "wdp": "image/vnd.ms-photo"}
_PICTURE_TYPES = frozenset(_PICTURES.values())
_WORKBOOK = f"{_OOXML}.spreadsheetml.sheet"
# relationship kind (the last segment of its type) -> the content type of its target
_PARTS = {
    "chart": f"{_OOXML}.drawingml.chart+xml",
    "chartUserShapes": f"{_OOXML}.drawingml.chartshapes+xml",
    "chartStyle": "application/vnd.ms-office.chartstyle+xml",
    "chartColorStyle": "application/vnd.ms-office.chartcolorstyle+xml",
    "themeOverride": f"{_OOXML}.themeOverride+xml",
    "diagramData": f"{_OOXML}.drawingml.diagramData+xml",
    "diagramLayout": f"{_OOXML}.drawingml.diagramLayout+xml",
    "diagramQuickStyle": f"{_OOXML}.drawingml.diagramStyle+xml",
    "diagramColors": f"{_OOXML}.drawingml.diagramColors+xml",
    "diagramDrawing": "application/vnd.ms-office.drawingml.diagramDrawing+xml",
}


def carried_type(kind: str, name: str, declared: str | None) -> str | None:
    """The content type to declare for the older file's part `name`, reached by a
    relationship of `kind` and declared there as `declared`; None: not to be carried."""
    if kind == "image":
        if declared in _PICTURE_TYPES:
            return declared
        return _PICTURES.get(posixpath.splitext(name)[1][1:].lower())
    if kind == "package":
        workbook = name.lower().endswith(".xlsx") and declared in (None, _WORKBOOK)
        return _WORKBOOK if workbook else None
    return _PARTS.get(kind)
