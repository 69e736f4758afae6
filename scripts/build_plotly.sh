#!/bin/sh
# Builds static/vendor/plotly-tuner-4.1.1.min.js: plotly.js 4.1.1's core (the scatter trace and
# every component: axes, legend, colour bars, shapes, hover, selections, mode bar), patched to
# draw markers faster (below), with only the other trace types the pages draw: bar, heatmap and contour (dashboard/plots.py never asks for
# another; tests/dashboard/test_plots.py checks it). Against the official "cartesian" partial
# bundle (also box, violin, histograms, pie, image, ternary, world calendars) it is 1.2 MB
# instead of 1.5 MB, and as a plain IIFE (the official file wraps the whole library in a UMD
# function) Chromium compiles it while it downloads: the study page's main thread spent 60 ms
# running it instead of 300 ms (bench/README.md, issue 15). No WebGL trace, so still no
# new Function() and the Content-Security-Policy keeps 'unsafe-eval' out.
#
#     sh scripts/build_plotly.sh      # needs node and npm (the npm registry), writes the file
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts plotly.js@4.1.1 esbuild@0.28.2 >/dev/null
# Two changes to plotly.js's source (scripts/plotly-tuner.patch), neither changing a pixel: a
# colour string's rgb() and alpha are remembered instead of parsed by culori for each marker,
# and a full draw styles each marker once (the scatter module's plot styles what it draws; the
# style pass after it did the same again). Together about a fifth of drawing the study page's
# charts at 10,000 trials: slices 186 -> 126 ms and rank 169 -> 129 ms of the page's CPU
# (bench/README.md, issue 15, fourth round). Two more (fifth round), neither changing a pixel: a
# tick label moved only by translations is measured once, not again wherever it stands (an axis
# title clearing its tick labels measured each, a forced layout apiece), and the x tick labels a
# chart has not measured before are measured together in one layout; and a chart whose axis
# labels push its margin (automargin: the timeline, importance) is drawn again by Plotly at the
# new margin, so its traces are drawn in that pass only, not in both.
# Sixth round: a scatter trace of 100 markers or more is painted into one <image> (a canvas, each
# marker styled and shaped as before, drawn in the same order) instead of one <path> each; hover,
# click and selection read the data, a restyle or a selection paints it again, and an export
# (PNG or SVG, drawn afresh as static) keeps vector markers. The study page's SVG nodes at 10,000
# trials 11,604 -> 5,321, its main-thread CPU about 10-15 % less; the dots' antialiased edges
# differ by a few levels, nothing else (bench/README.md, issue 15, sixth round). Seventh round:
# the image covers the trace's markers only, not its whole subplot: slices and rank draw their
# eight panels on one subplot (static/js/charts.js), and eight images as large as the chart cost
# more than eight paths' worth of markers. And a bar trace of 100 bars or more (no text, outline,
# rounded corners or pattern) is painted into one canvas the same way: the timeline's 1,000 bars;
# and each canvas is shown as it is (in a <foreignObject>), not as a PNG data URL of it.
# Eleventh round: a contour's smooth fill (coloring "heatmap") is coloured at every other pixel
# each way on the page and stretched smoothly by the browser (an export keeps every pixel), each
# pixel's colour read from a table of the scale in 4,096 steps; a line that gaps break into many
# segments (the learning curves) is one <path>, not one each (not with a see-through colour); and
# the style pass after a full draw leaves text points alone as it does markers (makePoints wrote
# them). The study page's charts at 10,000 trials: contour, curves, slices, rank and the parallel
# chart cheaper; every chart but the contour pixel-identical, the contour's fill within 4 levels.
patch -d node_modules/plotly.js -p1 --quiet < "$repo/scripts/plotly-tuner.patch"
cat > entry.js <<'JS'
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap'), require('plotly.js/lib/contour')]);
module.exports = Plotly;
JS
# The same esbuild settings as plotly.js's own build (esbuild-config.js), minified; its one CSS
# import (maplibre's, for map traces, not included) goes to a file left behind.
npx esbuild entry.js --bundle --format=iife --global-name=Plotly --minify --target=es2016 \
  --define:global=window --define:define.amd=false --legal-comments=eof --log-level=warning --outfile=out.js
# Eighth round: the file opens with V8's explicit compile hint (Chrome 136 and later; other
# browsers read a comment): every function is compiled while the file streams in, on a
# background thread, not one at a time on the page's main thread as each is first called while
# the charts are drawn (1,900 lazy compiles, about 0.1 s of the study page's main thread at
# 10,000 trials; bench/README.md, issue 15, eighth round).
{
  printf '//# allFunctionsCalledOnLoad\n'
  printf '/**\n* plotly.js v4.1.1: core (scatter), bar, heatmap, contour - minified; built by scripts/build_plotly.sh\n'
  printf '* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n* Licensed under the MIT license\n*/\n'
  cat out.js
} > "$repo/static/vendor/plotly-tuner-4.1.1.min.js"
