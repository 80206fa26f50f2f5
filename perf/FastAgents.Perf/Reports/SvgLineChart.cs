using System.Globalization;
using System.Net;
using System.Text;

namespace FastAgents.Perf.Reports;

/// <summary>
/// A small line chart drawn as inline SVG (no script, no external font): axes, grid, ticks, legend, one polyline
/// per series. Styles are attributes, so the SVG also stands alone when copied out of the page.
/// </summary>
internal sealed class SvgLineChart
{
    private const double Width = 760;
    private const double Height = 320;
    private const double Left = 70;
    private const double Right = 36;
    private const double Top = 30;
    private const double Bottom = 45;

    private readonly List<Series> _series = [];

    public required string Title { get; init; }

    public required string XLabel { get; init; }

    public required string YLabel { get; init; }

    public required double XMin { get; init; }

    public required double XMax { get; init; }

    /// <summary>Tick positions on the x axis with their labels.</summary>
    public required IReadOnlyList<(double X, string Label)> XTicks { get; init; }

    /// <summary>Formats a y tick value.</summary>
    public Func<double, string> YFormat { get; init; } = static y => y.ToString("0.###", CultureInfo.InvariantCulture);

    public void Add(string name, string color, IReadOnlyList<(double X, double Y)> points, bool dashed = false) =>
        _series.Add(new Series(name, color, points, dashed));

    public void Write(StringBuilder html)
    {
        double yMax = 0;
        foreach (Series s in _series)
        {
            foreach ((_, double y) in s.Points)
            {
                yMax = Math.Max(yMax, y);
            }
        }

        double step = NiceStep(yMax > 0 ? yMax / 5 : 1);
        double yTop = Math.Max(step, Math.Ceiling(yMax * 1.08 / step) * step);
        double xSpan = XMax > XMin ? XMax - XMin : 1;
        double plotWidth = Width - Left - Right;
        double plotHeight = Height - Top - Bottom;

        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Encode(Title)}\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#222\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">{Encode(Title)}</text>\n");

        for (double y = 0; y <= yTop + (step / 2); y += step)
        {
            double py = Py(y);
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{py:0.##}\" x2=\"{Width - Right}\" y2=\"{py:0.##}\" stroke=\"#e4e4e4\"/>");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{py + 4:0.##}\" text-anchor=\"end\">{Encode(YFormat(y))}</text>\n");
        }

        foreach ((double x, string label) in XTicks)
        {
            double px = Px(x);
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{px:0.##}\" y1=\"{Top}\" x2=\"{px:0.##}\" y2=\"{Height - Bottom}\" stroke=\"#e4e4e4\"/>");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{px:0.##}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Encode(label)}</text>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#888\"/>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Encode(XLabel)}</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{Top + (plotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Top + (plotHeight / 2)})\">{Encode(YLabel)}</text>\n");

        double legendX = Left + 10;
        foreach (Series s in _series)
        {
            if (s.Points.Count == 0)
            {
                continue;
            }

            html.Append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").Append(s.Color).Append('"');
            if (s.Dashed)
            {
                html.Append(" stroke-dasharray=\"5 4\"");
            }

            html.Append(" points=\"");
            foreach ((double x, double y) in s.Points)
            {
                html.Append(CultureInfo.InvariantCulture, $"{Px(x):0.##},{Py(y):0.##} ");
            }

            html.Append("\"/>\n");
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX:0.##}\" y=\"{Top + 8}\" width=\"12\" height=\"4\" fill=\"{s.Color}\"/>");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{legendX + 16:0.##}\" y=\"{Top + 14}\">{Encode(s.Name)}</text>\n");
            legendX += 30 + (7 * s.Name.Length);
        }

        html.Append("</svg>\n");

        double Px(double x) => Left + ((x - XMin) / xSpan * plotWidth);

        double Py(double y) => Top + plotHeight - (y / yTop * plotHeight);
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private readonly record struct Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed);
}
