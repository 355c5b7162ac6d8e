"""How wide Arial Bold draws each character, for sizing Word's table columns.

Word and LibreOffice lay a table out with the real font; the column widths written
into the file have to be right beforehand, or a header breaks inside a word
("Gagasa/n", "Kelompo/k" once did in LibreOffice, sized from an average letter).
These are the advance widths, in thousandths of the font size, of Liberation Sans
Bold (metric-compatible with Arial, so identical; LibreOffice draws Arial with it)
for U+0020 to U+017F (Basic Latin, Latin-1, Latin Extended-A), read with fontTools:

    font = TTFont("LiberationSans-Bold.ttf"); cmap = font.getBestCmap()
    [round(font["hmtx"].metrics[cmap[c]][0] * 1000 / font["head"].unitsPerEm) for c in range(32, 384)]

Control characters are 0; any other character counts as a full em (the widest
Latin letter), so a guess errs wide, never narrow. Regular text is never wider
than bold in Arial, so one table serves both.
"""

from __future__ import annotations

FIRST = 0x20
EM = 1000
# fmt: off
_WIDTHS = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,  # U+0020
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,  # U+0030
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,  # U+0040
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,  # U+0050
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,  # U+0060
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,  # U+0070
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  # U+0080
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  # U+0090
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 552,  # U+00A0
    400, 549, 333, 333, 333, 576, 556, 333, 333, 333, 365, 556, 834, 834, 834, 611,  # U+00B0
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,  # U+00C0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,  # U+00D0
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,  # U+00E0
    611, 611, 611, 611, 611, 611, 611, 549, 611, 611, 611, 611, 611, 556, 611, 556,  # U+00F0
    722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 719,  # U+0100
    722, 611, 667, 556, 667, 556, 667, 556, 667, 556, 667, 556, 778, 611, 778, 611,  # U+0110
    778, 611, 778, 611, 722, 611, 722, 611, 278, 278, 278, 278, 278, 278, 278, 278,  # U+0120
    278, 278, 785, 556, 556, 278, 722, 556, 556, 611, 278, 611, 278, 611, 385, 611,  # U+0130
    479, 611, 278, 722, 611, 722, 611, 722, 611, 708, 723, 611, 778, 611, 778, 611,  # U+0140
    778, 611, 1000, 944, 722, 389, 722, 389, 722, 389, 667, 556, 667, 556, 667, 556,  # U+0150
    667, 556, 611, 333, 611, 479, 611, 333, 722, 611, 722, 611, 722, 611, 722, 611,  # U+0160
    722, 611, 722, 611, 944, 778, 667, 556, 667, 611, 500, 611, 500, 611, 500, 278,  # U+0170
)
# fmt: on


def text_width(text: str) -> int:
    """``text`` in Arial Bold, in thousandths of the font size."""
    last = FIRST + len(_WIDTHS)
    return sum(_WIDTHS[code - FIRST] if FIRST <= (code := ord(char)) < last else EM for char in text)
