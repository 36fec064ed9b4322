"""Localized leaflet -> large-print, tagged PDF (PDF/UA-1 as far as a machine can check).

Every piece of text is set by `layout` (never parsed as ReportLab markup), drawn inside marked content that
`tagging` turns into the structure tree, and page furniture is an artifact. Sizes follow
../shared/STANDARDS.md: body 18 pt by default and nothing smaller, H1 +4, H2 +2, leading 1.5, blank line
between blocks, 25 mm margins, one column, ragged edge on the reading side.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.utils import ImageReader
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, PageTemplate

from .. import wording
from ..config import Config
from ..errors import RenderError
from ..localize import Localized, build_date
from .fonts import FontSet, locale_territory
from .layout import Line, Shaper, isolate, register
from .tagging import Element, Tagger, finish

MARGIN = 25 * mm
LEADING = 1.5
# CLDR/Unicode: the countries that use US Letter paper.
LETTER_TERRITORIES = {"US", "CA", "MX", "PH", "CL", "CO", "CR", "GT", "PA", "PR", "SV", "VE", "DO", "NI", "BZ", "HN", "BO"}
BULLET = "\u2022"


def paper_for(locale: str, choice: str = "auto") -> tuple[float, float]:
    if choice == "a4":
        return A4
    if choice == "letter":
        return LETTER
    return LETTER if locale_territory(locale) in LETTER_TERRITORIES else A4


@dataclass
class Context:
    """What every flowable of one document shares."""

    tagger: Tagger
    fonts: FontSet
    size: float
    rtl: bool
    where: str

    def __post_init__(self):
        self._shapers: dict[tuple[float, bool], Shaper] = {}
        self.frame_height = 0.0  # set once the page is known

    def shaper(self, size: float, bold: bool = False) -> Shaper:
        key = (size, bold)
        if key not in self._shapers:
            self._shapers[key] = Shaper(self.fonts, size, bold, self.where)
        return self._shapers[key]

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
    """A few flowables inside a plain black frame (the frame is decoration: an artifact). Kept on one page."""

    def __init__(self, ctx: Context, children: list[Flowable], *, padding: float | None = None):
        super().__init__()
        self.ctx = ctx
        self.children = children
        self.padding = ctx.size * 0.6 if padding is None else padding
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
        canvas = self.canv
        Tagger.begin_artifact(canvas)
        canvas.setLineWidth(2)
        canvas.rect(1, 1, self.width - 2, self.height - 2, stroke=1, fill=0)
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


@dataclass(frozen=True)
class PdfOptions:
    font_size: float = 18.0
    paper: str = "auto"


def render(doc: Localized, config: Config, options: PdfOptions | None = None, *, where: str = "") -> bytes:
    """The finished PDF as bytes."""
    options = options or PdfOptions(config.font_size, config.paper)
    fonts = FontSet(doc.locale, config.fonts)
    size = options.font_size
    pagesize = paper_for(doc.locale, options.paper)
    t = doc.words
    when = doc.date(build_date()).replace(" ", "\u00a0")  # a date is never split across lines
    if doc.is_source:
        state = "original"
    elif doc.review.reviewed:
        state = wording.reviewed_state(t, doc.review.by, doc.review.date)
    else:
        state = wording.draft_state(t)
    stamp = wording.version_stamp(t, _version(), doc.digest, state, when)

    def build(total_pages: int) -> tuple[bytes, Tagger, int]:
        tagger = Tagger()
        ctx = Context(tagger, fonts, size, fonts.rtl, where or doc.domain)
        footer_lines = _footer_lines(ctx, stamp, doc, pagesize, total_pages)
        footer_height = len(footer_lines) * ctx.leading + ctx.leading  # one line of space above
        story = _story(ctx, doc, config, pagesize)
        if not stamp_in_footer(ctx, stamp, pagesize):
            story.append(Text(ctx, stamp, tagger.root.child("P")))
        buffer = io.BytesIO()
        template = BaseDocTemplate(
            buffer,
            pagesize=pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + footer_height,
            title=doc.title,
            author=config.clinic,
            subject=doc.lead[0].text if doc.lead else "",
            lang=doc.lang,
            invariant=1,
            initialFontName=register(fonts.main.regular),
            initialFontSize=size,
            creator=f"leaflet {_version()}",
        )
        frame = Frame(MARGIN, MARGIN + footer_height, pagesize[0] - 2 * MARGIN,
                      pagesize[1] - 2 * MARGIN - footer_height, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, id="body")
        ctx.frame_height = pagesize[1] - 2 * MARGIN - footer_height
        pages = [0]

        def on_page(canvas, _doc):
            pages[0] += 1
            lines = _footer_lines(ctx, stamp, doc, pagesize, total_pages, canvas.getPageNumber())
            Tagger.begin_artifact(canvas, "Pagination", "Footer")
            # the last line's baseline leaves room for deep descenders (Arabic) above the bottom margin
            y = MARGIN + (len(lines) - 1) * ctx.leading + size * 0.8
            for line in lines:
                x = pagesize[0] - MARGIN - line.width if ctx.rtl else MARGIN
                draw_line(canvas, tagger, line, x, y)
                y -= ctx.leading
            Tagger.end(canvas)

        template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
        try:
            template.build(story)
        except RenderError:
            raise
        return buffer.getvalue(), tagger, pages[0]

    data, tagger, count = build(0)
    data, tagger, second = build(count)
    if second != count:  # the page count's width changed the layout: one more pass settles it
        data, tagger, count = build(second)
    return finish(data, tagger, title=doc.title, lang=doc.lang, subject=doc.lead[0].text if doc.lead else "")


def _version() -> str:
    import leaflet

    return leaflet.__version__


# The stamp stays in every page's footer while it takes at most this many lines; in very large print it would
# fill the page, and is printed once, at the end, instead.
MAX_STAMP_LINES = 2


def stamp_in_footer(ctx: Context, stamp: str, pagesize) -> bool:
    return len(ctx.shaper(ctx.size).lines(stamp, pagesize[0] - 2 * MARGIN)) <= MAX_STAMP_LINES


def _footer_lines(ctx: Context, stamp: str, doc: Localized, pagesize, total: int, page: int | None = None) -> list[Line]:
    width = pagesize[0] - 2 * MARGIN
    shaper = ctx.shaper(ctx.size)
    shown_total = max(total, 1)
    page_text = wording.page_of(doc.words, doc.number(page or shown_total), doc.number(shown_total))
    stamp_lines = shaper.lines(stamp, width) if stamp_in_footer(ctx, stamp, pagesize) else []
    return stamp_lines + shaper.lines(page_text, width)


def _story(ctx: Context, doc: Localized, config: Config, pagesize) -> list[Flowable]:
    t = doc.words
    root = ctx.tagger.root
    size = ctx.size
    story: list[Flowable] = []
    if config.logo is not None:
        alt = wording.fill(t.gettext(wording.LOGO_ALT), clinic=config.clinic)
        logo = Figure(ctx, root.child("Figure", alt=alt), width=22 * mm, height=22 * mm,
                      image=config.logo.read_bytes(), align_end=ctx.rtl)
        story.append(logo)
    story.append(Text(ctx, doc.title, root.child("H1"), size=size + 4, bold=True, space_after=ctx.leading * 0.5,
                      outline=(doc.title, 0)))
    if doc.draft:
        notice_local = t.gettext(wording.DRAFT_NOTICE)
        children = [Text(ctx, notice_local, root.child("P"), bold=True, space_after=ctx.leading * 0.5)]
        if notice_local != wording.DRAFT_NOTICE:
            children.append(Text(ctx, wording.DRAFT_NOTICE, root.child("P", lang="en"), rtl=False, space_after=0))
        else:
            children[0].spaceAfter = 0
        story.append(Boxed(ctx, children))
    story.extend(_entries(ctx, doc, root, doc.lead))
    width = pagesize[0] - 2 * MARGIN
    for part in doc.parts:
        heading = Text(ctx, part.heading, root.child("H2", lang=part.heading_lang), size=size + 2, bold=True,
                       space_before=ctx.leading * 0.5, space_after=ctx.leading * 0.5, outline=(part.heading, 1))
        entries = _entries(ctx, doc, root, part.entries)
        story.extend(_kept_with_start_of(heading, entries[0] if entries else None, width))
        story.extend(entries)
    story.extend(_contact(ctx, doc, config))
    link = config.audio_link(doc.domain, doc.locale)
    if link:
        story.extend(_qr(ctx, doc, link))
    if doc.staff:
        staff_heading, staff_lang = _say(doc, wording.STAFF_HEADING)
        heading = Text(ctx, staff_heading, root.child("H2", lang=staff_lang), size=size + 2, bold=True, space_before=ctx.leading * 0.5,
                       space_after=ctx.leading * 0.5, outline=(staff_heading, 1))
        entries = [Text(ctx, _label_value(doc, label, value), root.child("P")) for label, value in doc.staff]
        story.extend(_kept_with_start_of(heading, entries[0], width))
        story.extend(entries)
    return story


def _kept_with_start_of(heading: Text, first: Flowable | None, width: float) -> list[Flowable]:
    """A heading never ends a page: it goes to the next page unless the first two lines of what follows it (all
    of it, when that cannot be split) fit under it. Keeping the whole next block with it would leave half a
    page empty before every long paragraph."""
    _, own = heading.wrap(width, 10_000)
    need = own + heading.spaceBefore + heading.spaceAfter
    if first is not None:
        _, height = first.wrap(width, 10_000)
        lines = len(first.lines) if isinstance(first, Text) else 0
        need += 2 * first.leading if lines >= 4 else height
    return [CondPageBreak(need), heading]


def _label_value(doc: Localized, label: str, value: str) -> str:
    colon = "\uff1a" if doc.locale.startswith(("zh", "ja")) else ": "
    return f"{label}{colon}{value}"


def _entries(ctx: Context, doc: Localized, root: Element, entries) -> list[Flowable]:
    """Paragraphs and lists: consecutive items become one list (L > LI > Lbl + LBody), nested items a list inside."""
    out: list[Flowable] = []
    lists: list[Element] = []  # open lists by level
    counters: list[int] = []
    kinds: list[bool] = []  # whether the open top-level list is numbered
    last_item: Element | None = None
    indent_step = ctx.size * 1.2
    for entry in entries:
        if entry.kind != "item":
            lists, counters, last_item, kinds = [], [], None, []
            out.append(Text(ctx, entry.text, root.child("P", lang=entry.lang)))
            continue
        level = min(entry.level, 1)
        if entry.section_start or (level == 0 and lists and kinds and kinds[0] != entry.ordered):
            # another section's list, or numbered steps after bullets (or the other way round): a new list
            lists, counters, last_item, kinds = [], [], None, []
        if level == 0 and not lists:
            kinds = [entry.ordered]
        while len(lists) > level + 1:
            lists.pop()
            counters.pop()
        if len(lists) < level + 1:
            if level == 0 or last_item is None:
                parent = root
            else:
                parent = last_item.actual[-1] if last_item.actual and isinstance(last_item.actual[-1], Element) else last_item
            lists.append(parent.child("L"))
            counters.append(0)
        counters[-1] += 1
        item = lists[-1].child("LI")
        label = f"{doc.number(counters[-1])}." if entry.ordered else BULLET
        if entry.ordered and level:
            label = f"{chr(96 + counters[-1])}." if counters[-1] <= 26 else f"{counters[-1]}."
        label_element = item.child("Lbl")
        body = item.child("LBody", lang=entry.lang)
        if level == 0:
            last_item = item
        out.append(Text(ctx, entry.text, body, label=label, label_element=label_element, indent=indent_step * level))
    return out


def _say(doc: Localized, msgid: str) -> tuple[str, str | None]:
    """A message of the leaflet domain, and "en" when the English stands in for a missing translation."""
    text = doc.words.gettext(msgid)
    return text, ("en" if doc.words.is_fallback(msgid) else None)


def _contact(ctx: Context, doc: Localized, config: Config) -> list[Flowable]:
    root = ctx.tagger.root
    clinic, phone = isolate(config.clinic), isolate(config.phone, ltr=True)
    heading_text, heading_lang = _say(doc, wording.CONTACT_HEADING)
    phone_text, phone_lang = _say(doc, wording.CONTACT_PHONE)
    formats_text, formats_lang = _say(doc, wording.OTHER_FORMATS)
    heading = Text(ctx, heading_text, root.child("H2", lang=heading_lang), size=ctx.size + 2, bold=True,
                   space_after=ctx.leading * 0.5, outline=(heading_text, 1))
    children: list[Flowable] = [
        heading,
        Text(ctx, clinic, root.child("P"), bold=True, space_after=0),
        Text(ctx, wording.fill(phone_text, phone=phone), root.child("P", lang=phone_lang)),
        Text(ctx, wording.fill(formats_text, clinic=clinic, phone=phone), root.child("P", lang=formats_lang),
             space_after=0),
    ]
    return [Boxed(ctx, children)]


def _qr(ctx: Context, doc: Localized, link: str) -> list[Flowable]:
    """A QR code to the locale's audio guide, drawn as squares (ReportLab's drawing renderer would put an
    unembedded Helvetica in the page's resources)."""
    root = ctx.tagger.root
    caption, caption_lang = _say(doc, wording.QR_CAPTION)
    code = QRCode(None, QRErrorCorrectLevel.M)
    try:
        code.addData(link)
        code.make()
    except Exception:  # the encoder raises plain Exceptions for data it cannot hold
        raise RenderError(f"audio_url is too long for a QR code ({len(link)} characters; keep it under 1,000)") from None
    count = code.getModuleCount()
    modules = [[bool(code.isDark(row, column)) for column in range(count)] for row in range(count)]
    side = 40 * mm
    figure = Figure(ctx, root.child("Figure", alt=f"{caption}: {link}"), width=side, height=side, modules=modules,
                    align_end=ctx.rtl)
    figure.keepWithNext = True
    return [figure, Text(ctx, caption, root.child("P", lang=caption_lang))]
