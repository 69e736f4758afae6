// Drawing charts, for the study page (every visitor), the trial page, the compare page and the
// HTML report (inlined there, with nothing fetched). Every figure but the history comes built
// from the server ({traces, layout, note, empty}); the history is built here, from the live
// points the page already holds, in one place for the page and the report.
window.tunerCharts = (function () {
  const baseLayout = { font: { family: "system-ui, sans-serif", size: 12 }, paper_bgcolor: "rgba(0,0,0,0)",
                       plot_bgcolor: "rgba(0,0,0,0)", height: 340 };
  const svgIcon = { width: 1000, height: 1000,
                    path: "M100 850h800v100H100zM450 50h100v500l150-150 70 70-270 270-270-270 70-70 150 150z" };

  // Plotly measures every tick label (a forced layout each) to hide those that stick out of the
  // chart ("hide past div"); the margins already hold them, so they are simply drawn.
  const quick = { layout: { xaxis: { ticklabeloverflow: "allow" }, yaxis: { ticklabeloverflow: "allow" } } };

  // Every chart downloads as PNG (Plotly's camera) or SVG (the added button).
  function config(name) {
    return {
      responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"],
      toImageButtonOptions: { format: "png", filename: name, scale: 2 },
      modeBarButtonsToAdd: [{ name: "Download as SVG", icon: svgIcon,
                              click: (gd) => Plotly.downloadImage(gd, { format: "svg", filename: name }) }],
    };
  }

  // Plotly drawing a chart for the first time clears the pending timers of every chart on the
  // page (Plots.purge calls Lib.clearThrottle() with no id), and a box being dragged on another
  // chart then never sends plotly_selected: the visitor's range is lost. So while a mouse button
  // is held on a chart, and for a moment after (Plotly sends the box at most 100 ms after the last
  // move), draws wait; the latest figure of each chart is drawn once the box is in.
  const held = { down: false, until: 0 };
  document.addEventListener("pointerdown", (event) => {
    if (event.target.closest && event.target.closest(".js-plotly-plot")) held.down = true;
  }, true);
  for (const type of ["pointerup", "pointercancel"]) {
    document.addEventListener(type, () => {
      if (held.down) { held.down = false; held.until = performance.now() + 250; }
    }, true);
  }
  const waiting = new Map();
  function drawWaiting() {
    const due = [...waiting];
    waiting.clear();
    for (const [name, args] of due) draw(name, ...args);
  }

  // Draws into #chart-<name>, shows the note in #note-<name> and the empty message in #empty-<name>.
  function draw(name, figure, extraLayout) {
    if (held.down || performance.now() < held.until) {
      if (!waiting.size) setTimeout(drawWaiting, 150);
      waiting.set(name, [figure, extraLayout]);
      return;
    }
    const chart = document.getElementById(`chart-${name}`);
    if (!chart) return;
    const empty = document.getElementById(`empty-${name}`);
    const note = document.getElementById(`note-${name}`);
    if (empty) { empty.hidden = !figure.empty; empty.textContent = figure.empty || ""; }
    if (note) note.textContent = figure.note || "";
    chart.hidden = Boolean(figure.empty);
    if (figure.empty) return;
    let layout = { ...baseLayout, ...figure.layout, ...(extraLayout || {}), uirevision: name };
    let traces = window.innerWidth < 600 ? narrow(figure.traces, layout) : figure.traces;
    if (layout.grid) layout.height = 240 * layout.grid.rows + 40;
    layout.template = quick;
    const axes = traces.length === 1 && traces[0].type === "parcoords" ? traces[0] : null;
    const started = performance.now();
    if (axes) ({ traces, layout } = parallel.figure(chart, axes, layout));
    else if (layout.grid) ({ traces, layout } = panels.figure(chart, traces, layout));
    Plotly.react(chart, traces, layout, config(name));
    if (axes) parallel.listen(chart);
    chart.dispatchEvent(new CustomEvent("tuner:drawn"));  // Plotly's own events (chart.on) exist from here
    // How long each chart took to draw, for the browser bench (and anyone's dev tools).
    performance.measure(`chart ${name}`, { start: started });
  }

  // On a phone: two slice panels per row, slanted parallel-coordinate labels, smaller legends.
  function narrow(traces, layout) {
    layout.legend = { ...(layout.legend || {}), font: { size: 10 } };
    if (layout.grid) {
      layout.grid = { ...layout.grid, columns: Math.min(2, layout.grid.columns) };
      layout.grid.rows = Math.ceil(traces.length / layout.grid.columns);
    }
    return traces.map((trace) => {
      if (trace.type !== "parcoords") return trace;
      layout.margin = { ...(layout.margin || {}), t: 90, l: 40, r: 30 };
      return { ...trace, labelangle: -40, line: { ...trace.line, showscale: false } };
    });
  }

  // Parallel coordinates drawn in SVG. The server sends a Plotly "parcoords" trace (dimensions
  // with label, values, range, tick values and text, and the value band selected), but Plotly
  // draws that type with WebGL only, which costs seconds where the browser has no GPU (it then
  // renders WebGL on the CPU). Here it becomes ordinary line traces over one normalised axis per
  // dimension: the trials in 17 shades of Viridis by value (one trace each, lines broken by
  // gaps), those outside the chosen ranges in grey underneath, the axes, ticks and labels as
  // shapes and one text trace, and a colour bar. A box dragged across an axis sets its range
  // (Shift adds another box; a double click clears them); the ranges, in each axis's own units
  // as parcoords has them (`constraintrange`), are on chart.tunerParallel and announced with a
  // "tuner:parallel" event, which the "Narrow the search" card reads.
  const parallel = (function () {
    const VIRIDIS = ["#440154", "#48186a", "#472d7b", "#424086", "#3b528b", "#33638d", "#2c728e", "#26828e", "#21918c",
                     "#1fa088", "#28ae80", "#3fbc73", "#5ec962", "#84d44b", "#addc30", "#d8e219", "#fde725"];
    const PAD = 0.12;  // half the width of a range's box, in axis spacings

    function extent(dimension) {
      if (dimension.range) return dimension.range;
      const finite = dimension.values.filter(Number.isFinite);
      const low = Math.min(...finite), high = Math.max(...finite);
      return low === high ? [low - 1, high + 1] : [low, high];
    }

    function ticks(dimension, range) {
      if (dimension.tickvals) return dimension.tickvals.map((v, i) => [v, dimension.ticktext[i]]);
      return [0, 0.25, 0.5, 0.75, 1].map((t) => range[0] + t * (range[1] - range[0]))
        .map((v) => [v, String(Number(v.toPrecision(3)))]);
    }

    const inside = (v, ranges) => ranges.some(([a, b]) => a <= v && v <= b);
    const asRanges = (c) => (Array.isArray(c[0]) ? c : [c]);

    // The Plotly traces and layout for `trace` (parcoords), with the chart's current ranges.
    function figure(chart, trace, layout) {
      const dims = trace.dimensions;
      const state = chart.tunerParallel;
      // A range the visitor chose outlives the redraws of a running study; until then, the server's.
      const chosen = state && state.chosen ? state.chosen : dims.map((d) => d.constraintrange || null);
      const ranges = dims.map(extent);
      chart.tunerParallel = { chosen: state && state.chosen, ranges, line: trace.line, layout,
                              labelangle: trace.labelangle,
                              dimensions: dims.map((d, i) => ({ ...d, constraintrange: chosen[i] || undefined })) };
      const norm = (v, i) => (v - ranges[i][0]) / (ranges[i][1] - ranges[i][0]);
      const colours = trace.line.color;
      const finite = colours.filter(Number.isFinite);
      const cmin = Math.min(...finite), cmax = Math.max(...finite);
      const shade = (v) => {
        let t = cmax > cmin ? (v - cmin) / (cmax - cmin) : 1;
        if (trace.line.reversescale) t = 1 - t;
        return Math.round(t * (VIRIDIS.length - 1));
      };
      // Each group's lines are one SVG path (a shape), not a line trace: Plotly draws a line
      // trace broken by gaps as one <path> per line, styled one by one (a thousand per chart).
      const groups = VIRIDIS.map(() => []);
      const grey = [];
      for (let n = 0; n < colours.length; n += 1) {
        const shown = dims.every((d, i) => !chosen[i] || inside(d.values[n], asRanges(chosen[i])));
        const group = shown && Number.isFinite(colours[n]) ? groups[shade(colours[n])] : grey;
        let path = "", drawn = 0;
        dims.forEach((d, i) => {
          const y = norm(d.values[n], i);
          if (!Number.isFinite(y)) { drawn = 0; return; }  // a gap, as a line trace had
          path += `${drawn ? "L" : "M"}${i},${Math.round(y * 1e4) / 1e4}`;
          drawn += 1;
        });
        if (path.includes("L")) group.push(path);
      }
      const lines = (paths, colour, width, opacity, name) => ({ type: "path", name, path: paths.join(""), xref: "x",
        yref: "y", layer: "below", opacity, line: { color: colour, width } });
      const shapes = [lines(grey, "#9ca3af", 1, 0.25, "outside the ranges"),
                      ...groups.map((g, k) => lines(g, VIRIDIS[k], 1.2, 0.55, `shade ${k}`))].filter((l) => l.path);
      const xs = dims.map((_, i) => i);
      const traces = [];
      // The colour bar: one invisible dot carrying the value's scale.
      traces.push({ type: "scatter", mode: "markers", x: [0], y: [0], hoverinfo: "skip", showlegend: false,
                    marker: { size: 0.1, opacity: 0, color: [cmin, cmax], cmin, cmax, colorscale: "Viridis",
                              reversescale: Boolean(trace.line.reversescale), showscale: trace.line.showscale !== false,
                              colorbar: { ...(trace.line.colorbar || {}), thickness: 14 } } });
      // Tick labels are one text trace, not an annotation each: 45 annotations took a third of
      // the chart's drawing time. A white halo keeps them legible over the lines.
      const labels = { x: [], y: [], text: [] };
      dims.forEach((d, i) => {
        shapes.push({ type: "line", x0: i, x1: i, y0: 0, y1: 1, layer: "above", line: { color: "#374151", width: 1 } });
        for (const [v, text] of ticks(d, ranges[i])) {
          const y = norm(v, i);
          shapes.push({ type: "line", x0: i, x1: i, xsize: 0, y0: y, y1: y, layer: "above",
                        line: { color: "#374151", width: 1 } });
          labels.x.push(i); labels.y.push(y); labels.text.push(text);
        }
        for (const [a, b] of chosen[i] ? asRanges(chosen[i]) : []) {
          shapes.push({ type: "rect", x0: i - PAD / 2, x1: i + PAD / 2, y0: norm(a, i), y1: norm(b, i), layer: "above",
                        fillcolor: "rgba(37,99,235,0.25)", line: { color: "#2563eb", width: 1 } });
        }
      });
      traces.push({ type: "scatter", mode: "text", ...labels, textposition: "middle left", hoverinfo: "skip",
                    showlegend: false, cliponaxis: false, unselected: { textfont: { color: "#111827" } },
                    textfont: { size: 10, color: "#111827", shadow: "0 0 2px #fff, 0 0 2px #fff, 0 0 1px #fff" } });
      const narrowScreen = trace.labelangle !== undefined;
      // Names longer than the room between two axes (about 7 px a character) would run into
      // each other level: they are slanted instead, with the room above to hold them.
      const longest = Math.max(...dims.map((d) => String(d.label).length));
      const slanted = narrowScreen || longest * 7 > (chart.clientWidth || 1000) / dims.length;
      const top = narrowScreen ? 90 : slanted ? Math.min(170, 30 + Math.round(longest * 7 * 0.5)) : 40;
      // The first axis's tick labels stand left of it, in the margin: room for the longest (about
      // 6 px a character at size 10), such as a kind of model in words.
      const firstTicks = dims.length ? ticks(dims[0], ranges[0]).map(([, text]) => String(text).length) : [];
      const left = Math.min(160, Math.max(50, 12 + 6 * Math.max(0, ...firstTicks)));
      // A slanted name runs up and to the right of its axis (about 6 px a character across): the
      // last axes' long names ("learning_rate_init of neural network (log)") need the right
      // margin to reach past the colour bar's 90 px, or they are cut at the chart's edge.
      const plotWidth = (chart.clientWidth || 1000) - left - 90;
      const reach = slanted && !narrowScreen ? Math.max(0, ...dims.map((d, i) => 6 * String(d.label).length
        - ((dims.length - 0.6 - i) / (dims.length - 0.2)) * plotWidth)) : 0;
      const right = narrowScreen ? 20 : Math.min(260, Math.max(90, Math.round(reach) + 10));
      const out = { ...layout, shapes, annotations: [], hovermode: false, dragmode: "select", selectdirection: "any",
                    showlegend: false, selections: [],
                    margin: { l: left, r: right, t: top, b: 15 },
                    xaxis: { range: [-0.4, dims.length - 0.6], fixedrange: true, showgrid: false, zeroline: false,
                             side: "top", tickvals: xs, ticktext: dims.map((d) => d.label), ticks: "",
                             tickangle: slanted ? -30 : 0, tickfont: { size: 12 } },
                    yaxis: { range: [-0.04, 1.04], fixedrange: true, visible: false } };
      return { traces, layout: out };
    }

    // A box dragged on the chart sets the range of every axis it spans (or of the nearest one).
    function listen(chart) {
      if (chart.tunerParallelListening) return;
      chart.tunerParallelListening = true;
      const changed = () => {
        chart.dispatchEvent(new CustomEvent("tuner:parallel", { detail: chart.tunerParallel.dimensions }));
      };
      chart.on("plotly_selected", (event) => {
        const boxes = (event && event.selections) || (chart.layout.selections || []);
        const { dimensions: dims, ranges } = chart.tunerParallel;
        const chosen = (chart.tunerParallel.chosen || dims.map((d) => d.constraintrange || null)).slice();
        const fresh = dims.map(() => []);
        for (const box of boxes) {
          const [x0, x1] = [Math.min(box.x0, box.x1), Math.max(box.x0, box.x1)];
          let spanned = dims.map((_, i) => i).filter((i) => x0 - PAD <= i && i <= x1 + PAD);
          if (!spanned.length) spanned = [Math.max(0, Math.min(dims.length - 1, Math.round((x0 + x1) / 2)))];
          const [y0, y1] = [Math.max(0, Math.min(box.y0, box.y1)), Math.min(1, Math.max(box.y0, box.y1))];
          for (const i of spanned) {
            const at = (t) => ranges[i][0] + t * (ranges[i][1] - ranges[i][0]);
            fresh[i].push([at(y0), at(y1)]);
          }
        }
        // A new box replaces the ranges of the axes it spans; the others keep theirs.
        fresh.forEach((r, i) => { if (r.length) chosen[i] = r.length === 1 ? r[0] : r; });
        chart.tunerParallel.chosen = chosen;
        redraw(chart);
        changed();
      });
      chart.on("plotly_deselect", () => {
        chart.tunerParallel.chosen = chart.tunerParallel.dimensions.map(() => null);
        redraw(chart);
        changed();
      });
    }

    function redraw(chart) {
      const { dimensions, line, labelangle } = chart.tunerParallel;
      const { traces, layout } = figure(chart, { type: "parcoords", dimensions, line, labelangle }, chart.tunerParallel.layout);
      Plotly.react(chart, traces, layout, config(chart.id.replace(/^chart-/, "")));
    }

    return { figure, listen };
  })();

  // Slices and rank: a grid of small panels, one per parameter, drawn as ONE subplot. The server
  // sends a Plotly grid (a scatter trace per panel on its own axes, xaxis<i> saying log or
  // category); Plotly draws each panel's axes, tick labels, title and drag box, a third of these
  // charts' drawing (bench/README.md, issue 15, seventh round). Here each panel's
  // dots are placed on one pair of axes running 0 to 1 over the plot area, where Plotly's grid
  // would have put the panel, at the range Plotly would have chosen; the grid lines and zero
  // lines are two paths (shapes), tick labels and titles three text traces. A dot's hover text
  // is Plotly's own, "(x, y)" and the trial, written here as Plotly writes it; its parameter's
  // value is its `customdata`, which a box selection hands to the "Narrow the search" card.
  const panels = (function () {
    const MINUS = "\u2212";
    const SI = ["f", "p", "n", "\u03bc", "m", "", "k", "M", "G", "T"];
    const log10 = (v) => Math.log(v) / Math.LN10;  // as Plotly computes it, so exact powers round alike
    const GAP = { x: 0.2, y: 0.3 };  // Plotly's gaps between an independent grid's cells

    // Plotly's numFormat (axes.js) with its defaults: digits after the point, an SI suffix past 10^3.
    function rounding(dtick, range) {
      const round = 2 - Math.floor(log10(dtick) + 0.01);
      const exp = Math.floor(log10(Math.max(Math.abs(range[0]), Math.abs(range[1]))) + 0.01);
      if (Math.abs(exp) <= 3) return { round, exponent: 0 };
      return { round, exponent: exp > 14 || exp < -15 ? exp : 3 * Math.round((exp - 1) / 3) };
    }

    function number(v, { round, exponent }) {
      let text, negative = v < 0;
      v = Math.abs(v);
      if (v < 10 ** -round / 2) { text = "0"; negative = false; }
      else {
        if (exponent) { v *= 10 ** -exponent; round += exponent; }
        if (round === 0) text = String(Math.round(v));
        else if (round < 0) text = String(Math.round(v / 10 ** -round) * 10 ** -round);
        else text = v.toFixed(Math.min(20, round)).replace(/\.?0+$/, "");
        const [whole, part] = text.split(".");
        text = (whole.length > 4 || part !== undefined ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : whole)
          + (part !== undefined ? `.${part}` : "");
        if (exponent) text += exponent > 14 || exponent < -15 ? `\u00d710<sup>${exponent}</sup>` : exponent === 9 ? "B" : SI[exponent / 3 + 5];
      }
      return negative ? MINUS + text : text;
    }

    // A value as Plotly's hover label writes it: four more digits than a tick at its own scale.
    function hovered(v) {
      const own = rounding(Math.abs(v) || 1, [0, v || 1]);
      return number(v, { ...own, round: own.round + 4 });
    }

    // A panel's axis: where its values sit (log10 on a log axis, an index per category), its
    // range as Plotly's autorange pads markers, its ticks, and its hover text for a value.
    function axis(spec, values, length, letter, ppad) {
      const type = spec.type === "log" ? "log" : spec.type === "category" ? "category" : "linear";
      const categoryText = categoryNames(spec);
      const categories = [];
      const index = new Map();
      const at = values.map((v) => {
        if (v === null || v === undefined) return null;
        if (type === "category") {
          if (!index.has(String(v))) { index.set(String(v), categories.length); categories.push(v); }
          return index.get(String(v));
        }
        const n = Number(v);
        if (type === "log") return n > 0 ? log10(n) : null;
        return Number.isFinite(n) ? n : null;
      });
      const finite = at.filter((v) => v !== null);
      let low = Math.min(...finite), high = Math.max(...finite), range;
      if (!finite.length) range = [-1, 1];
      else if (low === high) range = [low - 1, high + 1];
      else {
        const pad = ppad + 0.05 * length;
        const slope = (high - low) / (length - 2 * pad);
        range = [low - slope * pad, high + slope * pad];
      }
      let dtick;
      if (type === "category") dtick = Math.ceil(Math.max((range[1] - range[0]) / (length / 14), 1));
      else if (type === "log") dtick = spec.dtick || Math.max(1, Math.ceil((range[1] - range[0]) / (Math.min(9, Math.max(4, length / 80)) + 1)));
      else {
        const rough = (range[1] - range[0]) / (Math.min(9, Math.max(4, length / (letter === "y" ? 40 : 80))) + 1);
        const base = 10 ** Math.floor(log10(rough));
        dtick = base * ([2, 5, 10].find((step) => step > rough / base) || 10);
      }
      const format = rounding(dtick, range);
      const label = (t) => (type === "category" ? categoryText(categories[t]) : type === "log" ? hovered(10 ** t) : number(t, format));
      const ticks = [];
      const slack = (range[1] - range[0]) * 1e-4;
      let first = Math.ceil((range[0] - slack) / dtick) * dtick;
      if (type === "category") first = Math.max(0, first);
      for (let k = 0; k < 1000; k += 1) {
        const t = Number((first + k * dtick).toPrecision(12));
        if (t > range[1] + slack || (type === "category" && t > categories.length - 1)) break;
        ticks.push([t, label(t)]);
      }
      const hover = (v, i) => (type === "category" ? categoryText(v) : hovered(type === "log" ? 10 ** at[i] : Number(v)));
      return { at, range, ticks, hover, zero: type === "linear" && range[0] < 0 && range[1] > 0 };
    }

    // A category axis may name its choices (tickvals -> ticktext, as Plotly reads them): the
    // kinds of model in words where Tuner chose them (plots._param_axis). A choice's text.
    function categoryNames(spec) {
      const named = new Map((spec.tickvals || []).map((v, i) => [String(v), spec.ticktext[i]]));
      return (v) => named.get(String(v)) ?? String(v);
    }

    // Where Plotly's grid puts cell `i` of `n` along one direction, as a share of the plot area.
    function cell(i, n, gap) {
      const step = 1 / (n - gap);
      return [step * i, step * i + step * (1 - gap)];
    }

    function figure(chart, traces, layout) {
      const { rows, columns } = layout.grid;
      const margin = { l: 80, r: 80, t: 100, b: 80, ...layout.margin };
      // A category's label is centred under its dots: in the first column and the last, a long
      // one (a kind of model in words) reaches into the margin, which makes room for half of it.
      traces.forEach((trace, i) => {
        const column = i % columns, spec = layout[`xaxis${i + 1}`] || {};
        if (spec.type !== "category" || (column && column !== columns - 1)) return;
        const text = categoryNames(spec);
        const half = 3.5 * Math.max(0, ...trace.x.map((v) => text(v).length));
        if (!column) margin.l = Math.max(margin.l, Math.min(160, half));
        if (column === columns - 1) margin.r = Math.max(margin.r, Math.min(160, half));
      });
      const width = (chart.clientWidth || 700) - margin.l - margin.r;
      const height = layout.height - margin.t - margin.b;
      // The plot area reaches down and up into the margins, but for 12 px (labels outside an
      // axis's range are not drawn; Plotly pads a colour bar's room by the least margin, up to 12).
      const edge = { t: Math.min(12, margin.t), b: Math.min(12, margin.b) };
      const area = layout.height - edge.t - edge.b;
      const font = { size: 12, color: "#444" };
      const grid = [], zeros = [], xLabels = { x: [], y: [], text: [] }, yLabels = { x: [], y: [], text: [] };
      const titles = { x: [], y: [], text: [] };
      const annotations = [];
      const dots = traces.map((trace, i) => {
        const row = Math.floor(i / columns), column = i % columns;
        const [x0, x1] = cell(column, columns, GAP.x);
        const [y1, y0] = cell(row, rows, GAP.y).map((v) => 1 - v);  // rows run top to bottom
        const ppad = Math.max(((trace.marker || {}).size || 6) / 1.6, 3);
        const xAxis = layout[`xaxis${i + 1}`] || {};
        const yAxis = layout[i ? `yaxis${i + 1}` : "yaxis"] || {};
        const xs = axis(xAxis, trace.x, (x1 - x0) * width, "x", ppad);
        const ys = axis(yAxis, trace.y, (y1 - y0) * height, "y", ppad);
        const px = (t) => x0 + ((t - xs.range[0]) / (xs.range[1] - xs.range[0])) * (x1 - x0);
        const py = (t) => y0 + ((t - ys.range[0]) / (ys.range[1] - ys.range[0])) * (y1 - y0);
        // Labels wider than their room (about 7 px a character) would run together where Plotly
        // would slant them (a narrow screen): every other one, or fewer, is written instead.
        const room = xs.ticks.length > 1 ? (px(xs.ticks[1][0]) - px(xs.ticks[0][0])) * width : Infinity;
        const every = Math.max(1, Math.ceil((Math.max(...xs.ticks.map(([, text]) => text.length)) * 7 + 4) / room));
        xs.ticks.forEach(([t, text], k) => {
          grid.push(`M${px(t)},${y0}V${y1}`);
          if (k % every) return;
          xLabels.x.push(px(t)); xLabels.y.push(y0 - 4 / height); xLabels.text.push(text);
        });
        for (const [t, text] of ys.ticks) {
          grid.push(`M${x0},${py(t)}H${x1}`);
          yLabels.x.push(x0 - (column ? 1 / width : 0)); yLabels.y.push(py(t)); yLabels.text.push(text);
        }
        if (xs.zero) zeros.push(`M${px(0)},${y0}V${y1}`);
        if (ys.zero) zeros.push(`M${x0},${py(0)}H${x1}`);
        if (xAxis.title) {
          // Plotly stands a title off its tick labels, and keeps the last row's inside the chart.
          const below = Math.min(46, y0 * height + margin.b - 8);
          titles.x.push((x0 + x1) / 2); titles.y.push(y0 - (below - 5.5) / height); titles.text.push(xAxis.title.text);
        }
        if (yAxis.title) {
          annotations.push({ text: yAxis.title.text, textangle: -90, x: x0, y: (y0 + y1) / 2, xref: "x", yref: "y",
                             xanchor: "right", xshift: -30, showarrow: false, font: { size: 14, color: "#444" } });
        }
        const text = trace.text || [];
        const marker = trace.marker && trace.marker.colorbar
          ? { ...trace.marker, colorbar: { ...trace.marker.colorbar, len: height / area, lenmode: "fraction",
                                            y: (margin.b - edge.b + height / 2) / area, yanchor: "middle" } }
          : trace.marker;
        return { ...trace, marker, xaxis: "x", yaxis: "y", customdata: trace.x,
                 x: xs.at.map((t) => (t === null ? null : px(t))), y: ys.at.map((t) => (t === null ? null : py(t))),
                 text: trace.x.map((v, k) => `(${xs.hover(v, k)}, ${ys.hover(trace.y[k], k)})${text[k] ? `<br>${text[k]}` : ""}`),
                 // The panel's name in full (Plotly cuts it at 15 characters): its parameter in
                 // words and the name the API uses (plots.slices).
                 hoverinfo: "text+name", hoverlabel: { ...(trace.hoverlabel || {}), namelength: -1 } };
      });
      const labels = (points, textposition, size) => ({
        type: "scatter", mode: "text", ...points, textposition, hoverinfo: "skip", showlegend: false, cliponaxis: false,
        textfont: { ...font, size }, unselected: { textfont: { color: font.color } } });
      const lines = (paths, color) => ({ type: "path", path: paths.join(""), xref: "x", yref: "y", layer: "below",
                                         line: { color, width: 1 } });
      // The panels keep their places in the area the margins left.
      const out = { ...layout, annotations, hovermode: "closest", dragmode: "select",
                    margin: { ...margin, ...edge },
                    shapes: [lines(grid, "#eee"), lines(zeros, "#444")].filter((s) => s.path),
                    xaxis: { range: [0, 1], fixedrange: true, visible: false },
                    yaxis: { range: [-(margin.b - edge.b) / height, 1 + (margin.t - edge.t) / height], fixedrange: true,
                             visible: false } };
      for (const key of Object.keys(out)) if (key === "grid" || /^[xy]axis\d+$/.test(key)) delete out[key];
      return { traces: [...dots, labels(xLabels, "bottom center", 12), labels(yLabels, "middle left", 12),
                        labels(titles, "bottom center", 14)], layout: out };
    }

    return { figure };
  })();

  // The optimisation history from live points ({n, s, v, vs, x}): one marker trace per finished
  // state, coloured and worded as dashboard/states.py says (a trial stopped early as an open
  // circle at the last value it reported), trials a person excluded (x) as grey open
  // circles of their own, and for one objective the best-so-far line (which never counts an
  // excluded trial) and, once known, the baseline (what a guess that ignores every column
  // scores) as a dashed line. Trials that broke a constraint (f === false) are grey crosses of
  // their own, and the best-so-far line never counts them either. `note` says when the points
  // are a sample (the server's: the best half, an even spread and every new best, so the line
  // is the whole study's). Every trace is SVG: the pages load plotly.js without WebGL.
  // valueTitle: the value axis's title, the server's (plots.value_title), which names the
  // first objective of a study with several.
  function history(points, direction, states, logScale, baseline, note, valueTitle) {
    const all = [...points].sort((a, b) => a.n - b.n);
    const sorted = all.filter((p) => !p.x && p.f !== false);
    const yOf = (p) => (direction ? p.v : (p.vs ? p.vs[0] : null));
    const traces = [];
    const excluded = all.filter((p) => p.x && yOf(p) !== null);
    const infeasible = all.filter((p) => !p.x && p.f === false && yOf(p) !== null);
    for (const [state, colour] of Object.entries(states.trial)) {
      const chosen = sorted.filter((p) => p.s === state && yOf(p) !== null);
      if (!chosen.length) continue;
      const trace = { type: "scatter", mode: "markers", name: (states.words || {})[state] || state,
                      x: chosen.map((p) => p.n), y: chosen.map(yOf), marker: { color: colour, size: 6 } };
      // A trial stopped early shows the last value it reported, not a result: hollow, and said so.
      if (state === "pruned") Object.assign(trace, { marker: { color: colour, size: 7, symbol: "circle-open" },
                                                     hovertemplate: "#%{x}: %{y} (stopped early: the last value it reported)<extra></extra>" });
      traces.push(trace);
    }
    if (excluded.length) traces.push({ type: "scatter", mode: "markers", name: "excluded", x: excluded.map((p) => p.n),
                                       y: excluded.map(yOf), hovertemplate: "#%{x}: %{y} (excluded)<extra></extra>",
                                       marker: { color: states.excluded, size: 7, symbol: "circle-open" } });
    if (infeasible.length) traces.push({ type: "scatter", mode: "markers",
                                         name: "infeasible", x: infeasible.map((p) => p.n), y: infeasible.map(yOf),
                                         hovertemplate: "#%{x}: %{y} (broke a constraint)<extra></extra>",
                                         marker: { color: states.excluded, size: 7, symbol: "x" } });
    if (direction) {
      const xs = [], ys = [];
      let best = null;
      for (const p of sorted) {
        if (p.s !== "complete" || p.v === null) continue;
        best = best === null ? p.v : (direction === "maximize" ? Math.max(best, p.v) : Math.min(best, p.v));
        xs.push(p.n); ys.push(best);
      }
      if (xs.length) traces.push({ type: "scatter", mode: "lines", name: "best so far", x: xs, y: ys,
                                   line: { shape: "hv", color: states.best, width: 2 } });
      if (xs.length && baseline !== null && baseline !== undefined) {
        const ns = all.map((p) => p.n);
        traces.push({ type: "scatter", mode: "lines", name: "guess without the columns", hoverinfo: "y+name",
                      x: [Math.min(...ns), Math.max(...ns)], y: [baseline, baseline],
                      line: { dash: "dash", color: "#6b7280", width: 1.5 } });
      }
    }
    if (!traces.length) return { traces, empty: "No finished trials yet: this chart fills in as they finish." };
    return { traces, empty: null, note: note || null, layout: {
      margin: { t: 10, r: 10, b: 40, l: 60 }, legend: { orientation: "h", y: -0.2 },
      xaxis: { title: { text: "trial number" } },
      yaxis: { title: { text: valueTitle || "value" }, type: logScale ? "log" : "linear" } } };
  }

  return { config, draw, history, baseLayout };
})();
