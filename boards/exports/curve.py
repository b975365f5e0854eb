"""The emotion curve as PNG, rasterised from boards.curve.curve_svg's SVG.

CairoSVG is by the WeasyPrint authors (Kozea), draws with the cairo library
Debian already ships for WeasyPrint, needs no browser, and refuses external
files and entities unless told otherwise. WeasyPrint itself stopped writing
PNG in version 53.
"""


def svg_to_png(svg: str, width: int = 1200) -> bytes:
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode(), output_width=width)
