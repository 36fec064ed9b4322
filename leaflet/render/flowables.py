"""The flowables a leaflet page is made of: text set by `layout` and drawn as tagged marked content, a framed
box, and a figure (logo or QR code) with alternate text. They read no markup: text is drawn as given."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ..errors import RenderError
from .fonts import FontSet
from .layout import Line, Shaper, register
from .tagging import Element, Tagger

LEADING = 1.5
# Frame widths in points: the contact box's, and the heavier one of the warning box ("When should I get help?"),
# which must stand out from every other box on the page (STANDARDS.md, Safety content: at least 2.5 pt).
BOX_LINE = 2.0
WARNING_LINE = 4.0


@dataclass
class Context:
    """What every flowable of one document shares."""

    tagger: Tagger
    fonts: FontSet
    size: float
    rtl: bool
    where: str
    # (size, bold) -> Shaper. A render passes the same dict to each of its layout passes, so that the second
    # pass finds the first one's lines already set.
    shapers: dict[tuple[float, bool], Shaper] = field(default_factory=dict)
    drawing: bool = True  # False in the pass that only counts pages: it needs the layout, not the drawing

    def __post_init__(self):
        self.frame_height = 0.0  # set once the page is known

    def shaper(self, size: float, bold: bool = False) -> Shaper:
        key = (size, bold)
        if key not in self.shapers:
            self.shapers[key] = Shaper(self.fonts, size, bold, self.where)
        return self.shapers[key]

    @property
    def leading(self) -> float:
        return self.size * LEADING


class Text(Flowable):
    """A heading, paragraph or list item: lines set by `layout`, drawn as one tagged element per page."""

    def __init__(
        self,
        ctx: Context,
        text: str,
        element: Element,
        *,
        size: float | None = None,
        bold: bool = False,
        rtl: bool | None = None,
        label: str | None = None,
        label_element: Element | None = None,
        indent: float = 0.0,
        space_before: float = 0.0,
        space_after: float | None = None,
        outline: tuple[str, int] | None = None,
        lines: list[Line] | None = None,
    ):
        super().__init__()
        self.ctx = ctx
        self.text = text
        self.element = element
        self.size = size or ctx.size
        self.bold = bold
        self.rtl = ctx.rtl if rtl is None else rtl
        self.label = label
        self.label_element = label_element
        self.indent = indent
        self.spaceBefore = space_before
        self.spaceAfter = ctx.leading if space_after is None else space_after
        self.outline = outline
        self.lines = lines
        self._width_for: float | None = None if lines is None else -1.0
        self.leading = self.size * LEADING
        shaper = ctx.shaper(self.size, bold)
        self.label_width = shaper.width(label) + self.size * 0.6 if label else 0.0
        self.label_lines = shaper.lines(label, 10_000, rtl=self.rtl) if label else []

    def _body_width(self, width: float) -> float:
        return width - self.indent - self.label_width

    def wrap(self, availWidth, availHeight):
        if self.lines is None or (self._width_for not in (-1.0, availWidth)):
            body = self._body_width(availWidth)
            if body < self.size * 4:
                raise RenderError("the page is too narrow for this type size", where=self.ctx.where)
            self.lines = self.ctx.shaper(self.size, self.bold).lines(self.text, body, rtl=self.rtl)
            self._width_for = availWidth
        self.width = availWidth
        self.height = max(1, len(self.lines)) * self.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        fits = int((availHeight + 0.001) // self.leading)
        total = len(self.lines)
        if fits >= total:
            return [self]
        fresh_page = availHeight >= self.ctx.frame_height - 0.5
        if (total < 4 or fits < 2) and not (fresh_page and fits >= 1):
            return []  # no lone first or last line of a paragraph: move it whole
        if not fresh_page:
            fits = min(fits, total - 2)
        first = Text(self.ctx, self.text, self.element, size=self.size, bold=self.bold, rtl=self.rtl, label=self.label,
                     label_element=self.label_element, indent=self.indent, space_before=self.spaceBefore,
                     space_after=0, outline=self.outline, lines=self.lines[:fits])
        rest = Text(self.ctx, self.text, self.element, size=self.size, bold=self.bold, rtl=self.rtl,
                    indent=self.indent + self.label_width, space_after=self.spaceAfter, lines=self.lines[fits:])
        first._width_for = rest._width_for = availWidth
        return [first, rest]

    def draw(self):
        if not self.ctx.drawing:
            return
        canvas = self.canv
        tagger = self.ctx.tagger
        if self.outline:
            key = f"s{id(self.element)}"
            canvas.bookmarkPage(key)
            canvas.addOutlineEntry(self.outline[0], key, level=self.outline[1], closed=False)
        top = self.height
        if self.label_lines and self.label_element is not None:
            tagger.begin(canvas, self.label_element)
            line = self.label_lines[0]
            x = self.width - self.indent - line.width if self.rtl else self.indent
            self._draw_line(line, x, top - self.leading + self.size * 0.35)
            tagger.end(canvas)
        tagger.begin(canvas, self.element)
        body = self._body_width(self.width)
        for i, line in enumerate(self.lines):
            baseline = top - (i + 1) * self.leading + self.size * 0.35
            if self.rtl:
                x = self.width - self.indent - self.label_width - line.width
            else:
                x = self.indent + self.label_width
            if line.width > body + 0.5:
                raise RenderError(f"a line does not fit the page ({line.width:.1f} > {body:.1f}: {line.text!r})", where=self.ctx.where)
            self._draw_line(line, x, baseline)
        tagger.end(canvas)

    def _draw_line(self, line: Line, x: float, baseline: float) -> None:
        draw_line(self.canv, self.ctx.tagger, line, x, baseline)


def draw_line(canvas, tagger: Tagger, line: Line, x: float, baseline: float) -> None:
    for run in line.runs:
        name = register(run.face)
        canvas.setFont(name, run.size)
        synthetic = run.bold and not run.face.bold
        if synthetic:
            canvas.setLineWidth(run.size * 0.04)
        if run.actual_text is not None:
            tagger.begin_actual_text(canvas, run.actual_text)
        canvas.drawString(x, baseline, run.glyphs, mode=2 if synthetic else None)
        if run.actual_text is not None:
            tagger.end(canvas)
        x += run.width


class Boxed(Flowable):
    """A few flowables inside a plain black frame (the frame is decoration: an artifact). Kept on one page.
    `line_width` is the frame's, in points; a heavier frame keeps the text as far from its inner edge."""

    def __init__(self, ctx: Context, children: list[Flowable], *, padding: float | None = None,
                 line_width: float = BOX_LINE):
        super().__init__()
        self.ctx = ctx
        self.children = children
        self.line_width = line_width
        self.padding = ctx.size * 0.6 + max(0.0, line_width - BOX_LINE) if padding is None else padding
        self.spaceAfter = ctx.leading

    def wrap(self, availWidth, availHeight):
        inner = availWidth - 2 * self.padding
        total = 0.0
        for i, child in enumerate(self.children):
            _, h = child.wrap(inner, availHeight)
            total += h + (child.getSpaceAfter() if i < len(self.children) - 1 else 0)
        self.width, self.height = availWidth, total + 2 * self.padding
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight:
            return [self]
        fresh_page = availHeight >= self.ctx.frame_height - 0.5
        if self.height <= self.ctx.frame_height and not fresh_page:
            return []  # it fits on the next page
        # Taller than a page (very large print): the text goes on without its frame.
        first = self.children[0]
        _, height = first.wrap(availWidth, availHeight)
        if height <= availHeight:
            return list(self.children)
        if fresh_page:
            parts = first.split(availWidth, availHeight)
            return [*parts, *self.children[1:]] if parts else []
        return []

    def draw(self):
        if not self.ctx.drawing:
            return
        canvas = self.canv
        Tagger.begin_artifact(canvas)
        canvas.setLineWidth(self.line_width)
        half = self.line_width / 2  # the frame's outer edge is the box's
        canvas.rect(half, half, self.width - self.line_width, self.height - self.line_width, stroke=1, fill=0)
        Tagger.end(canvas)
        y = self.height - self.padding
        for child in self.children:
            y -= child.height
            child.drawOn(canvas, self.padding, y)
            y -= child.getSpaceAfter()


class Figure(Flowable):
    """An image, or a QR code's modules, with alternate text."""

    def __init__(self, ctx: Context, element: Element, *, width: float, height: float, image: bytes | None = None,
                 modules: list[list[bool]] | None = None, align_end: bool = False):
        super().__init__()
        self.ctx, self.element = ctx, element
        self.w, self.h = width, height
        self.image, self.modules = image, modules
        self.align_end = align_end
        self.spaceAfter = ctx.leading * 0.5

    def wrap(self, availWidth, availHeight):
        self.avail = availWidth
        return availWidth, self.h

    def draw(self):
        if not self.ctx.drawing:
            return
        canvas = self.canv
        x = self.avail - self.w if self.align_end else 0
        self.ctx.tagger.begin(canvas, self.element)
        if self.image is not None:
            # from bytes, not a path: the image's name in the file then does not depend on where it lives
            canvas.drawImage(ImageReader(io.BytesIO(self.image)), x, 0, self.w, self.h, preserveAspectRatio=True,
                             mask="auto")
        elif self.modules is not None:
            count = len(self.modules)
            cell = self.w / (count + 8)  # a quiet zone of 4 modules on every side
            canvas.setFillColorRGB(0, 0, 0)
            for row, cells in enumerate(self.modules):
                for column, dark in enumerate(cells):
                    if dark:
                        canvas.rect(x + (column + 4) * cell, self.h - (row + 5) * cell, cell, cell, stroke=0, fill=1)
        self.ctx.tagger.end(canvas)
