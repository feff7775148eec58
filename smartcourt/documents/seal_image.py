"""The picture of a round official seal: a red ring, the name along the upper arc, a five-pointed star in the
centre and, under it, the purpose (破产案件专用章). Drawn with Pillow in the platform's CJK font."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

from smartcourt.core.pdf import cjk_font_file

RED = (220, 30, 30, 255)
SIZE = 600  # pixels; printed at 4.2 cm this is about 360 dpi


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(cjk_font_file(), size)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=RED)


def seal_png(name: str, purpose: str = "") -> bytes:
    """A seal image as PNG bytes (transparent background)."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = SIZE / 2
    ring = SIZE * 0.47
    draw.ellipse((centre - ring, centre - ring, centre + ring, centre + ring), outline=RED, width=int(SIZE * 0.03))
    _star(draw, centre, centre, SIZE * 0.13)
    # The name runs clockwise along the upper arc, spread over at most 240 degrees, each glyph upright to
    # the centre.
    characters = list(name)
    glyph = int(SIZE * (0.12 if len(characters) <= 10 else 0.095))
    font = _font(glyph)
    text_radius = ring - SIZE * 0.03 - glyph * 0.62
    span = min(250.0, max(150.0, 24.0 * len(characters)))
    step = span / max(len(characters) - 1, 1)
    start = -90 - span / 2
    for index, character in enumerate(characters):
        angle = start + index * step if len(characters) > 1 else -90
        tile = Image.new("RGBA", (glyph * 2, glyph * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((glyph, glyph), character, font=font, fill=RED, anchor="mm")
        tile = tile.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        x = centre + text_radius * math.cos(math.radians(angle)) - glyph
        y = centre + text_radius * math.sin(math.radians(angle)) - glyph
        image.alpha_composite(tile, (int(x), int(y)))
    if purpose:
        purpose_font = _font(int(SIZE * 0.065))
        draw.text((centre, centre + SIZE * 0.26), purpose, font=purpose_font, fill=RED, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
