"""The charts' look: colours, font, sizes and places, and the config every chart shares."""

from __future__ import annotations

from dataclasses import dataclass

# Colour-blind-safe (Okabe-Ito), each at least 3:1 against white (the chart card is white in
# both palettes): blue 5.2, vermillion 3.9, green 3.4, reddish purple 3.1, brown 5.9. Points
# also differ by shape, and stacked segments are separated by a white line.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A5A00"]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross"]
PRIMARY = "#0072B2"
MAX_BAR = "#E3E8EF"  # the light bar of a group's maximum (its value is also written as text)
MAX_BAR_STROKE = "#7C8595"  # 3.7:1: the maximum's extent stays visible without the fill
RULE_COLOR = "#B91C1C"  # 6.5:1
TEXT = "#1F2937"  # 14.7:1
MUTED = "#4B5563"  # 7.6:1
GRID = "#E5E7EB"
SEPARATOR = "#FFFFFF"  # between stacked segments: the page's background
DOMAIN = "#6B7280"  # 4.8:1
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif'
FONT_SIZE = 12
CREDIT_SIZE = 12  # the credit under the chart (source, date, licence, address)

PLOT_WIDTH = 584  # time series and vertical bars: with their value labels, about 640 in all
LABELLED_WIDTH = 430  # horizontal bars: their category labels take the rest of about 640
HEIGHT = 240  # the plot of time series
BARS_HEIGHT = 200  # the plot of vertical bars
BAR_STEP = 34  # the row of a horizontal bar
LABEL_ROOM = 96  # pixels kept right of group bars for their "12,5/18" labels
VALUE_ROOM = 56  # pixels kept beyond horizontal bars (and above vertical ones) for values
LEGEND_Y = -30  # the (last) legend line, above the plot
LEGEND_STEP = 18  # between two legend lines


@dataclass(frozen=True)
class Layout:
    """The sizes of a chart's drawing. Each chart is drawn twice: :data:`WIDE` fills the
    column of a desktop page (about 640 px, scaled to the column); :data:`NARROW` is the one
    a phone shows (about 360 px, so that its 12 px texts stay at least 11 px on a 390 px
    screen), with fewer month labels, horizontal bars' labels above the bars, and a legend
    that wraps."""

    name: str  # "wide" or "narrow": the SVG's class (mb-chart-<name>)
    plot_width: int  # time series and vertical bars
    labelled_width: int  # horizontal bars (their labels left of them when wide)
    height: int  # the plot of time series
    bars_height: int  # the plot of vertical bars
    bar_step: int  # the row of a horizontal bar
    months: int  # about how many months a time axis labels
    labels_above: bool  # horizontal bars: each category's label above its bar
    label_room: int  # right of group bars for their "12,5/18" labels


WIDE = Layout("wide", PLOT_WIDTH, LABELLED_WIDTH, HEIGHT, BARS_HEIGHT, BAR_STEP, 8, False, 96)
NARROW = Layout("narrow", 270, 340, 200, 180, 44, 4, True, 84)
TITLE_Y = -8  # the y title, above the value labels
LINE_HEIGHT = 15  # of two-line category labels
# Vega's "pad": one layout pass ("fit" costs a second one).
AUTOSIZE = {"type": "pad"}
PADDING = {"left": 2, "right": 4, "top": 6, "bottom": 2}
NOT_ASSESSED = "không đánh giá"

CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    # The SVG is one image named by its description; the numbers are in the table beside it.
    "mark": {"aria": False},
    "axis": {"gridColor": GRID, "domainColor": DOMAIN, "tickColor": DOMAIN, "aria": False},
}
