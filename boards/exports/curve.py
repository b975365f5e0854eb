"""A journey board's emotion curve as an image file: SVG as drawn, PNG rasterised.

The SVG comes from boards.curve (the journey feature). PNG is made from it
with CairoSVG: it is by the WeasyPrint authors (Kozea), draws with the cairo
library Debian already ships for WeasyPrint, needs no browser, and refuses
external files and entities unless told otherwise. WeasyPrint itself stopped
writing PNG in version 53.
"""

from boards.summary import curve_module


def curve_svg(snapshot: dict) -> str | None:
    """The board's curve as SVG, or None when there is none to draw."""
    # the journey module provides the curve (boards/curve.py); without it, no image.
    curve = curve_module() if "stages" in snapshot else None
    return (curve.curve_svg(snapshot) or None) if curve else None


def svg_to_png(svg: str, width: int = 1200) -> bytes:
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode(), output_width=width)
